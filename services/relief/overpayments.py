"""Overpayments: money paid for a month that began after a member's death, listed for the officer.

Listed, never deducted: an officer records each one as recovered or waived (with a note why). Two ways
a payment becomes one:

- a death is applied (``discovery.death_registered``): every payment of the household for a month
  whose FIRST day is after the date of death (``list_after_death``). The household keeps its other
  members' share only after it is re-computed (the next re-classification reads the current members),
  so the whole payment is listed and the officer decides what to recover;
- a payment run pays a household on an amount that still counts a member who died before the month
  (``list_for_payments``): the amount its grant was decided on (``basis`` grant) when the member
  belonged as the grant started, or a re-classification (``basis`` assessment) made while the member
  still belonged — before the death was recorded, though the payment came after. A grant the death
  ended pays nothing after it (the only member died), and a re-classification made after the death
  was recorded counts the members left, so neither is listed.

One row per payment (``uq_relief_overpayment_payment``), inserted with ``ON CONFLICT DO NOTHING``: a
redelivered death or a re-run lists nothing twice. The handling is a guarded UPDATE (``WHERE status =
'open'``): of two officers acting at once, one is refused. Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit, payments
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition, NotFound
from services.kit.periods import Month
from services.relief.household_rules import LeaveReason
from services.relief.models import (
    AssistanceGrant,
    Membership,
    ReliefAssessment,
    ReliefOverpayment,
    ReliefPayment,
)
from services.relief.models.payments import BASIS_ASSESSMENT, BASIS_GRANT

_NAMESPACE = uuid.UUID("0d7a4e0c-5c1f-4f7b-8d8e-61b2d9a7c3f4")


class OverpaymentStatus(StrEnum):
    """Where an overpayment stands."""

    OPEN = "open"
    RECOVERED = "recovered"
    WAIVED = "waived"


def overpayment_id(payment_id: int) -> str:
    """The one id an overpayment of a payment can have."""
    return str(uuid.uuid5(_NAMESPACE, f"overpayment|{payment_id}"))


async def _insert(session: AsyncSession, rows: list[dict[str, object]]) -> int:
    """Insert the rows, those of a payment listed already left out; how many were new."""
    if not rows:
        return 0
    table = ReliefOverpayment.__table__  # type: ignore[attr-defined]
    insert = payments.insert_for((await session.connection()).dialect.name)
    stmt = (
        insert(table).values(rows).on_conflict_do_nothing(index_elements=["payment_id"]).returning(table.c.id)
    )
    return len((await session.exec(stmt)).all())  # type: ignore[call-overload]


def _row(
    payment: ReliefPayment, *, person_id: str, died_on: date, source_event_id: str, now: datetime
) -> dict[str, object]:
    assert payment.id is not None
    return {
        "id": overpayment_id(payment.id),
        "household_id": payment.household_id,
        "region_code": payment.region_code,
        "payment_id": payment.id,
        "person_id": person_id,
        "died_on": died_on,
        "period": payment.period,
        "amount_fen": payment.amount_fen,
        "source_event_id": source_event_id[:200],
        "found_at": now,
        "status": OverpaymentStatus.OPEN.value,
        "handled_note": "",
    }


async def list_after_death(
    session: AsyncSession,
    *,
    household_id: str,
    person_id: str,
    died_on: date,
    source_event_id: str,
    now: datetime,
) -> int:
    """List the household's payments for months that began after ``died_on``; how many were new."""
    # A month's first day is after the death exactly when the month is later than the death's month.
    later = Month.containing(died_on).key
    stmt = select(ReliefPayment).where(
        col(ReliefPayment.household_id) == household_id, col(ReliefPayment.period) > later
    )
    paid = (await session.exec(stmt.order_by(col(ReliefPayment.id)))).all()
    rows = [
        _row(p, person_id=person_id, died_on=died_on, source_event_id=source_event_id, now=now) for p in paid
    ]
    return await _insert(session, rows)


async def list_for_payments(
    session: AsyncSession, payment_ids: Sequence[int], *, month: Month, source: str, now: datetime
) -> int:
    """List new payments whose amount still counts a member who died before the month; how many.

    Grant basis: the member belonged when the grant started. Assessment basis: the re-classification
    was made while the member still belonged (before the death was recorded, ``left_recorded_at``).
    """
    if not payment_ids:
        return 0
    p, g, a, m = ReliefPayment, AssistanceGrant, ReliefAssessment, Membership
    died_before_the_month = (
        select(p, col(m.person_id), col(m.left_on))
        .join(m, col(m.household_id) == col(p.household_id))
        .where(
            # The range of the chunk's ids, not a parameter per payment (a chunk pays up to 20,000): any
            # other payment of the month in it is judged the same way, and listing is idempotent.
            col(p.id).between(min(payment_ids), max(payment_ids)),
            col(p.period) == month.key,
            col(m.left_reason) == LeaveReason.DIED.value,
            col(m.left_on) < month.first,
        )
    )
    on_grants = died_before_the_month.join(g, col(g.id) == col(p.grant_id)).where(
        col(p.basis) == BASIS_GRANT,
        col(m.left_on) >= col(g.effective_from),
        col(m.joined_on) <= col(g.effective_from),
    )
    on_assessments = died_before_the_month.join(a, col(a.id) == col(p.assessment_id)).where(
        col(p.basis) == BASIS_ASSESSMENT,
        # The classification counted the open memberships of its moment (classification.py).
        col(m.recorded_at) <= col(a.assessed_at),
        col(m.left_recorded_at) > col(a.assessed_at),
    )
    found = [*(await session.exec(on_grants)).all(), *(await session.exec(on_assessments)).all()]
    found.sort(key=lambda r: (r[0].id, r[2]))
    seen: set[int] = set()
    rows: list[dict[str, object]] = []
    for payment, person_id, left_on in found:
        if payment.id in seen or left_on is None:
            continue
        seen.add(payment.id)
        rows.append(_row(payment, person_id=person_id, died_on=left_on, source_event_id=source, now=now))
    return await _insert(session, rows)


async def list_overpayments(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: OverpaymentStatus | None,
    household_id: str | None,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[ReliefOverpayment], int, bool]:
    """Overpayments in the scopes (optionally of one status or household), by period then id."""
    o = ReliefOverpayment
    where = [in_regions(col(o.region_code), scopes)]
    if status is not None:
        where.append(col(o.status) == status.value)
    if household_id:
        where.append(col(o.household_id) == household_id)
    total = (await session.exec(select(sa.func.count()).select_from(o).where(*where))).one()
    order = (col(o.period), col(o.id))
    stmt = select(o).where(*where)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*order) > sa.tuple_(after[0], after[1]))
    rows = list((await session.exec(stmt.order_by(*order).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def handle_overpayment(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    overpayment_id: str,
    outcome: OverpaymentStatus,
    note: str,
    now: datetime,
) -> ReliefOverpayment:
    """Record an open overpayment as recovered or waived; FAILED_PRECONDITION when handled already."""
    o = ReliefOverpayment
    stmt = select(o).where(col(o.id) == overpayment_id, in_regions(col(o.region_code), scopes))
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"overpayment {overpayment_id} not found")
    if found.status != OverpaymentStatus.OPEN.value:
        raise FailedPrecondition(f"overpayment {found.id} was {found.status} already by {found.handled_by}")
    moved = await session.exec(  # type: ignore[call-overload]
        sa.update(o)
        .where(col(o.id) == found.id, col(o.status) == OverpaymentStatus.OPEN.value)
        .values(status=outcome.value, handled_by=actor, handled_at=now, handled_note=note)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise FailedPrecondition(f"overpayment {found.id} was handled meanwhile; reload it")
    await session.refresh(found)
    audit.record(
        session,
        actor=actor,
        action=f"relief.overpayment-{outcome.value}",
        target=found.household_id,
        region_code=found.region_code,
        now=now,
        detail=f"overpayment {found.id} ({found.period}, {found.amount_fen} fen) {outcome.value}",
    )
    return found
