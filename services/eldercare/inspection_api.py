"""The inspection servicer: inspections, the hazard loop and overdue rectifications; no SQL, no policy.

Write roles record inspections, rectifications and verifications inside their regions; everyone reads
inside theirs. A hazard outside the caller's regions is NOT_FOUND.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import inspections_pb2 as pb
from minzheng.eldercare.v1 import inspections_pb2_grpc

from services.eldercare import inspection_mapping as im
from services.eldercare import inspection_requests as iq
from services.eldercare import inspections
from services.eldercare.community_requests import Clock, china_today, required
from services.kit import paging
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext


class InspectionServicer(inspections_pb2_grpc.InspectionServiceServicer):
    """minzheng.eldercare.v1.InspectionService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    def _today(self) -> date:
        return china_today(self._clock())

    async def RecordInspection(self, request: pb.RecordInspectionRequest, context: Context) -> pb.Inspection:
        """Record an inspection and the hazards it found."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        new = iq.parse_record_inspection(request, today=today)
        async with self._db.unit_of_work() as session:
            found, hazards = await inspections.record_inspection(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return im.inspection_to_pb(found, hazards, today=today)

    async def RecordRectification(
        self, request: pb.RecordRectificationRequest, context: Context
    ) -> pb.Inspection:
        """A hazard reported rectified, with evidence."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        hazard_id, rectified_on, evidence = iq.parse_rectification(request, today=today)
        async with self._db.unit_of_work() as session:
            found, hazards = await inspections.record_rectification(
                session,
                actor=principal.subject,
                hazard_id=hazard_id,
                rectified_on=rectified_on,
                evidence=evidence,
                scopes=principal.regions,
                now=self._clock(),
            )
            return im.inspection_to_pb(found, hazards, today=today)

    async def VerifyRectification(
        self, request: pb.VerifyRectificationRequest, context: Context
    ) -> pb.Inspection:
        """Accept a rectification (closing the hazard) or send it back."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        check = iq.parse_verification(request, today=today)
        async with self._db.unit_of_work() as session:
            found, hazards = await inspections.verify_rectification(
                session, actor=principal.subject, check=check, scopes=principal.regions, now=self._clock()
            )
            return im.inspection_to_pb(found, hazards, today=today)

    async def GetInspection(self, request: pb.GetInspectionRequest, context: Context) -> pb.Inspection:
        """One inspection in the caller's regions."""
        principal = current_principal()
        errors = Collector()
        required(errors, "id", request.id)
        errors.raise_if_any()
        async with self._db.read() as session:
            found, hazards = await inspections.get_inspection(
                session, inspection_id=request.id.strip(), scopes=principal.regions
            )
            return im.inspection_to_pb(found, hazards, today=self._today())

    async def ListInspections(
        self, request: pb.ListInspectionsRequest, context: Context
    ) -> pb.ListInspectionsResponse:
        """Inspections in the caller's regions, by region, a page at a time."""
        listing, status, kind = iq.parse_list_inspections(current_principal(), request)
        today = self._today()
        async with self._db.read() as session:
            rows, total, more = await inspections.list_inspections(
                session, listing=listing, status=status, kind=kind
            )
            cursors = [paging.encode_page_token(i.region_code, i.id) for i, _ in rows]
            return pb.ListInspectionsResponse(
                inspections=[im.inspection_to_pb(i, h, today=today) for i, h in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def ListOverdueRectifications(
        self, request: pb.ListOverdueRectificationsRequest, context: Context
    ) -> pb.ListOverdueRectificationsResponse:
        """Hazards past their deadline and not closed, in the caller's regions, most overdue first."""
        scopes, after, limit = iq.parse_list_overdue(current_principal(), request)
        today = self._today()
        async with self._db.read() as session:
            rows, total, more = await inspections.list_overdue(
                session, scopes=scopes, after=after, limit=limit, today=today
            )
            cursors = [paging.encode_page_token(h.rectify_by.isoformat(), h.id) for h in rows]
            return pb.ListOverdueRectificationsResponse(
                hazards=[im.hazard_to_pb(h, today=today) for h in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
                as_of=today.isoformat(),
            )


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["InspectionService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the inspection servicer to the eldercare server."""
    inspections_pb2_grpc.add_InspectionServiceServicer_to_server(InspectionServicer(ctx, clock=clock), server)
