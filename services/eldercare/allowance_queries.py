"""Reading allowance runs and payments: keyset pages, region-scoped.

Payments are scoped by their own ``region_code`` (the elder's when paid, indexed with the period),
except one elder's, which are scoped by the elder: outside the caller's regions the elder is NOT_FOUND.
Pages run newest period first, then id; a token is the (period, id) of the last row served. Runs are
district-wide summaries, newest period first, then the latest run of it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.allowance_requests import PaymentQuery
from services.eldercare.models import ElderAllowancePayment, ElderAllowanceRun
from services.eldercare.vouchers import visible_elder
from services.kit.columns import in_regions

P = ElderAllowancePayment


async def payments(
    session: AsyncSession, query: PaymentQuery
) -> tuple[list[ElderAllowancePayment], int, bool]:
    """One elder's or the scopes' payments: rows, total, whether more follow."""
    if query.elder_id:
        elder = await visible_elder(session, elder_id=query.elder_id, scopes=query.scopes)
        where = col(P.elder_id) == elder.id
    else:
        where = in_regions(col(P.region_code), query.scopes)
    if query.period:
        where = sa.and_(where, col(P.period) == query.period)
    if query.programme:
        where = sa.and_(where, col(P.programme) == query.programme)
    total = (await session.exec(select(sa.func.count()).select_from(P).where(where))).one()
    stmt = select(P).where(where)
    if query.after is not None:
        period, last_id = query.after
        stmt = stmt.where(
            sa.or_(col(P.period) < period, sa.and_(col(P.period) == period, col(P.id) > last_id))
        )
    stmt = stmt.order_by(col(P.period).desc(), col(P.id)).limit(query.limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[: query.limit], int(total), len(rows) > query.limit


async def runs(
    session: AsyncSession, *, period: str | None, after: tuple[str, int] | None, limit: int
) -> tuple[list[ElderAllowanceRun], int, bool]:
    """Runs, newest period first and the latest run of it first: rows, total, more."""
    r = ElderAllowanceRun
    where = col(r.period) == period if period else sa.true()
    total = (await session.exec(select(sa.func.count()).select_from(r).where(where))).one()
    stmt = select(r).where(where)
    if after is not None:
        last_period, last_sequence = after
        stmt = stmt.where(
            sa.or_(
                col(r.period) < last_period,
                sa.and_(col(r.period) == last_period, col(r.sequence) < last_sequence),
            )
        )
    stmt = stmt.order_by(col(r.period).desc(), col(r.sequence).desc()).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit
