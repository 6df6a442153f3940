"""The care servicer: visits, happiness-list items and the care rates per town; no SQL here.

Everyone reads inside their regions (a household elsewhere is NOT_FOUND); officers, admins and village
directors record. Validation lives in ``care_requests``, the work in ``care``.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.relief.v1 import care_pb2 as pb
from minzheng.relief.v1 import care_pb2_grpc

from services.kit import paging
from services.kit.auth import Role
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import care
from services.relief import care_mapping as cm
from services.relief import care_requests as rq
from services.relief.care_rules import CarePolicy, total
from services.relief.clock import Clock

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["CareService"].full_name
RECORD_ROLES = (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN, Role.VILLAGE_DIRECTOR)


class CareServicer(care_pb2_grpc.CareServiceServicer):
    """minzheng.relief.v1.CareService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: CarePolicy) -> None:
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    def _today(self) -> date:
        return china_today(self._clock())

    async def RecordVisit(self, request: pb.RecordVisitRequest, context: Context) -> pb.CareVisit:
        """Record a care visit to a household of the caller's regions."""
        principal = current_principal()
        principal.require_role(*RECORD_ROLES)
        new = rq.parse_visit(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row = await care.record_visit(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
            return cm.visit_to_pb(row)

    async def ListVisits(self, request: pb.ListVisitsRequest, context: Context) -> pb.ListVisitsResponse:
        """A household's visits, newest first, by pages."""
        principal = current_principal()
        page = rq.parse_page(request.household_id, request.page)
        async with self._db.read() as session:
            rows, count, more = await care.list_visits(
                session,
                household_id=page.household_id,
                scopes=principal.regions,
                after=page.after,
                limit=page.limit,
            )
            last = rows[-1] if more and rows else None
            token = paging.encode_page_token(last.visited_on.isoformat(), last.id) if last else ""
            return pb.ListVisitsResponse(
                visits=[cm.visit_to_pb(r) for r in rows], page_info=paging.page_info(token, count)
            )

    async def RecordListItem(self, request: pb.RecordListItemRequest, context: Context) -> pb.CareListItem:
        """Record a happiness-list service delivered to a household of the caller's regions."""
        principal = current_principal()
        principal.require_role(*RECORD_ROLES)
        new = rq.parse_list_item(request, today=self._today())
        async with self._db.unit_of_work() as session:
            row = await care.record_list_item(
                session, actor=principal.subject, scopes=principal.regions, new=new, now=self._clock()
            )
            return cm.item_to_pb(row)

    async def ListListItems(
        self, request: pb.ListListItemsRequest, context: Context
    ) -> pb.ListListItemsResponse:
        """A household's list items, newest first, by pages."""
        principal = current_principal()
        page = rq.parse_page(request.household_id, request.page)
        async with self._db.read() as session:
            rows, count, more = await care.list_list_items(
                session,
                household_id=page.household_id,
                scopes=principal.regions,
                after=page.after,
                limit=page.limit,
            )
            last = rows[-1] if more and rows else None
            token = paging.encode_page_token(last.delivered_on.isoformat(), last.id) if last else ""
            return pb.ListListItemsResponse(
                items=[cm.item_to_pb(r) for r in rows], page_info=paging.page_info(token, count)
            )

    async def GetCareRates(self, request: pb.GetCareRatesRequest, context: Context) -> pb.CareRates:
        """The three care rates per town for a year, with the plan's target."""
        principal = current_principal()
        query = rq.parse_rates(principal, request, today=self._today())
        async with self._db.read() as session:
            towns = await care.care_rates(
                session, scopes=query.scopes, policy=self._policy, reference=query.reference
            )
        target = self._policy.target_on(query.year)
        return cm.rates_to_pb(query.year, query.reference, target, towns, total(towns))


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy: CarePolicy) -> None:
    """Add the care servicer to the relief server."""
    care_pb2_grpc.add_CareServiceServicer_to_server(CareServicer(ctx, clock=clock, policy=policy), server)
