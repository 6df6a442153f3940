"""The monthly payment run of 特困 / 低保 / 低边: each household paid once per programme and month.

Which grants pay month M: a grant (active, suspended or terminated) that HOLDS the programme on some
day of M — ``effective_from`` on or before M's last day, and the first day without it
(``suspended_from`` or ``ended_on``, whichever is earlier) after M's first day. So a grant suspended or
terminated from the 10th is paid that month and not the next: an ending stops the NEXT run.

How much: the month's latest finished re-classification (``relief_assessment`` of that run, one row
per household) when its classification is the grant's programme (``basis`` assessment, the row
referenced: a standard raised from M shows in M's payments once the month is re-classified; earlier
months keep theirs); otherwise the amount the grant was decided on (``basis`` grant: the
re-classification disagreed or none has finished, so nothing stops silently and the officer decides).
A grant whose amount comes to 0 is not paid (CHECK amount_fen > 0) but counted in the summary.

Once per (household, programme, month) whatever happens: each chunk is ONE
``INSERT … SELECT … ON CONFLICT (household_id, programme, period) DO NOTHING RETURNING`` in its own
transaction, ``chunk_size`` grants of a keyset walk by grant id. Households already paid are left out
by the unique key alone, not a ``NOT EXISTS`` on the payments (see childwelfare's allowances: while a
month is being paid, the planner misjudges the new period and an anti-join goes quadratic; a conflict
check is an index probe in any plan). A re-run pays nobody twice; a crashed run keeps what it
committed and the next run pays the rest. Each payment is born claimed by its run (``reported_in``);
``payment_summary`` ends the run, reports a crashed run's payments too and stages
``civic.relief.assistance-paid``. A chunk also lists, as overpayments, new payments for a month that
began after a member's death when paid on a grant decided before it (``overpayments.list_for_payments``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import payments
from services.kit.db import Database, plan_each_statement
from services.kit.money import Money
from services.kit.payments import GroupTotal, PaymentRunSummary
from services.kit.periods import Month
from services.relief import classification, overpayments
from services.relief import payment_summary as summary_of
from services.relief.application_rules import GrantStatus
from services.relief.models import AssistanceGrant, ReliefAssessment, ReliefPaymentRun
from services.relief.models import ReliefPayment as Payment
from services.relief.models.payments import BASIS_ASSESSMENT, BASIS_GRANT

log = logging.getLogger(__name__)

RUN_PROGRAMME = "relief_assistance"  # names the runs (the three programmes are paid by one run)
# Grants per transaction: bounds lock time; a crash loses at most the chunk under way.
CHUNK_SIZE = 20_000
_START_ATTEMPTS = 5
PAYING = [GrantStatus.ACTIVE.value, GrantStatus.SUSPENDED.value, GrantStatus.TERMINATED.value]


def holds_in(month: Month) -> sa.ColumnElement[bool]:
    """The grant holds its programme on some day of ``month`` (ended or suspended after its 1st)."""
    g = AssistanceGrant
    return sa.and_(
        col(g.status).in_(PAYING),
        col(g.effective_from) <= month.last,
        sa.or_(col(g.suspended_from).is_(None), col(g.suspended_from) > month.first),
        sa.or_(col(g.ended_on).is_(None), col(g.ended_on) > month.first),
    )


def _assessment_join(classification_run_id: str | None) -> sa.ColumnElement[bool]:
    a, g = ReliefAssessment, AssistanceGrant
    if classification_run_id is None:
        return sa.false()  # nothing to join: every grant is paid on its own amount
    return sa.and_(col(a.run_id) == classification_run_id, col(a.household_id) == col(g.household_id))


def _confirmed() -> sa.ColumnElement[bool]:
    return sa.and_(
        col(ReliefAssessment.id).is_not(None),
        col(ReliefAssessment.classification) == col(AssistanceGrant.programme),
    )


def amount_of() -> sa.ColumnElement[int]:
    """The month's amount of a grant joined to its household's assessment (see the module docstring)."""
    return sa.case(
        (_confirmed(), col(ReliefAssessment.amount_fen)), else_=col(AssistanceGrant.monthly_amount_fen)
    )


def paying_grants(month: Month, classification_run_id: str | None) -> sa.Select[tuple[str]]:
    """The grants paying the month, joined to the household's assessment (caller adds the columns)."""
    g = AssistanceGrant
    return (
        sa.select(col(g.id))
        .select_from(sa.outerjoin(g, ReliefAssessment, _assessment_join(classification_run_id)))  # type: ignore[arg-type]
        .where(holds_in(month))
    )


async def _start(db: Database, month: Month, *, actor: str, now: datetime) -> ReliefPaymentRun:
    """Record the run as the next of its month (a concurrent start taking the same number retries)."""
    for _ in range(_START_ATTEMPTS):
        try:
            async with db.unit_of_work() as session:
                stmt = select(sa.func.coalesce(sa.func.max(ReliefPaymentRun.sequence), 0)).where(
                    col(ReliefPaymentRun.period) == month.key
                )
                sequence = int((await session.exec(stmt)).one()) + 1
                run = ReliefPaymentRun(
                    id=payments.run_id(RUN_PROGRAMME, month.key, sequence),
                    period=month.key,
                    sequence=sequence,
                    classification_run_id=await _latest_classification(session, month.key),
                    started_at=now,
                    started_by=actor,
                )
                session.add(run)
            return run
        except IntegrityError:
            continue
    raise RuntimeError(f"could not start a relief payment run for {month.key}: too many concurrent runs")


async def _latest_classification(session: AsyncSession, period: str) -> str | None:
    run = await classification.latest_finished_run(session, period)
    return run.id if run is not None else None


async def _bound(session: AsyncSession, month: Month, after: str | None, chunk_size: int) -> str | None:
    """The last grant id of the next chunk, or None when what is left fits in one."""
    g = AssistanceGrant
    stmt = select(g.id).where(holds_in(month))
    if after is not None:
        stmt = stmt.where(col(g.id) > after)
    return (await session.exec(stmt.order_by(col(g.id)).offset(chunk_size - 1).limit(1))).first()


async def _pay_chunk(
    session: AsyncSession,
    *,
    run: ReliefPaymentRun,
    month: Month,
    after: str | None,
    chunk_size: int,
    now: datetime,
) -> tuple[list[tuple[int, str, int]], str | None]:
    """Pay the next ``chunk_size`` grants not yet paid; ((id, programme, fen) of each payment, bound)."""
    g, a = AssistanceGrant, ReliefAssessment
    upper = await _bound(session, month, after, chunk_size)
    amount = amount_of()
    confirmed = _confirmed()
    rows = (
        paying_grants(month, run.classification_run_id)
        .with_only_columns(
            col(g.household_id),
            col(g.id),
            col(g.programme),
            sa.literal(run.period, sa.String),
            col(g.region_code),
            amount,
            sa.case((confirmed, sa.literal(BASIS_ASSESSMENT)), else_=sa.literal(BASIS_GRANT)),
            sa.case((confirmed, col(a.id)), else_=sa.null()),
            sa.literal(run.id, sa.String),
            sa.literal(run.id, sa.String),  # reported_in: this run's summary will report it
            sa.literal(now, sa.DateTime(timezone=True)),
        )
        .where(amount > 0)
    )
    if after is not None:
        rows = rows.where(col(g.id) > after)
    if upper is not None:
        rows = rows.where(col(g.id) <= upper)
    table = Payment.__table__  # type: ignore[attr-defined]
    insert = payments.insert_for((await session.connection()).dialect.name)
    stmt = (
        insert(table)
        .from_select(
            [
                "household_id",
                "grant_id",
                "programme",
                "period",
                "region_code",
                "amount_fen",
                "basis",
                "assessment_id",
                "run_id",
                "reported_in",
                "paid_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["household_id", "programme", "period"])
        # RETURNING, not rowcount: some drivers report no count for INSERT … SELECT.
        .returning(table.c.id, table.c.programme, table.c.amount_fen)
    )
    made = [(int(r[0]), str(r[1]), int(r[2])) for r in (await session.exec(stmt)).all()]  # type: ignore[call-overload]
    if made:
        await session.exec(  # type: ignore[call-overload]
            sa.update(ReliefPaymentRun)
            .where(col(ReliefPaymentRun.id) == run.id)
            .values(
                paid_count=ReliefPaymentRun.paid_count + len(made),
                total_fen=ReliefPaymentRun.total_fen + sum(fen for _, _, fen in made),
            )
        )
        await overpayments.list_for_payments(
            session, [pid for pid, _, _ in made], month=month, source=f"payment-run:{run.id}", now=now
        )
    return made, upper


async def count_zero(db: Database, month: Month, classification_run_id: str | None) -> dict[str, int]:
    """Grants holding a programme in the month whose amount came to 0, per programme (not paid)."""
    g = AssistanceGrant
    stmt = (
        paying_grants(month, classification_run_id)
        .with_only_columns(col(g.programme), sa.func.count())
        .where(amount_of() <= 0)
        .group_by(col(g.programme))
    )
    async with db.read() as session:
        return {str(p): int(n) for p, n in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def run_payments(
    db: Database,
    *,
    month: Month,
    now: datetime,
    actor: str,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[int], None] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> PaymentRunSummary:
    """Pay ``month`` to every household holding a programme in it and not yet paid for it.

    ``after_chunk(n)`` is called after the n-th chunk that paid someone committed (tests raise from it
    to simulate a crash); ``on_commit`` after the summary is staged (the outbox relay's wake-up).
    Summary groups are programmes; ``skipped`` counts grants whose amount came to 0.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be 1 or more")
    run = await _start(db, month, actor=actor, now=now)
    paid: dict[str, GroupTotal] = {}
    chunks = 0
    after: str | None = None
    while True:
        async with db.unit_of_work() as session:
            await plan_each_statement(session)
            made, upper = await _pay_chunk(
                session, run=run, month=month, after=after, chunk_size=chunk_size, now=now
            )
        for _, programme, fen in made:
            paid = payments.add_totals(paid, programme, 1, fen)
        if made:
            chunks += 1
            if after_chunk is not None:
                after_chunk(chunks)
        if upper is None:
            break
        after = upper
    zero = await count_zero(db, month, run.classification_run_id)
    event_id, reported = await summary_of.finish_run(db, run, zero=zero, now=now)
    if event_id is not None and on_commit is not None:
        on_commit()
    summary = PaymentRunSummary(
        programme=RUN_PROGRAMME,
        period=month.key,
        run_id=run.id,
        paid=paid,
        skipped=zero,
        chunks=chunks,
        event_id=event_id,
    )
    log.info(
        "relief payment run %s #%d: %d paid (%s), %d at zero, %d reported",
        month.key,
        run.sequence,
        summary.persons_paid,
        Money(summary.total_fen),
        summary.persons_skipped,
        reported,
    )
    return summary
