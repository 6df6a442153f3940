"""Pure rules of meal assistance (助餐): valid prices and subsidies, and village coverage.

Coverage: a village counts as covered on a day when a provider open that day is located in it (a
village-level provider) or lists it among the villages it serves (delivery, 助餐配送). A provider located
at a town code covers only the villages it lists — standing in a town is not serving all its villages.
This matches the plan's indicator 助餐服务村社覆盖率 (villages with meal service / all villages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.kit.errors import Collector

VILLAGE_LENGTH = 12
TOWN_LENGTH = 9
MAX_PRICE_FEN = 10_000  # ¥100 a meal: anything above is a typing slip, not a meal
MAX_VILLAGES_SERVED = 100
MAX_OPERATOR_LENGTH = 100
MAX_PROVIDER_NAME_LENGTH = 100


class ProviderKind(StrEnum):
    """A canteen cooks on site; a meal point serves or delivers meals cooked elsewhere."""

    CANTEEN = "canteen"  # 老年食堂
    MEAL_POINT = "meal_point"  # 助餐点


class MealKind(StrEnum):
    """Which meal of the day."""

    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"


@dataclass(frozen=True)
class Placement:
    """Where a provider stands, which villages it also serves, and since when it is open."""

    region_code: str
    kind: ProviderKind
    opened_on: date
    villages_served: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TownCoverage:
    """One town's villages (in scope), those covered, and its providers open on the day."""

    town_code: str
    village_count: int
    villages_covered: int
    canteens: int
    meal_points: int

    @property
    def rate(self) -> float | None:
        """Covered villages / villages; None when the town has no villages in scope."""
        return coverage_rate(self.villages_covered, self.village_count)


def check_price(errors: Collector, *, price_fen: int, subsidy_fen: int) -> None:
    """A price of 1 fen .. ¥100 and a subsidy from 0 up to the price."""
    errors.check(0 < price_fen <= MAX_PRICE_FEN, "price_fen", f"must be between 1 and {MAX_PRICE_FEN} fen")
    if subsidy_fen < 0:
        errors.add("subsidy_fen", "must not be negative")
    elif subsidy_fen > price_fen:
        errors.add("subsidy_fen", "must not exceed price_fen")


def villages_reached(placement: Placement) -> frozenset[str]:
    """The villages one provider covers: the one it stands in (if a village) and those it lists."""
    own = {placement.region_code} if len(placement.region_code) == VILLAGE_LENGTH else set()
    return frozenset(own) | placement.villages_served


def coverage(
    villages_by_town: Mapping[str, Iterable[str]], placements: Sequence[Placement], *, on: date
) -> list[TownCoverage]:
    """Per town (sorted): how many of its villages a provider open on ``on`` reaches.

    Only the villages listed in ``villages_by_town`` count (the caller's scope); a provider elsewhere
    that delivers into them still covers them.
    """
    open_now = [p for p in placements if p.opened_on <= on]
    reached: set[str] = set()
    for placement in open_now:
        reached |= villages_reached(placement)
    rows = []
    for town, villages in sorted(villages_by_town.items()):
        village_set = set(villages)
        here = [p for p in open_now if p.region_code[:TOWN_LENGTH] == town]
        rows.append(
            TownCoverage(
                town_code=town,
                village_count=len(village_set),
                villages_covered=len(village_set & reached),
                canteens=sum(p.kind is ProviderKind.CANTEEN for p in here),
                meal_points=sum(p.kind is ProviderKind.MEAL_POINT for p in here),
            )
        )
    return rows


def coverage_rate(covered: int, total: int) -> float | None:
    """covered / total, or None when there is nothing to cover (no rate, not 100%)."""
    return covered / total if total else None
