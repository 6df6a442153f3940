"""A household's ledger: its payments newest month first, its overpayments and the totals (read only).

The household is looked up inside the caller's regions first (``visible_household``: NOT_FOUND
elsewhere), so a ledger never tells whether a household in another town exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.relief.households import visible_household
from services.relief.models import ReliefAssessment, ReliefOverpayment, ReliefPayment, ReliefStandardsSnapshot
from services.relief.overpayments import OverpaymentStatus


@dataclass(frozen=True)
class LedgerLine:
    """A payment and, when paid on an assessment, its classification and the standards' day."""

    payment: ReliefPayment
    classification: str | None
    standards_day: date | None


@dataclass(frozen=True)
class Ledger:
    """A page of a household's payments, all its overpayments, and totals over everything."""

    household_id: str
    lines: list[LedgerLine]
    more: bool
    overpayments: list[ReliefOverpayment]
    paid_count: int
    paid_fen: int
    overpaid_fen: dict[OverpaymentStatus, int]


async def ledger(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    household_id: str,
    after: tuple[str, int] | None,
    limit: int,
) -> Ledger:
    """The household's ledger page after ``(period, payment id)``, newest first; NotFound outside scopes."""
    household = await visible_household(session, scopes=scopes, household_id=household_id)
    p, a, s = ReliefPayment, ReliefAssessment, ReliefStandardsSnapshot
    stmt = (
        select(p, col(a.classification), col(s.day))
        .outerjoin(a, col(a.id) == col(p.assessment_id))
        .outerjoin(s, col(s.id) == col(a.standards_id))
        .where(col(p.household_id) == household.id)
    )
    if after is not None:
        stmt = stmt.where(sa.tuple_(col(p.period), col(p.id)) < sa.tuple_(after[0], after[1]))
    rows = (await session.exec(stmt.order_by(col(p.period).desc(), col(p.id).desc()).limit(limit + 1))).all()
    lines = [LedgerLine(pay, cls, day) for pay, cls, day in rows[:limit]]
    count, fen = (
        await session.exec(
            select(sa.func.count(), sa.func.coalesce(sa.func.sum(p.amount_fen), 0)).where(
                col(p.household_id) == household.id
            )
        )
    ).one()
    o = ReliefOverpayment
    overpaid = list(
        (
            await session.exec(
                select(o).where(col(o.household_id) == household.id).order_by(col(o.period), col(o.id))
            )
        ).all()
    )
    by_status = {status: 0 for status in OverpaymentStatus}
    for row in overpaid:
        by_status[OverpaymentStatus(row.status)] += row.amount_fen
    return Ledger(household.id, lines, len(rows) > limit, overpaid, int(count), int(fen), by_status)
