"""Several households at once: what a page of households shows, in a constant number of queries.

``BatchGetHouseholds`` answers a client (the gateway) showing a page of households with their grants,
applications and flags, which would otherwise cost one call per household and field. Every read is
inside the caller's regions: the households are looked up there first and everything else is read
for the visible ones only. A household's first page of applications (or flags) is cut with a window
function (``row_number`` per household, ``count`` per household for the total) so a page of 100
households is one query whatever their sizes; the order and the cursors are those of the
single-household listings (``household_cases``, ``discovery_flags``), so a client continues there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import in_regions
from services.relief import finances
from services.relief.application_files import LIST_ORDER
from services.relief.application_rules import ApplicationState
from services.relief.discovery_flags import WORKLIST_ORDER
from services.relief.discovery_rules import FlagStatus
from services.relief.households import HouseholdFile, members_of
from services.relief.models import Asset, AssistanceGrant, Household, HouseholdFlag, Income, ReliefApplication

MAX_IDS = 100
T = TypeVar("T")


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """The first rows of one household's list, the household's total, and whether more follow."""

    rows: list[T]
    total: int
    more: bool


async def visible_files(
    session: AsyncSession, *, scopes: Sequence[str], ids: Sequence[str], with_past: bool
) -> list[HouseholdFile]:
    """The households among ``ids`` inside the scopes, in the order of ``ids``, with their members."""
    stmt = select(Household).where(
        col(Household.id).in_(list(ids)), in_regions(col(Household.region_code), scopes)
    )
    found = {h.id: h for h in (await session.exec(stmt)).all()}
    shown = [found[i] for i in ids if i in found]
    keys = [h.id for h in shown]
    current = await members_of(session, household_ids=keys)
    past = await members_of(session, household_ids=keys, current=False) if with_past else {}
    return [HouseholdFile(h, current.get(h.id, []), past.get(h.id, [])) for h in shown]


async def finances_of(
    session: AsyncSession, files: Sequence[HouseholdFile]
) -> dict[str, tuple[list[Income], list[Asset]]]:
    """Each household's current members' incomes and assets (as GetHousehold shows them), in two queries."""
    household_of = {r.person.id: f.household.id for f in files for r in f.members}
    incomes = await finances.incomes_of(session, person_ids=list(household_of))
    assets = await finances.assets_of(session, person_ids=list(household_of))
    found: dict[str, tuple[list[Income], list[Asset]]] = {f.household.id: ([], []) for f in files}
    for income in incomes:  # already newest first; the split keeps the order
        found[household_of[income.person_id]][0].append(income)
    for asset in assets:
        found[household_of[asset.person_id]][1].append(asset)
    return found


async def grants_of(
    session: AsyncSession, *, household_ids: Sequence[str]
) -> dict[str, list[AssistanceGrant]]:
    """Every grant of each household, newest first (as ``household_cases.household_grants``)."""
    stmt = (
        select(AssistanceGrant)
        .where(col(AssistanceGrant.household_id).in_(list(household_ids)))
        .order_by(
            col(AssistanceGrant.effective_from).desc(),
            col(AssistanceGrant.granted_at).desc(),
            col(AssistanceGrant.id).desc(),
        )
    )
    found: dict[str, list[AssistanceGrant]] = {h: [] for h in household_ids}
    for grant in (await session.exec(stmt)).all():
        found[grant.household_id].append(grant)
    return found


async def _first_rows(
    session: AsyncSession,
    entity: type[T],
    *,
    household: sa.ColumnElement[str],
    where: sa.ColumnElement[bool],
    order: Sequence[sa.ColumnElement[object]],
    household_ids: Sequence[str],
    limit: int,
) -> dict[str, RowPage[T]]:
    """Per household, the first ``limit`` rows in ``order`` (and one more to tell whether more follow)."""
    ranked = (
        select(
            entity,
            sa.func.row_number().over(partition_by=household, order_by=order).label("row_no"),
            sa.func.count().over(partition_by=household).label("total"),
        )
        .where(where)
        .subquery()
    )
    row = aliased(entity, ranked)
    stmt = (
        select(row, ranked.c.total)
        .where(ranked.c.row_no <= limit + 1)
        .order_by(ranked.c.household_id, ranked.c.row_no)
    )
    grouped: dict[str, list[tuple[T, int]]] = {h: [] for h in household_ids}
    for item, total in (await session.exec(stmt)).all():
        grouped[item.household_id].append((item, int(total)))
    return {
        h: RowPage([r for r, _ in rows[:limit]], rows[0][1] if rows else 0, len(rows) > limit)
        for h, rows in grouped.items()
    }


async def first_applications(
    session: AsyncSession, *, household_ids: Sequence[str], state: ApplicationState | None, limit: int
) -> dict[str, RowPage[ReliefApplication]]:
    """Each household's first page of applications (of one state), newest first."""
    household = col(ReliefApplication.household_id)
    where = household.in_(list(household_ids))
    if state is not None:
        where = sa.and_(where, col(ReliefApplication.state) == state.value)
    return await _first_rows(
        session,
        ReliefApplication,
        household=household,
        where=where,
        order=[c.desc() for c in LIST_ORDER],
        household_ids=household_ids,
        limit=limit,
    )


async def first_flags(
    session: AsyncSession, *, household_ids: Sequence[str], status: FlagStatus | None, limit: int
) -> dict[str, RowPage[HouseholdFlag]]:
    """Each household's first page of discovery flags (of one status), oldest first."""
    household = col(HouseholdFlag.household_id)
    where = household.in_(list(household_ids))
    if status is not None:
        where = sa.and_(where, col(HouseholdFlag.status) == status.value)
    return await _first_rows(
        session,
        HouseholdFlag,
        household=household,
        where=where,
        order=list(WORKLIST_ORDER),
        household_ids=household_ids,
        limit=limit,
    )
