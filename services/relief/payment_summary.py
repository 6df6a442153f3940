"""The end of a payment run: take over a crashed run's payments and stage the summary event.

Each payment is inserted claimed by its run (``reported_in`` = the run), so a summary reports the run's
own payments without rewriting them. A run that never finished (it crashed, or is still going on
another replica) is taken over by the run finishing now: its payments are re-claimed (``reported_in``
moved to this run) and reported here. Both happen in one transaction that first locks the month's
unfinished runs in id order (``FOR UPDATE`` on PostgreSQL; SQLite has one writer): a run finishing
concurrently either completes first (and is no longer taken over) or waits and then reports only what
is still its own. So every payment is reported by exactly one ``civic.relief.assistance-paid``, whose
id is its run's id; a run with nothing to report stages none. As eldercare's ``allowance_summary``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from services.kit.db import Database
from services.kit.outbox import stage_event
from services.relief.events import ASSISTANCE_PAID, AssistancePaid, ProgrammePaid
from services.relief.models import ReliefPayment, ReliefPaymentRun

ON_ASSESSMENT = "assessment"


async def finish_run(
    db: Database, run: ReliefPaymentRun, *, zero: dict[str, int], now: datetime
) -> tuple[str | None, int]:
    """Take over unfinished runs' payments, stage this run's summary if any; (event id, payments reported)."""
    p, r = ReliefPayment, ReliefPaymentRun
    async with db.unit_of_work() as session:
        # In id order, so two runs finishing at once wait for each other instead of deadlocking.
        unfinished = (
            select(r.id)
            .where(col(r.period) == run.period, col(r.finished_at).is_(None))
            .order_by(col(r.id))
            .with_for_update()
        )
        others = [rid for rid in (await session.exec(unfinished)).all() if rid != run.id]
        if others:
            await session.exec(  # type: ignore[call-overload]
                sa.update(p)
                .where(col(p.period) == run.period, col(p.reported_in).in_(others))
                .values(reported_in=run.id)
                .execution_options(synchronize_session=False)
            )
        mine = sa.and_(col(p.period) == run.period, col(p.reported_in) == run.id)
        keys = (col(p.programme), col(p.basis))
        groups = (
            await session.exec(
                select(*keys, sa.func.count(), sa.func.sum(p.amount_fen))
                .where(mine)
                .group_by(*keys)
                .order_by(*keys)
            )
        ).all()
        reported = sum(int(g[2]) for g in groups)
        event_id: str | None = None
        if reported:
            month_count, month_fen = (
                await session.exec(
                    select(sa.func.count(), sa.func.coalesce(sa.func.sum(p.amount_fen), 0)).where(
                        col(p.period) == run.period
                    )
                )
            ).one()
            by_programme: dict[str, dict[str, int]] = {}
            for programme, basis, n, total in groups:
                row = by_programme.setdefault(
                    str(programme), {"households": 0, "amount_fen": 0, "on_assessment": 0, "on_grant": 0}
                )
                row["households"] += int(n)
                row["amount_fen"] += int(total)
                row["on_assessment" if basis == ON_ASSESSMENT else "on_grant"] += int(n)
            payload = AssistancePaid(
                run_id=run.id,
                period=run.period,
                classification_run_id=run.classification_run_id,
                households_paid=reported,
                amount_fen=sum(int(g[3]) for g in groups),
                by_programme=[
                    ProgrammePaid(programme=programme, **totals)  # type: ignore[arg-type]
                    for programme, totals in sorted(by_programme.items())
                ],
                zero_amount=sum(zero.values()),
                month_households_paid=int(month_count),
                month_amount_fen=int(month_fen),
                at=now,
            )
            stage_event(session, ASSISTANCE_PAID, payload, subject=run.period, now=now, event_id=run.id)
            event_id = run.id
        await session.exec(  # type: ignore[call-overload]
            sa.update(ReliefPaymentRun)
            .where(col(ReliefPaymentRun.id) == run.id)
            .values(finished_at=now, reported_count=reported)
        )
    return event_id, reported
