"""Taking meal requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from datetime import date

from minzheng.eldercare.v1 import meals_pb2 as pb

from services.eldercare import meals_mapping as mm
from services.eldercare import meals_rules as mr
from services.eldercare.community_requests import (
    PLACE_LEVELS,
    Listing,
    check_text,
    listing,
    parse_day,
    past_day,
    required,
)
from services.eldercare.meals import MealFilter, NewMeal, NewProvider
from services.kit import protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector


def parse_register_provider(request: pb.RegisterMealProviderRequest, *, today: date) -> NewProvider:
    """A kind, a name, a town or village, an operator, the villages served and the opening day."""
    errors = Collector()
    kind = mm.PROVIDER_KIND_FROM_PB.get(request.kind)
    errors.check(kind is not None, "kind", "is required" if not request.kind else "unknown")
    check_text(errors, "name", request.name, max_length=mr.MAX_PROVIDER_NAME_LENGTH, required=True)
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=PLACE_LEVELS)
    check_text(errors, "operator", request.operator, max_length=mr.MAX_OPERATOR_LENGTH, required=True)
    villages: list[str] = []
    errors.check(
        len(request.villages_served) <= mr.MAX_VILLAGES_SERVED,
        "villages_served",
        f"give at most {mr.MAX_VILLAGES_SERVED} villages",
    )
    for i, raw in enumerate(request.villages_served):
        code = protoconv.region_code(errors, f"villages_served[{i}]", raw, levels=("village",))
        if code and region and code[: mr.TOWN_LENGTH] != region[: mr.TOWN_LENGTH]:
            errors.add(f"villages_served[{i}]", "must be a village of the provider's town")
        elif code in villages:
            errors.add(f"villages_served[{i}]", "is listed twice")
        elif code:
            villages.append(code)
    opened_on = past_day(errors, "opened_on", request.opened_on, today=today)
    errors.raise_if_any()
    assert kind is not None and opened_on is not None
    served = tuple(v for v in villages if v != region)  # the village it stands in is covered anyway
    return NewProvider(kind, request.name.strip(), region, request.operator.strip(), served, opened_on)


def parse_list_providers(
    principal: Principal, request: pb.ListMealProvidersRequest
) -> tuple[Listing, mr.ProviderKind | None]:
    """Scopes, an optional kind and the page."""
    errors = Collector()
    kind = mm.PROVIDER_KIND_FROM_PB.get(request.kind)
    errors.check(kind is not None or request.kind == pb.MEAL_PROVIDER_KIND_UNSPECIFIED, "kind", "unknown")
    return listing(principal, errors, request.region_code, request.page), kind


def parse_record_meal(request: pb.RecordMealRequest, *, today: date) -> NewMeal:
    """The provider, the elder, the day (not in the future), the meal, its price and subsidy."""
    errors = Collector()
    required(errors, "provider_id", request.provider_id)
    required(errors, "elder_id", request.elder_id)
    served_on = past_day(errors, "served_on", request.served_on, today=today)
    meal = mm.MEAL_FROM_PB.get(request.meal)
    errors.check(meal is not None, "meal", "is required" if not request.meal else "unknown")
    mr.check_price(errors, price_fen=request.price_fen, subsidy_fen=request.subsidy_fen)
    errors.raise_if_any()
    assert served_on is not None and meal is not None
    return NewMeal(
        request.provider_id.strip(),
        request.elder_id.strip(),
        served_on,
        meal,
        request.price_fen,
        request.subsidy_fen,
    )


def parse_list_meals(principal: Principal, request: pb.ListMealsRequest) -> tuple[Listing, MealFilter]:
    """Scopes, optional provider, elder and day range, and the page."""
    errors = Collector()
    start = parse_day(errors, "served_from", request.served_from) if request.served_from.strip() else None
    end = parse_day(errors, "served_to", request.served_to) if request.served_to.strip() else None
    if start and end and start > end:
        errors.add("served_to", "must not be before served_from")
    where = MealFilter(request.provider_id.strip() or None, request.elder_id.strip() or None, start, end)
    return listing(principal, errors, request.region_code, request.page), where
