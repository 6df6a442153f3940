"""Meal assistance (助餐) in the graph: canteens and meal points, meals served, village coverage.

Every call goes to MealService with the caller's token; the service scopes rows to the caller's
regions. Meals name the elder by file id and name only, never by ID number.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.eldercare.v1 import meals_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import day, iso, node_id, timestamp

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.enum(description="What kind of meal provider.")
class MealProviderKind(Enum):
    CANTEEN = strawberry.enum_value(pb.MEAL_PROVIDER_KIND_CANTEEN, description="老年食堂: cooks on site")
    MEAL_POINT = strawberry.enum_value(
        pb.MEAL_PROVIDER_KIND_MEAL_POINT, description="助餐点: serves or delivers meals cooked elsewhere"
    )


@strawberry.enum(description="Which meal of the day.")
class MealKind(Enum):
    BREAKFAST = pb.MEAL_KIND_BREAKFAST
    LUNCH = pb.MEAL_KIND_LUNCH
    DINNER = pb.MEAL_KIND_DINNER


@strawberry.type(description="A community canteen (老年食堂) or meal point (助餐点).")
class MealProvider(relay.Node):
    id: relay.NodeID[str]
    kind: MealProviderKind
    name: str
    region_code: str = strawberry.field(description="9-digit town or 12-digit village code.")
    operator: str = strawberry.field(description="Who runs it (village committee, organisation, company).")
    villages_served: list[str] = strawberry.field(
        description="Village codes it also delivers to, besides the village it stands in."
    )
    opened_on: date | None
    created_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.MealProvider) -> MealProvider:
        """The GraphQL provider of a reply."""
        return cls(
            id=m.id,
            kind=MealProviderKind(m.kind),
            name=m.name,
            region_code=m.region_code,
            operator=m.operator,
            villages_served=list(m.villages_served),
            opened_on=day(m.opened_on),
            created_at=timestamp(m, "created_at"),
        )


@strawberry.type(description="A meal served to an elder, with the subsidy applied.")
class MealServed(relay.Node):
    id: relay.NodeID[str]
    provider_id: strawberry.ID
    region_code: str = strawberry.field(description="The provider's region.")
    elder_id: strawberry.ID
    elder_name: str
    served_on: date | None
    meal: MealKind
    price_fen: int
    subsidy_fen: int = strawberry.field(description="The part of the price the subsidy paid.")
    paid_by_elder_fen: int
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.MealServed) -> MealServed:
        """The GraphQL meal of a reply."""
        return cls(
            id=m.id,
            provider_id=strawberry.ID(to_base64("MealProvider", m.provider_id)),
            region_code=m.region_code,
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            elder_name=m.elder_name,
            served_on=day(m.served_on),
            meal=MealKind(m.meal),
            price_fen=m.price_fen,
            subsidy_fen=m.subsidy_fen,
            paid_by_elder_fen=m.paid_by_elder_fen,
            recorded_at=timestamp(m, "recorded_at"),
        )


@strawberry.type(description="Meal providers, a page at a time (forward pagination with first/after).")
class MealProviderConnection(relay.Connection[MealProvider]):
    total_count: int


@strawberry.type(description="Meals served, a page at a time, with totals over every matching meal.")
class MealServedConnection(relay.Connection[MealServed]):
    total_count: int
    total_price_fen: str = strawberry.field(description="Over all pages, in fen as a decimal string.")
    total_subsidy_fen: str = strawberry.field(description="Over all pages, in fen as a decimal string.")


@strawberry.type(description="One town's villages reached by a meal provider open today.")
class TownMealCoverage:
    town_code: str
    town_name: str
    village_count: int = strawberry.field(description="Villages of the town inside your regions.")
    villages_covered: int
    canteens: int
    meal_points: int
    coverage_rate: float | None = strawberry.field(
        description="villagesCovered / villageCount; null if none."
    )

    @classmethod
    def from_pb(cls, m: pb.TownMealCoverage) -> TownMealCoverage:
        """The GraphQL row of a reply."""
        return cls(
            town_code=m.town_code,
            town_name=m.town_name,
            village_count=m.village_count,
            villages_covered=m.villages_covered,
            canteens=m.canteens,
            meal_points=m.meal_points,
            coverage_rate=m.coverage_rate if m.HasField("coverage_rate") else None,
        )


@strawberry.type(description="Meal-service coverage of villages per town in your regions, today.")
class MealCoverage:
    towns: list[TownMealCoverage]
    village_count: int
    villages_covered: int
    coverage_rate: float | None
    as_of: date | None


@strawberry.type
class MealQuery:
    @strawberry.field(description="Canteens and meal points in your regions (or one region inside them).")
    async def meal_providers(
        self,
        info: Info,
        region_code: str | None = None,
        kind: MealProviderKind | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> MealProviderConnection:
        ctx = info.context
        request = pb.ListMealProvidersRequest(
            region_code=region_code or "",
            kind=kind.value if kind else pb.MEAL_PROVIDER_KIND_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.meals.ListMealProviders, request, renames=PAGE_RENAMES)
        nodes = [MealProvider.from_pb(p) for p in reply.providers]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return MealProviderConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(
        description="Meals served in your regions, filtered by region, provider, elder or days."
    )
    async def meals_served(
        self,
        info: Info,
        region_code: str | None = None,
        provider_id: strawberry.ID | None = None,
        elder_id: strawberry.ID | None = None,
        served_from: date | None = None,
        served_to: date | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> MealServedConnection:
        ctx = info.context
        request = pb.ListMealsRequest(
            region_code=region_code or "",
            provider_id=node_id(provider_id, "MealProvider", "providerId") if provider_id else "",
            elder_id=node_id(elder_id, "Elder", "elderId") if elder_id else "",
            served_from=iso(served_from),
            served_to=iso(served_to),
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.meals.ListMeals, request, renames=PAGE_RENAMES)
        nodes = [MealServed.from_pb(m) for m in reply.meals]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return MealServedConnection(
            edges=edges,
            page_info=page_info,
            total_count=reply.page_info.total_count,
            total_price_fen=str(reply.total_price_fen),
            total_subsidy_fen=str(reply.total_subsidy_fen),
        )

    @strawberry.field(description="Per town in your regions: villages reached by meal service today.")
    async def meal_coverage(self, info: Info, region_code: str | None = None) -> MealCoverage:
        ctx = info.context
        request = pb.GetMealCoverageRequest(region_code=region_code or "")
        reply = await ctx.call(ctx.clients.meals.GetMealCoverage, request)
        return MealCoverage(
            towns=[TownMealCoverage.from_pb(t) for t in reply.towns],
            village_count=reply.village_count,
            villages_covered=reply.villages_covered,
            coverage_rate=reply.coverage_rate if reply.HasField("coverage_rate") else None,
            as_of=day(reply.as_of),
        )


@strawberry.input(description="A canteen or meal point in a town or village inside your regions.")
class RegisterMealProviderInput:
    kind: MealProviderKind
    name: str
    region_code: str = strawberry.field(description="9-digit town or 12-digit village code.")
    operator: str
    villages_served: list[str] | None = strawberry.field(
        default=None, description="Village codes of the provider's town it delivers to (at most 100)."
    )
    opened_on: date | None = strawberry.field(default=None, description="Default today; not in the future.")


@strawberry.input(description="A meal served to an elder by a provider.")
class RecordMealInput:
    provider_id: strawberry.ID
    elder_id: strawberry.ID
    meal: MealKind
    price_fen: int = strawberry.field(description="1 fen .. 100 yuan.")
    subsidy_fen: int = strawberry.field(default=0, description="0 .. priceFen: the part the subsidy pays.")
    served_on: date | None = strawberry.field(
        default=None, description="Default today; not in the future, not before the provider opened."
    )


@strawberry.type
class MealMutation:
    @strawberry.mutation(description="Register a canteen or meal point (one name per region).")
    async def register_meal_provider(self, info: Info, input: RegisterMealProviderInput) -> MealProvider:
        ctx = info.context
        request = pb.RegisterMealProviderRequest(
            kind=input.kind.value,
            name=input.name,
            region_code=input.region_code,
            operator=input.operator,
            villages_served=input.villages_served or [],
            opened_on=iso(input.opened_on),
        )
        return MealProvider.from_pb(await ctx.call(ctx.clients.meals.RegisterMealProvider, request))

    @strawberry.mutation(description="Record a meal served (one of each meal per elder and day).")
    async def record_meal(self, info: Info, input: RecordMealInput) -> MealServed:
        ctx = info.context
        request = pb.RecordMealRequest(
            provider_id=node_id(input.provider_id, "MealProvider", "providerId"),
            elder_id=node_id(input.elder_id, "Elder", "elderId"),
            served_on=iso(input.served_on),
            meal=input.meal.value,
            price_fen=input.price_fen,
            subsidy_fen=input.subsidy_fen,
        )
        return MealServed.from_pb(await ctx.call(ctx.clients.meals.RecordMeal, request))
