"""Reading children's files: one child or a page of them, each with history, guardians and director.

A page is assembled with one query per kind of row (children, periods, guardians, directors), never
one per child. ``read_files`` opens its own transaction, because showing ID numbers in clear turns a
read into a write (the audit log).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit, network, queries, rules
from services.childwelfare.models import CategoryPeriod, Child, Guardian, NetworkMember
from services.childwelfare.rules import ChildStatus, ProtectionCategory, VisitPolicy
from services.kit.columns import in_regions


@dataclass(frozen=True)
class ChildFile:
    """Everything the API shows about one child."""

    child: Child
    history: list[CategoryPeriod]
    guardians: list[Guardian]
    director: NetworkMember | None
    status: ChildStatus


@dataclass(frozen=True)
class ChildFilter:
    """What ListChildren narrows by (all optional)."""

    category: ProtectionCategory | None = None
    visit_overdue: bool = False
    without_director: bool = False
    director_subject: str = ""
    include_adults: bool = False


async def assemble(
    session: AsyncSession, children: Sequence[Child], *, policy: VisitPolicy, today: date
) -> list[ChildFile]:
    """Files for the given children, loading their related rows in one query per kind."""
    ids = [c.id for c in children]
    if not ids:
        return []
    periods: dict[str, list[CategoryPeriod]] = {i: [] for i in ids}
    stmt = select(CategoryPeriod).where(col(CategoryPeriod.child_id).in_(ids))
    for p in (await session.exec(stmt.order_by(col(CategoryPeriod.effective_from)))).all():
        periods[p.child_id].append(p)
    guardians: dict[str, list[Guardian]] = {i: [] for i in ids}
    g_stmt = select(Guardian).where(col(Guardian.child_id).in_(ids)).order_by(col(Guardian.position))
    for g in (await session.exec(g_stmt)).all():
        guardians[g.child_id].append(g)
    directors = await network.current_members(session, region_codes=[c.region_code for c in children])
    return [
        ChildFile(
            child=c,
            history=periods[c.id],
            guardians=guardians[c.id],
            director=directors.get(c.region_code),
            status=rules.child_status(
                birth_date=c.birth_date,
                category=ProtectionCategory(c.category),
                visit_anchor_on=c.visit_anchor_on,
                policy=policy,
                today=today,
            ),
        )
        for c in children
    ]


async def list_children(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    where: ChildFilter,
    policy: VisitPolicy,
    today: date,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Child], int, bool]:
    """A page in (region_code, id) order after the keyset ``after``, the total, and whether more follow."""
    conditions = [in_regions(col(Child.region_code), scopes)]
    if where.director_subject:
        villages = await network.villages_of_director(session, subject=where.director_subject, scopes=scopes)
        conditions.append(col(Child.region_code).in_(villages) if villages else sa.false())
    if where.category is not None:
        conditions.append(col(Child.category) == where.category.value)
    if where.visit_overdue:
        conditions.append(queries.overdue(policy, today))
    elif not where.include_adults:
        conditions.append(queries.is_minor(today))
    if where.without_director:
        conditions.append(network.has_no_director())
    total = (await session.exec(select(sa.func.count()).select_from(Child).where(*conditions))).one()
    stmt = select(Child).where(*conditions)
    if after is not None:
        region, last_id = after
        stmt = stmt.where(
            sa.or_(
                col(Child.region_code) > region,
                sa.and_(col(Child.region_code) == region, col(Child.id) > last_id),
            )
        )
    rows = list(
        (await session.exec(stmt.order_by(col(Child.region_code), col(Child.id)).limit(limit + 1))).all()
    )
    return rows[:limit], int(total), len(rows) > limit


async def reveal(session: AsyncSession, *, actor: str, children: Sequence[Child], now: datetime) -> None:
    """Audit the clear ID numbers about to be shown (call inside a unit of work)."""
    await audit.record_id_reads(session, actor=actor, children=children, now=now)
