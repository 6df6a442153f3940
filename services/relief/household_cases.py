"""A household's applications and grants, as the gateway's ``Household`` shows them.

Reads only, inside the caller's regions (the household itself is looked up there first, so another
region's household is NOT_FOUND rather than an empty list). Applications page newest first by the same
keyset as ``application_files.list_applications``; a household's grants are few and come all at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.relief.application_files import LIST_ORDER
from services.relief.application_rules import ApplicationState
from services.relief.households import visible_household
from services.relief.models import AssistanceGrant, ReliefApplication


async def household_applications(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    household_id: str,
    state: ApplicationState | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[ReliefApplication], int, bool]:
    """One household's applications (of one state), newest first, after a keyset; total and more."""
    household = await visible_household(session, scopes=scopes, household_id=household_id)
    where = col(ReliefApplication.household_id) == household.id
    if state is not None:
        where = sa.and_(where, col(ReliefApplication.state) == state.value)
    total = (await session.exec(select(sa.func.count()).select_from(ReliefApplication).where(where))).one()
    stmt = select(ReliefApplication).where(where)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*LIST_ORDER) < sa.tuple_(*after))
    rows = list((await session.exec(stmt.order_by(*(c.desc() for c in LIST_ORDER)).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def household_grants(
    session: AsyncSession, *, scopes: Sequence[str], household_id: str
) -> list[AssistanceGrant]:
    """Every grant of one household, newest first (start day, then when granted, then id)."""
    household = await visible_household(session, scopes=scopes, household_id=household_id)
    stmt = (
        select(AssistanceGrant)
        .where(col(AssistanceGrant.household_id) == household.id)
        .order_by(
            col(AssistanceGrant.effective_from).desc(),
            col(AssistanceGrant.granted_at).desc(),
            col(AssistanceGrant.id).desc(),
        )
    )
    return list((await session.exec(stmt)).all())
