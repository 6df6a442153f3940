"""Reading the allowance runs and payments: keyset pages, region-scoped, and first pages for many children.

Payments are scoped by their own ``region_code`` (the child's village when paid, indexed with the
period: ``ix_allowance_payment_region_period``), except one child's, which are scoped by the child:
outside the caller's regions the child is NOT_FOUND. Pages run newest period first, then id; a page
token is the (period, id) of the last row served. Runs are district-wide summaries (no child, no
region), newest period first, then the latest run of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import queries
from services.childwelfare.allowances import PROGRAMME
from services.childwelfare.children import visible_child
from services.childwelfare.models import AllowancePayment, AllowanceRun, Child
from services.kit.columns import in_regions

Page = tuple[list[AllowancePayment], int, bool]


def _after(after: tuple[str, int] | None) -> sa.ColumnElement[bool]:
    if after is None:
        return sa.true()
    period, last_id = after
    return sa.or_(
        col(AllowancePayment.period) < period,
        sa.and_(col(AllowancePayment.period) == period, col(AllowancePayment.id) > last_id),
    )


def _filter(period: str | None) -> sa.ColumnElement[bool]:
    mine = col(AllowancePayment.programme) == PROGRAMME
    return sa.and_(mine, col(AllowancePayment.period) == period) if period else mine


async def _page(
    session: AsyncSession, where: sa.ColumnElement[bool], after: tuple[str, int] | None, limit: int
) -> Page:
    total = (await session.exec(select(sa.func.count()).select_from(AllowancePayment).where(where))).one()
    stmt = (
        select(AllowancePayment)
        .where(where, _after(after))
        .order_by(col(AllowancePayment.period).desc(), col(AllowancePayment.id))
        .limit(limit + 1)
    )
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit


async def child_payments(
    session: AsyncSession,
    *,
    child_id: str,
    scopes: Sequence[str],
    period: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> Page:
    """One child's payments (NotFound outside the scopes): rows, total, whether more follow."""
    child = await visible_child(session, scopes=scopes, child_id=child_id)
    return await _page(
        session, sa.and_(col(AllowancePayment.child_id) == child.id, _filter(period)), after, limit
    )


async def region_payments(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    period: str | None,
    after: tuple[str, int] | None,
    limit: int,
) -> Page:
    """Payments made in the scopes' villages: rows, total, whether more follow."""
    where = sa.and_(in_regions(col(AllowancePayment.region_code), scopes), _filter(period))
    return await _page(session, where, after, limit)


async def payments_per_child(
    session: AsyncSession, *, child_ids: Sequence[str], scopes: Sequence[str], period: str | None, limit: int
) -> dict[str, Page]:
    """The first page of each child's payments, in one query (children outside the scopes: empty)."""
    visible = (
        select(Child.id).where(col(Child.id).in_(list(child_ids)), in_regions(col(Child.region_code), scopes))
    ).scalar_subquery()
    where = sa.and_(col(AllowancePayment.child_id).in_(visible), _filter(period))
    order = (col(AllowancePayment.period).desc(), col(AllowancePayment.id))
    rows, totals = await queries.first_per_child(
        session, AllowancePayment, col(AllowancePayment.child_id), where, order, limit
    )
    return {c: (rows.get(c, [])[:limit], totals.get(c, 0), len(rows.get(c, [])) > limit) for c in child_ids}


async def list_runs(
    session: AsyncSession, *, period: str | None, after: tuple[str, int] | None, limit: int
) -> tuple[list[AllowanceRun], int, bool]:
    """Allowance runs, newest period first and the latest run of it first: rows, total, more."""
    where = col(AllowanceRun.programme) == PROGRAMME
    if period:
        where = sa.and_(where, col(AllowanceRun.period) == period)
    total = (await session.exec(select(sa.func.count()).select_from(AllowanceRun).where(where))).one()
    stmt = select(AllowanceRun).where(where)
    if after is not None:
        last_period, last_sequence = after
        stmt = stmt.where(
            sa.or_(
                col(AllowanceRun.period) < last_period,
                sa.and_(col(AllowanceRun.period) == last_period, col(AllowanceRun.sequence) < last_sequence),
            )
        )
    stmt = stmt.order_by(col(AllowanceRun.period).desc(), col(AllowanceRun.sequence).desc()).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit
