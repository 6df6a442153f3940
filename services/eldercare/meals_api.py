"""The meal servicer: canteens and meal points, meals served, village coverage; no SQL, no policy here.

Write roles change providers and record meals inside their regions; everyone reads inside theirs.
Meals name the elder by id and name only, never by ID number, so nothing here needs unmasking.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import meals_pb2 as pb
from minzheng.eldercare.v1 import meals_pb2_grpc

from services.eldercare import meals, meals_rules
from services.eldercare import meals_mapping as mm
from services.eldercare import meals_requests as mq
from services.eldercare.community_requests import FILTER_LEVELS, Clock, china_today, require_region
from services.kit import paging, protoconv
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext


class MealServicer(meals_pb2_grpc.MealServiceServicer):
    """minzheng.eldercare.v1.MealService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    def _today(self) -> date:
        return china_today(self._clock())

    async def RegisterMealProvider(
        self, request: pb.RegisterMealProviderRequest, context: Context
    ) -> pb.MealProvider:
        """Register a canteen or meal point in the caller's regions."""
        principal = current_principal()
        principal.require_write()
        new = mq.parse_register_provider(request, today=self._today())
        require_region(principal, new.region_code)
        async with self._db.unit_of_work() as session:
            provider, villages = await meals.register_provider(
                session, actor=principal.subject, new=new, now=self._clock()
            )
            return mm.provider_to_pb(provider, villages)

    async def ListMealProviders(
        self, request: pb.ListMealProvidersRequest, context: Context
    ) -> pb.ListMealProvidersResponse:
        """Providers in the caller's regions, by region, a page at a time."""
        listing, kind = mq.parse_list_providers(current_principal(), request)
        async with self._db.read() as session:
            rows, total, more = await meals.list_providers(session, listing=listing, kind=kind)
            cursors = [paging.encode_page_token(p.region_code, p.id) for p, _ in rows]
            return pb.ListMealProvidersResponse(
                providers=[mm.provider_to_pb(p, v) for p, v in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def RecordMeal(self, request: pb.RecordMealRequest, context: Context) -> pb.MealServed:
        """Record one meal served to an elder."""
        principal = current_principal()
        principal.require_write()
        new = mq.parse_record_meal(request, today=self._today())
        async with self._db.unit_of_work() as session:
            meal = await meals.record_meal(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return mm.meal_to_pb(meal)

    async def ListMeals(self, request: pb.ListMealsRequest, context: Context) -> pb.ListMealsResponse:
        """Meals in the caller's regions with the filters, and their totals."""
        listing, where = mq.parse_list_meals(current_principal(), request)
        async with self._db.read() as session:
            rows, (total, price, subsidy), more = await meals.list_meals(
                session, listing=listing, where=where
            )
            cursors = [paging.encode_page_token(m.region_code, m.id) for m in rows]
            return pb.ListMealsResponse(
                meals=[mm.meal_to_pb(m) for m in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
                total_price_fen=price,
                total_subsidy_fen=subsidy,
            )

    async def GetMealCoverage(
        self, request: pb.GetMealCoverageRequest, context: Context
    ) -> pb.GetMealCoverageResponse:
        """Per town: villages reached by a provider open today."""
        principal = current_principal()
        errors = Collector()
        if request.region_code:
            protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
        errors.raise_if_any()
        scopes = principal.narrow(request.region_code.strip() or None)
        today = self._today()
        async with self._db.read() as session:
            towns = await meals.coverage(session, scopes=scopes, today=today)
        villages = sum(t.village_count for _, t in towns)
        covered = sum(t.villages_covered for _, t in towns)
        reply = pb.GetMealCoverageResponse(
            towns=[mm.coverage_to_pb(name, t) for name, t in towns],
            village_count=villages,
            villages_covered=covered,
            as_of=today.isoformat(),
        )
        rate = meals_rules.coverage_rate(covered, villages)
        if rate is not None:
            reply.coverage_rate = rate
        return reply


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["MealService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the meal servicer to the eldercare server."""
    meals_pb2_grpc.add_MealServiceServicer_to_server(MealServicer(ctx, clock=clock), server)
