"""The renovation servicer: the item catalogue and household plans; no SQL, no policy here.

The catalogue is district-wide, so only admin, district officers and services change it (all read it);
plans are changed by the write roles inside their regions and read by everyone in theirs.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import renovation_pb2 as pb
from minzheng.eldercare.v1 import renovation_pb2_grpc

from services.eldercare import renovation, renovation_catalogue
from services.eldercare import renovation_mapping as rm
from services.eldercare import renovation_requests as rq
from services.eldercare.community_requests import Clock, china_today, required
from services.kit import paging
from services.kit.auth import Role
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
# Services too: the platform seeds the catalogue (the demo loader acts as a service).
CATALOGUE_WRITERS = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.SERVICE)


class RenovationServicer(renovation_pb2_grpc.RenovationServiceServicer):
    """minzheng.eldercare.v1.RenovationService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    def _today(self) -> date:
        return china_today(self._clock())

    async def AddRenovationItem(
        self, request: pb.AddRenovationItemRequest, context: Context
    ) -> pb.RenovationItem:
        """Add an item to the catalogue (district-level roles)."""
        principal = current_principal()
        principal.require_role(*CATALOGUE_WRITERS)
        code, name, area, unit, price = rq.parse_add_item(request)
        async with self._db.unit_of_work() as session:
            item = await renovation_catalogue.add_item(
                session,
                actor=principal.subject,
                code=code,
                name=name,
                area=area,
                unit=unit,
                reference_price_fen=price,
                now=self._clock(),
            )
            return rm.item_to_pb(item)

    async def DeactivateRenovationItem(
        self, request: pb.DeactivateRenovationItemRequest, context: Context
    ) -> pb.RenovationItem:
        """Stop offering an item to new plans."""
        principal = current_principal()
        principal.require_role(*CATALOGUE_WRITERS)
        errors = Collector()
        required(errors, "item_id", request.item_id)
        errors.raise_if_any()
        async with self._db.unit_of_work() as session:
            item = await renovation_catalogue.deactivate_item(
                session, actor=principal.subject, item_id=request.item_id.strip(), now=self._clock()
            )
            return rm.item_to_pb(item)

    async def ListRenovationItems(
        self, request: pb.ListRenovationItemsRequest, context: Context
    ) -> pb.ListRenovationItemsResponse:
        """The catalogue, optionally one area, active items unless asked otherwise."""
        current_principal()  # any verified caller reads the catalogue; it has no region
        area = rq.parse_list_items(request)
        async with self._db.read() as session:
            items = await renovation_catalogue.list_items(
                session, area=area, include_inactive=request.include_inactive
            )
            return pb.ListRenovationItemsResponse(items=[rm.item_to_pb(i) for i in items])

    async def CreateRenovationPlan(
        self, request: pb.CreateRenovationPlanRequest, context: Context
    ) -> pb.RenovationPlan:
        """A household's surveyed plan (one open plan per elder)."""
        principal = current_principal()
        principal.require_write()
        new = rq.parse_create_plan(request, today=self._today())
        async with self._db.unit_of_work() as session:
            plan, lines = await renovation.create_plan(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return rm.plan_to_pb(plan, lines)

    async def AdvanceRenovationPlan(
        self, request: pb.AdvanceRenovationPlanRequest, context: Context
    ) -> pb.RenovationPlan:
        """Take a plan one step."""
        principal = current_principal()
        principal.require_write()
        step = rq.parse_advance(request, today=self._today())
        async with self._db.unit_of_work() as session:
            plan, lines = await renovation.advance_plan(
                session, actor=principal.subject, step=step, scopes=principal.regions, now=self._clock()
            )
            return rm.plan_to_pb(plan, lines)

    async def GetRenovationPlan(
        self, request: pb.GetRenovationPlanRequest, context: Context
    ) -> pb.RenovationPlan:
        """One plan in the caller's regions."""
        principal = current_principal()
        errors = Collector()
        required(errors, "id", request.id)
        errors.raise_if_any()
        async with self._db.read() as session:
            plan, lines = await renovation.get_plan(
                session, plan_id=request.id.strip(), scopes=principal.regions
            )
            return rm.plan_to_pb(plan, lines)

    async def ListRenovationPlans(
        self, request: pb.ListRenovationPlansRequest, context: Context
    ) -> pb.ListRenovationPlansResponse:
        """Plans in the caller's regions, by region, a page at a time."""
        listing, status = rq.parse_list_plans(current_principal(), request)
        async with self._db.read() as session:
            rows, total, more = await renovation.list_plans(session, listing=listing, status=status)
            cursors = [paging.encode_page_token(p.region_code, p.id) for p, _ in rows]
            return pb.ListRenovationPlansResponse(
                plans=[rm.plan_to_pb(p, lines) for p, lines in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["RenovationService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the renovation servicer to the eldercare server."""
    renovation_pb2_grpc.add_RenovationServiceServicer_to_server(RenovationServicer(ctx, clock=clock), server)
