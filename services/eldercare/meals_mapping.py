"""Between the meal proto messages and the provider and meal models."""

from __future__ import annotations

from collections.abc import Sequence

from minzheng.eldercare.v1 import meals_pb2 as pb

from services.eldercare.community_requests import day
from services.eldercare.meals_rules import MealKind, ProviderKind, TownCoverage
from services.eldercare.models import MealProvider, MealServed
from services.kit.protoconv import timestamp

PROVIDER_KIND_TO_PB: dict[ProviderKind, pb.MealProviderKind.ValueType] = {
    k: pb.MealProviderKind.Value(f"MEAL_PROVIDER_KIND_{k.name}") for k in ProviderKind
}
PROVIDER_KIND_FROM_PB = {v: k for k, v in PROVIDER_KIND_TO_PB.items()}
MEAL_TO_PB: dict[MealKind, pb.MealKind.ValueType] = {
    m: pb.MealKind.Value(f"MEAL_KIND_{m.name}") for m in MealKind
}
MEAL_FROM_PB = {v: k for k, v in MEAL_TO_PB.items()}


def provider_to_pb(provider: MealProvider, villages: Sequence[str]) -> pb.MealProvider:
    """The wire form of a canteen or meal point."""
    return pb.MealProvider(
        id=provider.id,
        kind=PROVIDER_KIND_TO_PB[ProviderKind(provider.kind)],
        name=provider.name,
        region_code=provider.region_code,
        operator=provider.operator,
        villages_served=list(villages),
        opened_on=day(provider.opened_on),
        created_at=timestamp(provider.created_at),
    )


def meal_to_pb(meal: MealServed) -> pb.MealServed:
    """The wire form of a meal served."""
    return pb.MealServed(
        id=meal.id,
        provider_id=meal.provider_id,
        region_code=meal.region_code,
        elder_id=meal.elder_id,
        elder_name=meal.elder_name,
        served_on=day(meal.served_on),
        meal=MEAL_TO_PB[MealKind(meal.meal)],
        price_fen=meal.price_fen,
        subsidy_fen=meal.subsidy_fen,
        paid_by_elder_fen=meal.price_fen - meal.subsidy_fen,
        recorded_at=timestamp(meal.recorded_at),
    )


def coverage_to_pb(town_name: str, town: TownCoverage) -> pb.TownMealCoverage:
    """One town's meal coverage."""
    row = pb.TownMealCoverage(
        town_code=town.town_code,
        town_name=town_name,
        village_count=town.village_count,
        villages_covered=town.villages_covered,
        canteens=town.canteens,
        meal_points=town.meal_points,
    )
    if town.rate is not None:
        row.coverage_rate = town.rate
    return row
