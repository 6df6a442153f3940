"""The monthly basic living allowance run (困境儿童基本生活费): each eligible child paid once per month.

Who is paid for a month — everything is decided on the month's FIRST day (Asia/Shanghai), as the
bureau's "次月" practice pays from the month after a change and stops from the month after:

- the child's category on the 1st (the ``category_period`` covering it; a period's ``effective_to`` is
  the day the next category began, exclusive) has a ``living_allowance`` entry in force on the 1st;
- the child is under 18 on the 1st. **The month of the 18th birthday is paid in full, unless the
  birthday is the 1st itself**; nothing is paid from the next month (a child born 2007-07-02 is paid
  for July 2025, not for August; one born 2007-07-01 is not paid for July 2025);
- a category ending mid-month: that month is paid under the category held on the 1st; the next month
  under the new category, if it has a standard;
- the standard used is the entry in force on the 1st (``kit.payments.standard_for``): a standard
  superseded from the 15th applies from the next month's run. Each payment records the amount in fen
  and the entry used (key, effective_from).

Categories with eligible children but no standard in force are skipped and counted, never paid ¥0.

Once per (child, programme, month) whatever happens: ``allowance_payment`` has
``UNIQUE (child_id, programme, period)`` and each chunk is one set-based
``INSERT … SELECT … ON CONFLICT DO NOTHING`` (both backends) in its own transaction, the keyset chunks
walking a category's periods by child id, ``chunk_size`` periods at a time. The children already paid
are left out by that unique key alone, not by a ``NOT EXISTS`` on the payments: while a month is
being paid its period is a value PostgreSQL's statistics have not seen, so the planner took its
payments for one row and compared each chunk's rows with all of them (125 million comparisons for one
chunk once 25,000 were paid; 40 s for a million children), whereas a conflict check is an index probe
in any plan. (On PostgreSQL a row that conflicts still draws an id from the sequence: ids have gaps.)
A re-run pays nobody twice; a run that crashed after some chunks keeps what it committed, and the
next run pays the rest.

The summary event ``civic.childwelfare.allowance-paid``: when a run completes it marks every payment
of the month not yet reported (``reported_in IS NULL``: its own and those of a run that crashed) as
reported by it and, if there were any, stages ONE summary whose event id is the run's id — the UUID5
of (programme, month, run sequence), ``kit.payments.run_id``. A re-run that pays nothing and finds
nothing unreported stages no event, so a repeated month publishes no second summary; the payments a
crashed run made are reported exactly once, by the run that completes after it. Counts and money are
per category; no child ids, no ID numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import rules
from services.childwelfare.events import ALLOWANCE_PAID, AllowancePaid, CategoryAllowance, CategorySkipped
from services.childwelfare.models import AllowancePayment, AllowanceRun, CategoryPeriod, Child
from services.childwelfare.policy import load_policy
from services.childwelfare.rules import ProtectionCategory
from services.kit import payments
from services.kit.db import Database
from services.kit.money import Money
from services.kit.outbox import stage_event
from services.kit.payments import GroupTotal, PaymentRunSummary
from services.kit.periods import Month
from services.kit.policy import PolicyEntry, PolicyTable
from services.kit.service import ServiceContext

log = logging.getLogger(__name__)

PROGRAMME = "living_allowance"
# Payments per transaction: bounds lock time; a crash loses at most the chunk under way.
CHUNK_SIZE = 5000
_START_ATTEMPTS = 5


def load_allowance_policy(path: str | None = None) -> PolicyTable[Money]:
    """The ``living_allowance`` table (yuan per child per month, held in fen) of the child-welfare policy."""
    table: PolicyTable[Money] = load_policy(path)["living_allowance"]
    return table


def _held_on(first: date) -> sa.ColumnElement[bool]:
    """Category periods in force on ``first`` (``effective_to`` is exclusive)."""
    return sa.and_(
        col(CategoryPeriod.effective_from) <= first,
        sa.or_(col(CategoryPeriod.effective_to).is_(None), col(CategoryPeriod.effective_to) > first),
    )


def _covering(first: date) -> sa.ColumnElement[bool]:
    """Category periods in force on ``first`` held by children under 18 on that day."""
    return sa.and_(_held_on(first), col(Child.birth_date) > rules.adult_cutoff(first))


def _joined() -> Any:
    return sa.join(CategoryPeriod, Child, col(Child.id) == col(CategoryPeriod.child_id))


async def _start(db: Database, period: str, now: datetime) -> AllowanceRun:
    """Record the run as the next of its month (a concurrent start taking the same number retries)."""
    for _ in range(_START_ATTEMPTS):
        try:
            async with db.unit_of_work() as session:
                stmt = select(sa.func.coalesce(sa.func.max(AllowanceRun.sequence), 0)).where(
                    col(AllowanceRun.period) == period
                )
                sequence = int((await session.exec(stmt)).one()) + 1
                run = AllowanceRun(
                    id=payments.run_id(PROGRAMME, period, sequence),
                    programme=PROGRAMME,
                    period=period,
                    sequence=sequence,
                    started_at=now,
                )
                session.add(run)
            return run
        except IntegrityError:
            continue
    raise RuntimeError(f"could not start an allowance run for {period}: too many concurrent runs")


async def _bound(
    session: AsyncSession, *, category: ProtectionCategory, after: str, chunk_size: int
) -> str | None:
    """The child id closing the chunk after ``after``: the category's ``chunk_size``-th period from there.

    Read from ``ix_category_period_category_child_from_to`` alone (no join, nothing about payments), so
    it costs ``chunk_size`` index entries whatever the statistics say. None when fewer periods are left.
    """
    stmt = (
        select(CategoryPeriod.child_id)
        .where(col(CategoryPeriod.category) == category.value, col(CategoryPeriod.child_id) > after)
        .order_by(col(CategoryPeriod.child_id))
        .offset(chunk_size - 1)
        .limit(1)
    )
    return (await session.exec(stmt)).first()


async def _pay_chunk(
    session: AsyncSession,
    *,
    run: AllowanceRun,
    category: ProtectionCategory,
    standard: PolicyEntry[Money],
    first: date,
    after: str,
    chunk_size: int,
    now: datetime,
) -> tuple[int, str | None]:
    """Pay the eligible children among the category's next periods; (payments made, last child id or None).

    Those already paid for the month conflict on the unique key and are left out (see the module doc).
    """
    upper = await _bound(session, category=category, after=after, chunk_size=chunk_size)
    where = sa.and_(
        col(CategoryPeriod.category) == category.value,
        col(CategoryPeriod.child_id) > after,
        _covering(first),
    )
    if upper is not None:
        where = sa.and_(where, col(CategoryPeriod.child_id) <= upper)
    rows = (
        select(
            col(CategoryPeriod.child_id),
            sa.literal(PROGRAMME, sa.String),
            sa.literal(run.period, sa.String),
            col(CategoryPeriod.category),
            col(Child.region_code),
            sa.literal(standard.value.fen, sa.BigInteger),
            sa.literal(standard.key, sa.String),
            sa.literal(standard.effective_from, sa.Date),
            sa.literal(run.id, sa.String),
            sa.literal(now, sa.DateTime(timezone=True)),
        )
        .select_from(_joined())
        .where(where)
    )
    table = AllowancePayment.__table__  # type: ignore[attr-defined]
    insert = payments.insert_for((await session.connection()).dialect.name)
    stmt = (
        insert(table)
        .from_select(
            [
                "child_id",
                "programme",
                "period",
                "category",
                "region_code",
                "amount_fen",
                "policy_key",
                "policy_effective_from",
                "run_id",
                "paid_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["child_id", "programme", "period"])
        # RETURNING, not rowcount: asyncpg does not report a count for INSERT … SELECT.
        .returning(table.c.id)
    )
    made = len((await session.exec(stmt)).all())  # type: ignore[call-overload]
    if made:
        await session.exec(  # type: ignore[call-overload]
            sa.update(AllowanceRun)
            .where(col(AllowanceRun.id) == run.id)
            .values(
                paid_count=AllowanceRun.paid_count + made,
                total_fen=AllowanceRun.total_fen + made * standard.value.fen,
            )
        )
    return made, upper


async def _skipped(
    db: Database, first: date, standards: dict[ProtectionCategory, PolicyEntry[Money]]
) -> dict[str, int]:
    """Eligible children per category that has no standard in force for the month.

    Those categories hold most children, so this is not a join of their periods with ``child`` (a
    lookup per period: seconds on SQLite at a million): it counts their periods in force on the 1st
    from ``ix_category_period_category_child_from_to`` alone, less the periods of children already 18
    that day, found by a scan of ``child`` and a lookup each (cheap while adults are few; as many
    adults as minors would cost what the join did).
    """
    unpaid = col(CategoryPeriod.category).not_in([c.value for c in standards])
    adults = select(Child.id).where(col(Child.birth_date) <= rules.adult_cutoff(first))

    def per_category(sign: int, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
        return (
            sa.select(col(CategoryPeriod.category), sa.literal(sign, sa.Integer), sa.func.count())
            .where(_held_on(first), unpaid, *where)
            .group_by(col(CategoryPeriod.category))
        )

    both = sa.union_all(per_category(1), per_category(-1, col(CategoryPeriod.child_id).in_(adults)))
    counts: dict[str, int] = {}
    async with db.read() as session:
        # One statement, so one snapshot on PostgreSQL too: the two counts agree.
        for category, sign, n in (await session.exec(both)).all():  # type: ignore[call-overload]
            counts[str(category)] = counts.get(str(category), 0) + int(sign) * int(n)
    return {category: n for category, n in counts.items() if n}


async def _finish(
    db: Database, run: AllowanceRun, *, skipped: dict[str, int], now: datetime
) -> tuple[str | None, int]:
    """Mark unreported payments of the month as this run's, stage the summary if any; (event id, count)."""
    async with db.unit_of_work() as session:
        of_month = sa.and_(
            col(AllowancePayment.programme) == PROGRAMME, col(AllowancePayment.period) == run.period
        )
        await session.exec(  # type: ignore[call-overload]
            sa.update(AllowancePayment)
            .where(of_month, col(AllowancePayment.reported_in).is_(None))
            .values(reported_in=run.id)
        )
        groups = (
            await session.exec(
                select(
                    col(AllowancePayment.category),
                    col(AllowancePayment.amount_fen),
                    col(AllowancePayment.policy_effective_from),
                    sa.func.count(),
                    sa.func.sum(AllowancePayment.amount_fen),
                )
                .where(of_month, col(AllowancePayment.reported_in) == run.id)
                .group_by(
                    col(AllowancePayment.category),
                    col(AllowancePayment.amount_fen),
                    col(AllowancePayment.policy_effective_from),
                )
                .order_by(col(AllowancePayment.category), col(AllowancePayment.policy_effective_from))
            )
        ).all()
        reported = sum(int(g[3]) for g in groups)
        event_id: str | None = None
        if reported:
            month_count, month_fen = (
                await session.exec(
                    select(
                        sa.func.count(), sa.func.coalesce(sa.func.sum(AllowancePayment.amount_fen), 0)
                    ).where(of_month)
                )
            ).one()
            payload = AllowancePaid(
                run_id=run.id,
                period=run.period,
                at=now,
                children_paid=reported,
                amount_fen=sum(int(g[4]) for g in groups),
                by_category=[
                    CategoryAllowance(
                        category=ProtectionCategory(category),
                        children=int(n),
                        amount_fen=int(total),
                        standard_fen=int(standard_fen),
                        standard_effective_from=effective_from,
                    )
                    for category, standard_fen, effective_from, n, total in groups
                ],
                skipped=[
                    CategorySkipped(category=ProtectionCategory(c), children=n)
                    for c, n in sorted(skipped.items())
                ],
                month_children_paid=int(month_count),
                month_amount_fen=int(month_fen),
            )
            stage_event(session, ALLOWANCE_PAID, payload, subject=run.period, now=now, event_id=run.id)
            event_id = run.id
        await session.exec(  # type: ignore[call-overload]
            sa.update(AllowanceRun)
            .where(col(AllowanceRun.id) == run.id)
            .values(finished_at=now, skipped_count=sum(skipped.values()), reported_count=reported)
        )
    return event_id, reported


async def run_allowances(
    db: Database,
    policy: PolicyTable[Money],
    month: Month,
    now: datetime,
    *,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[int], None] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> PaymentRunSummary:
    """Pay ``month``'s basic living allowance to every eligible child not yet paid for it.

    ``policy`` is the ``living_allowance`` table. ``after_chunk(n)`` is called after the n-th chunk
    that paid someone committed (tests raise from it to simulate a crash; the summary's ``chunks``
    counts those chunks); ``on_commit`` after the summary is staged (the service's outbox wake-up).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be 1 or more")
    period = payments.period_key(month)
    first = month.first
    standards: dict[ProtectionCategory, PolicyEntry[Money]] = {}
    for category in ProtectionCategory:
        entry = payments.standard_for(policy, category.value, month)
        if entry is not None:
            standards[category] = entry
    run = await _start(db, period, now)
    paid: dict[str, GroupTotal] = {}
    chunks = 0
    for category, standard in standards.items():
        after = ""
        while True:
            # Not kit.db.plan_each_statement: PostgreSQL's generic plans serve these chunks, and planning
            # each anew made the run at a million children 4.3-4.5 -> 5.4-5.6 s (bench/childwelfare.py).
            async with db.unit_of_work() as session:
                made, upper = await _pay_chunk(
                    session,
                    run=run,
                    category=category,
                    standard=standard,
                    first=first,
                    after=after,
                    chunk_size=chunk_size,
                    now=now,
                )
            paid = payments.add_totals(paid, category.value, made, standard.value.fen)
            if made:
                chunks += 1
                if after_chunk is not None:
                    after_chunk(chunks)
            if upper is None:
                break
            after = upper
    skipped = await _skipped(db, first, standards)
    event_id, reported = await _finish(db, run, skipped=skipped, now=now)
    if event_id is not None and on_commit is not None:
        on_commit()
    summary = PaymentRunSummary(
        programme=PROGRAMME,
        period=period,
        run_id=run.id,
        paid=paid,
        skipped=skipped,
        chunks=chunks,
        event_id=event_id,
    )
    log.info(
        "allowance run %s #%d: %d paid (%s), %d skipped, %d reported",
        period,
        run.sequence,
        summary.persons_paid,
        Money(summary.total_fen),
        summary.persons_skipped,
        reported,
    )
    return summary


async def run_allowances_in(
    ctx: ServiceContext, month: Month, now: datetime, *, policy: PolicyTable[Money] | None = None
) -> PaymentRunSummary:
    """``run_allowances`` against a running service's database, waking its outbox relay."""
    return await run_allowances(
        ctx.db,
        policy if policy is not None else load_allowance_policy(),
        month,
        now,
        on_commit=ctx.notify_outbox,
    )
