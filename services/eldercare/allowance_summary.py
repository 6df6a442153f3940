"""The end of a run: eligible elders left unpaid for want of a standard, and the summary event.

Each payment is inserted claimed by its run (``reported_in`` = the run), so a summary reports the run's
own payments without rewriting them (at a million payments a month-wide ``UPDATE`` would cost seconds).
A run that never finished (it crashed, or is still going on another replica) is taken over by the run
finishing now: its payments are re-claimed (``reported_in`` moved to this run) and reported here. Both
happen in one transaction that first locks the month's unfinished runs in id order (``FOR UPDATE`` on
PostgreSQL; SQLite has one writer): a run finishing concurrently either completes first (and is no
longer taken over) or waits and then reports only what is still its own. So every payment is reported
by exactly one summary, whose id is its run's id; a run with nothing to report stages none.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from services.eldercare.allowance_rules import VOUCHER, Band
from services.eldercare.allowance_selection import eligible
from services.eldercare.events import (
    ALLOWANCE_ISSUED,
    AllowanceIssued,
    ProgrammeSkipped,
    ProgrammeTotal,
    RegionTotal,
)
from services.eldercare.models import Elder, ElderAllowancePayment, ElderAllowanceRun
from services.kit.db import Database
from services.kit.outbox import stage_event
from services.kit.periods import Month


async def count_skipped(db: Database, month: Month, unpaid: list[tuple[str, Band]]) -> dict[str, int]:
    """Eligible elders of each entry without a standard (voucher: those not credited by another group)."""
    counts: dict[str, int] = {}
    async with db.read() as session:
        for programme, band in unpaid:
            where = eligible(programme, band, month)
            if programme == VOUCHER:
                credited = (
                    select(ElderAllowancePayment.id)
                    .where(
                        col(ElderAllowancePayment.elder_id) == col(Elder.id),
                        col(ElderAllowancePayment.programme) == VOUCHER,
                        col(ElderAllowancePayment.period) == month.key,
                    )
                    .exists()
                )
                where = sa.and_(where, ~credited)
            n = int((await session.exec(select(sa.func.count()).select_from(Elder).where(where))).one())
            if n:
                counts[f"{programme}:{band.key}"] = n
    return counts


async def finish_run(
    db: Database, run: ElderAllowanceRun, *, skipped: dict[str, int], now: datetime
) -> tuple[str | None, int]:
    """Take over unfinished runs' payments, stage this run's summary if any; (event id, payments reported)."""
    p = ElderAllowancePayment
    r = ElderAllowanceRun
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
        keys = (col(p.programme), col(p.policy_key), col(p.amount_fen), col(p.policy_effective_from))
        groups = (
            await session.exec(
                select(*keys, sa.func.count(), sa.func.sum(p.amount_fen))
                .where(mine)
                .group_by(*keys)
                .order_by(*keys)
            )
        ).all()
        reported = sum(int(g[4]) for g in groups)
        event_id: str | None = None
        if reported:
            town = sa.func.substr(col(p.region_code), 1, 9)
            regions = (
                await session.exec(
                    select(town, col(p.programme), sa.func.count(), sa.func.sum(p.amount_fen))
                    .where(mine)
                    .group_by(town, col(p.programme))
                    .order_by(town, col(p.programme))
                )
            ).all()
            month_count, month_fen = (
                await session.exec(
                    select(sa.func.count(), sa.func.coalesce(sa.func.sum(p.amount_fen), 0)).where(
                        col(p.period) == run.period
                    )
                )
            ).one()
            payload = AllowanceIssued(
                run_id=run.id,
                period=run.period,
                at=now,
                elders_paid=reported,
                amount_fen=sum(int(g[5]) for g in groups),
                by_programme=[
                    ProgrammeTotal(
                        programme=programme,
                        policy_key=key,
                        elders=int(n),
                        amount_fen=int(total),
                        standard_fen=int(fen),
                        standard_effective_from=since,
                    )
                    for programme, key, fen, since, n, total in groups
                ],
                by_region=[
                    RegionTotal(region_code=str(r), programme=str(pg), elders=int(n), amount_fen=int(t))
                    for r, pg, n, t in regions
                ],
                skipped=[
                    ProgrammeSkipped(programme=k.split(":")[0], policy_key=k.split(":")[1], elders=n)
                    for k, n in sorted(skipped.items())
                ],
                month_elders_paid=int(month_count),
                month_amount_fen=int(month_fen),
            )
            stage_event(session, ALLOWANCE_ISSUED, payload, subject=run.period, now=now, event_id=run.id)
            event_id = run.id
        await session.exec(  # type: ignore[call-overload]
            sa.update(ElderAllowanceRun)
            .where(col(ElderAllowanceRun.id) == run.id)
            .values(finished_at=now, skipped_count=sum(skipped.values()), reported_count=reported)
        )
    return event_id, reported
