"""The monthly allowance run: old-age allowance (高龄津贴) and e-voucher credits (重阳分), unapplied for.

Who is paid what is ``allowance_rules`` (age by the month's last day, alive on the 1st, relief held on
the 1st, standards in force on the 1st); ``allowance_selection`` says the same in SQL. The run is
set-based:

- old-age tiers are disjoint birth-date bands; e-voucher groups are taken highest amount first, so an
  elder matching several is credited the highest (the others then conflict on the unique key);
- each chunk is ONE ``INSERT … SELECT … ON CONFLICT (elder_id, programme, period) DO NOTHING`` in its
  own transaction, ``chunk_size`` elders of the band's keyset walk at a time (by ``ix_elder_birth``, or
  by the relief holders for a group that requires relief status). Those already paid are left out by
  the unique key alone (an index probe whatever the plan; see childwelfare's allowances for why not a
  ``NOT EXISTS``). A re-run pays nobody twice; a run that crashed keeps what it committed and the next
  run pays the rest, once;
- an e-voucher chunk also credits each new payment to the elder's balance and ledger
  (``vouchers.credit_payments``) in the chunk's transaction: a credit exists exactly when its payment does.

Entries with no standard (``monthly: null``: the seeds give no figure) are counted as skipped. Each
payment is born claimed by the run that makes it (``reported_in``), so ending a run rewrites no rows
in the usual case; ``allowance_summary`` then stages one ``civic.eldercare.allowance-issued`` summary
for this run's payments and those of a crashed run it takes over; none when there are none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import allowance_selection as selection
from services.eldercare import allowance_summary as summary_of
from services.eldercare import vouchers
from services.eldercare.allowance_policy import AllowancePolicy
from services.eldercare.allowance_rules import OLD_AGE, VOUCHER, Band, age_bands, voucher_bands
from services.eldercare.allowance_selection import Keyset
from services.eldercare.models import Elder, ElderAllowancePayment, ElderAllowanceRun
from services.kit import payments
from services.kit.db import Database
from services.kit.money import Money
from services.kit.payments import GroupTotal, PaymentRunSummary
from services.kit.periods import Month

log = logging.getLogger(__name__)

RUN_PROGRAMME = "eldercare_allowances"  # names the runs (both programmes are paid by one run)
# Payments per transaction: bounds lock time; a crash loses at most the chunk under way.
CHUNK_SIZE = 5000
_START_ATTEMPTS = 5


async def _start(db: Database, period: str, now: datetime) -> ElderAllowanceRun:
    """Record the run as the next of its month (a concurrent start taking the same number retries)."""
    for _ in range(_START_ATTEMPTS):
        try:
            async with db.unit_of_work() as session:
                stmt = select(sa.func.coalesce(sa.func.max(ElderAllowanceRun.sequence), 0)).where(
                    col(ElderAllowanceRun.period) == period
                )
                sequence = int((await session.exec(stmt)).one()) + 1
                run = ElderAllowanceRun(
                    id=payments.run_id(RUN_PROGRAMME, period, sequence),
                    period=period,
                    sequence=sequence,
                    started_at=now,
                )
                session.add(run)
            return run
        except IntegrityError:
            continue
    raise RuntimeError(f"could not start an allowance run for {period}: too many concurrent runs")


async def _pay_chunk(
    session: AsyncSession,
    *,
    run: ElderAllowanceRun,
    programme: str,
    band: Band,
    month: Month,
    after: Keyset | None,
    chunk_size: int,
    now: datetime,
) -> tuple[int, Keyset | None]:
    """Pay the eligible elders among the band's next ``chunk_size``; (payments made, last keyset or None)."""
    amount = band.monthly
    assert amount is not None
    upper = await selection.bound(session, programme, band, month, after, chunk_size)
    where = sa.and_(
        selection.eligible(programme, band, month), selection.chunk(programme, band, month, after, upper)
    )
    rows = select(
        col(Elder.id),
        sa.literal(programme, sa.String),
        sa.literal(run.period, sa.String),
        col(Elder.region_code),
        sa.literal(amount.fen, sa.BigInteger),
        sa.literal(band.key, sa.String),
        sa.literal(band.entry.effective_from, sa.Date),
        sa.literal(run.id, sa.String),
        sa.literal(run.id, sa.String),  # reported_in: this run's summary will report it
        sa.literal(now, sa.DateTime(timezone=True)),
    ).where(where)
    table = ElderAllowancePayment.__table__  # type: ignore[attr-defined]
    insert = payments.insert_for((await session.connection()).dialect.name)
    stmt = (
        insert(table)
        .from_select(
            [
                "elder_id",
                "programme",
                "period",
                "region_code",
                "amount_fen",
                "policy_key",
                "policy_effective_from",
                "run_id",
                "reported_in",
                "paid_at",
            ],
            rows,
        )
        .on_conflict_do_nothing(index_elements=["elder_id", "programme", "period"])
        # RETURNING, not rowcount: some drivers report no count for INSERT … SELECT.
        .returning(table.c.id)
    )
    new_ids = [int(r[0]) for r in (await session.exec(stmt)).all()]  # type: ignore[call-overload]
    if new_ids:
        if programme == VOUCHER:
            await vouchers.credit_payments(session, new_ids, now)
        await session.exec(  # type: ignore[call-overload]
            sa.update(ElderAllowanceRun)
            .where(col(ElderAllowanceRun.id) == run.id)
            .values(
                paid_count=ElderAllowanceRun.paid_count + len(new_ids),
                total_fen=ElderAllowanceRun.total_fen + len(new_ids) * amount.fen,
            )
        )
    return len(new_ids), upper


async def run_allowances(
    db: Database,
    policy: AllowancePolicy,
    month: Month,
    now: datetime,
    *,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[int], None] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> PaymentRunSummary:
    """Pay ``month``'s old-age allowance and e-voucher credits to every eligible elder not yet paid.

    ``after_chunk(n)`` is called after the n-th chunk that paid someone committed (tests raise from it
    to simulate a crash); ``on_commit`` after the summary is staged (the outbox relay's wake-up).
    Summary groups are ``"<programme>:<tier or group>"``.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be 1 or more")
    work: list[tuple[str, Band]] = [(OLD_AGE, b) for b in age_bands(policy.old_age, month)]
    work += [(VOUCHER, b) for b in voucher_bands(policy.voucher, month)]
    run = await _start(db, month.key, now)
    paid: dict[str, GroupTotal] = {}
    chunks = 0
    for programme, band in work:
        if band.monthly is None:
            continue
        after: Keyset | None = None
        while True:
            # Not kit.db.plan_each_statement: PostgreSQL's generic plans serve these chunks (a band's
            # keyset walk on ix_elder_birth, LIMIT chunk_size), and planning each one anew made the run at
            # a million elders 7.2 -> 9.5 s (bench/eldercare_allowances.py, both measured 2026-12-06).
            async with db.unit_of_work() as session:
                made, upper = await _pay_chunk(
                    session,
                    run=run,
                    programme=programme,
                    band=band,
                    month=month,
                    after=after,
                    chunk_size=chunk_size,
                    now=now,
                )
            paid = payments.add_totals(paid, f"{programme}:{band.key}", made, band.monthly.fen)
            if made:
                chunks += 1
                if after_chunk is not None:
                    after_chunk(chunks)
            if upper is None:
                break
            after = upper
    skipped = await summary_of.count_skipped(db, month, [(pg, b) for pg, b in work if b.monthly is None])
    event_id, reported = await summary_of.finish_run(db, run, skipped=skipped, now=now)
    if event_id is not None and on_commit is not None:
        on_commit()
    summary = PaymentRunSummary(
        programme=RUN_PROGRAMME,
        period=month.key,
        run_id=run.id,
        paid=paid,
        skipped=skipped,
        chunks=chunks,
        event_id=event_id,
    )
    log.info(
        "allowance run %s #%d: %d paid (%s), %d skipped, %d reported",
        month.key,
        run.sequence,
        summary.persons_paid,
        Money(summary.total_fen),
        summary.persons_skipped,
        reported,
    )
    return summary
