"""Facility coverage per town: a protection station, and villages with a children's home open today.

``coverage(session, scopes=..., today=...)`` is the one entry point; the indicators (e.g. "children's-home
coverage of towns", 镇街基础型儿童之家服务覆盖率) are computed from its rows. The villages of a town come
from the packaged region tree, plus any village that has (or had) a home or is itself one of the scopes
(test and new regions need not be in the tree). Only villages inside the scopes count; a town's station is
shown to anyone who sees part of the town (a village director sees whether their town has one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare.facility_rules import HomeLevel, coverage_rate, is_open_on
from services.childwelfare.models import ChildrenHome, ProtectionStation
from services.kit.columns import in_regions
from services.kit.regions import RegionTree, within_any

TOWN_LENGTH = 9
VILLAGE_LENGTH = 12


@dataclass(frozen=True)
class TownCoverage:
    """One town's facilities on a day, counted over the villages inside the caller's scopes."""

    town_code: str
    town_name: str
    station_name: str | None
    village_count: int
    villages_with_home: int
    demonstration_homes: int

    @property
    def home_rate(self) -> float | None:
        """Villages with an open home / villages (None when no villages)."""
        return coverage_rate(self.villages_with_home, self.village_count)

    @property
    def fully_covered(self) -> bool:
        """Every village of the town (in scope) has an open home."""
        return self.village_count > 0 and self.villages_with_home == self.village_count


def _tree_villages(tree: RegionTree, scopes: Sequence[str]) -> dict[str, set[str]]:
    """Villages of the packaged tree inside the scopes, by town (towns in scope with no villages kept)."""
    found: dict[str, set[str]] = defaultdict(set)
    for town in tree.towns():
        inside = {v.code for v in tree.villages(town.code) if within_any(v.code, scopes)}
        if inside or within_any(town.code, scopes):
            found[town.code] |= inside
    return found


async def coverage(session: AsyncSession, *, scopes: Sequence[str], today: date) -> list[TownCoverage]:
    """Per town touching the scopes: its station (if open today) and its villages' open homes today."""
    tree = RegionTree.xiaoshan()
    villages = _tree_villages(tree, scopes)
    for scope in scopes:
        if len(scope) >= TOWN_LENGTH:
            villages[scope[:TOWN_LENGTH]].update({scope} if len(scope) == VILLAGE_LENGTH else set())
    # Every home in scope, closed ones too: a village that once had a home is a village of its town.
    homes = await session.exec(
        select(
            ChildrenHome.region_code, ChildrenHome.level, ChildrenHome.opened_on, ChildrenHome.closed_on
        ).where(in_regions(col(ChildrenHome.region_code), scopes))
    )
    with_home: dict[str, set[str]] = defaultdict(set)
    demonstration: dict[str, int] = defaultdict(int)
    for region_code, level, opened_on, closed_on in homes.all():
        town = region_code[:TOWN_LENGTH]
        villages[town].add(region_code)
        if is_open_on(opened_on, closed_on, today):
            with_home[town].add(region_code)
            demonstration[town] += level == HomeLevel.DEMONSTRATION.value
    # A station sits on the town code itself: inside a district or town scope, or above a village scope.
    above = {s[:TOWN_LENGTH] for s in scopes if len(s) > TOWN_LENGTH}
    stations = await session.exec(
        select(ProtectionStation.region_code, ProtectionStation.name).where(
            sa.or_(
                in_regions(col(ProtectionStation.region_code), scopes),
                col(ProtectionStation.region_code).in_(sorted(above)),
            ),
            col(ProtectionStation.opened_on) <= today,
        )
    )
    station_of: dict[str, str] = {}
    for region_code, name in stations.all():
        station_of[region_code] = name
        villages.setdefault(region_code, set())
    return [
        TownCoverage(
            town_code=town,
            town_name=tree.get(town).name if tree.contains(town) else "",
            station_name=station_of.get(town),
            village_count=len(villages[town]),
            villages_with_home=len(with_home[town]),
            demonstration_homes=demonstration[town],
        )
        for town in sorted(villages)
    ]
