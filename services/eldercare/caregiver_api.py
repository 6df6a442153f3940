"""The caregiver servicer: registering certified caregivers, leavers, lists and counts; no SQL here.

Write roles change caregivers inside their regions; everyone reads inside theirs. No ID numbers are
kept for caregivers: the certificate number identifies them.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import caregivers_pb2 as pb
from minzheng.eldercare.v1 import caregivers_pb2_grpc

from services.eldercare import caregiver_mapping as cm
from services.eldercare import caregiver_requests as cq
from services.eldercare import caregivers
from services.eldercare.community_requests import Clock, china_today
from services.kit import paging
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext


class CaregiverServicer(caregivers_pb2_grpc.CaregiverServiceServicer):
    """minzheng.eldercare.v1.CaregiverService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    def _today(self) -> date:
        return china_today(self._clock())

    async def RegisterCaregiver(self, request: pb.RegisterCaregiverRequest, context: Context) -> pb.Caregiver:
        """Register a certified caregiver in the caller's regions."""
        principal = current_principal()
        principal.require_write()
        new = cq.parse_register(request, today=self._today())
        async with self._db.unit_of_work() as session:
            caregiver = await caregivers.register_caregiver(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return cm.caregiver_to_pb(caregiver)

    async def RecordCaregiverLeft(
        self, request: pb.RecordCaregiverLeftRequest, context: Context
    ) -> pb.Caregiver:
        """Record that a caregiver left."""
        principal = current_principal()
        principal.require_write()
        caregiver_id, left_on, reason = cq.parse_left(request, today=self._today())
        async with self._db.unit_of_work() as session:
            caregiver = await caregivers.record_left(
                session,
                actor=principal.subject,
                caregiver_id=caregiver_id,
                left_on=left_on,
                reason=reason,
                scopes=principal.regions,
                now=self._clock(),
            )
            return cm.caregiver_to_pb(caregiver)

    async def ListCaregivers(
        self, request: pb.ListCaregiversRequest, context: Context
    ) -> pb.ListCaregiversResponse:
        """Caregivers in the caller's regions, by region, a page at a time."""
        listing, level = cq.parse_list(current_principal(), request)
        async with self._db.read() as session:
            rows, total, more = await caregivers.list_caregivers(
                session, listing=listing, level=level, include_left=request.include_left
            )
            cursors = [paging.encode_page_token(c.region_code, c.id) for c in rows]
            return pb.ListCaregiversResponse(
                caregivers=[cm.caregiver_to_pb(c) for c in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def GetCaregiverCounts(
        self, request: pb.GetCaregiverCountsRequest, context: Context
    ) -> pb.GetCaregiverCountsResponse:
        """Active caregivers per level and the senior share, in the caller's regions."""
        scopes = cq.parse_counts(current_principal(), request)
        async with self._db.read() as session:
            counts = await caregivers.counts_by_level(session, scopes=scopes)
        return cm.counts_to_pb(counts)


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["CaregiverService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the caregiver servicer to the eldercare server."""
    caregivers_pb2_grpc.add_CaregiverServiceServicer_to_server(CaregiverServicer(ctx, clock=clock), server)
