"""SQL building blocks shared by the service modules: region ranges and the visit-programme conditions.

The conditions are computed for one day and one policy, so "overdue" is decided by the database at
query time from ``child.visit_anchor_on`` and never stored (DESIGN §6: DHIS2's stored OVERDUE drifted).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import rules
from services.childwelfare.models import Child
from services.childwelfare.rules import VisitPolicy

M = TypeVar("M", bound=SQLModel)


def is_minor(today: date) -> sa.ColumnElement[bool]:
    """Children who have not turned 18 by ``today``."""
    return col(Child.birth_date) > rules.adult_cutoff(today)


def in_programme(policy: VisitPolicy, today: date) -> sa.ColumnElement[bool]:
    """Minors whose current category needs home visits on ``today``."""
    categories = [c.value for c in policy.cadences_on(today)]
    if not categories:
        return sa.false()
    return sa.and_(col(Child.category).in_(categories), is_minor(today))


def overdue(policy: VisitPolicy, today: date) -> sa.ColumnElement[bool]:
    """Children in the programme whose visit is overdue on ``today``: one anchor range per category."""
    per_category = [
        sa.and_(
            col(Child.category) == category.value,
            col(Child.visit_anchor_on) < rules.overdue_anchor_cutoff(today, cadence),
        )
        for category, cadence in policy.cadences_on(today).items()
    ]
    if not per_category:
        return sa.false()
    return sa.and_(sa.or_(*per_category), is_minor(today))


async def first_per_child(
    session: AsyncSession,
    model: type[M],
    child_column: sa.ColumnElement[str],
    where: sa.ColumnElement[bool],
    order: Sequence[sa.ColumnElement[Any]],
    limit: int,
) -> tuple[dict[str, list[M]], dict[str, int]]:
    """Up to ``limit + 1`` rows per child in ``order`` (one windowed query) and each child's total.

    The extra row tells whether more follow; the gateway asks this for the children of one page, so
    50 children cost two queries, not fifty.
    """
    rank = sa.func.row_number().over(partition_by=child_column, order_by=list(order)).label("rank")
    ranked = select(model, rank).where(where).subquery()
    rows = aliased(model, ranked)
    stmt = select(rows).where(ranked.c.rank <= limit + 1).order_by(ranked.c.child_id, ranked.c.rank)
    found: dict[str, list[M]] = {}
    for row in (await session.exec(stmt)).all():
        found.setdefault(row.child_id, []).append(row)  # type: ignore[attr-defined]
    counts = select(child_column, sa.func.count()).where(where).group_by(child_column)
    totals = {str(c): int(n) for c, n in (await session.exec(counts)).all()}
    return found, totals
