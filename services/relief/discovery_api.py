"""The discovery servicer: the officers' worklist of household flags and closing one; no SQL here.

Everyone reads inside their regions (a flag elsewhere is NOT_FOUND); officers and admins handle flags.
Validation lives in ``discovery_requests``, the work in ``discovery_flags``.
"""

from __future__ import annotations

import grpc
from minzheng.relief.v1 import discovery_pb2 as pb
from minzheng.relief.v1 import discovery_pb2_grpc

from services.kit import paging
from services.kit.auth import Role
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext
from services.relief import discovery_flags
from services.relief import discovery_requests as rq
from services.relief.clock import Clock
from services.relief.discovery_mapping import flag_to_pb

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["DiscoveryService"].full_name
HANDLE_ROLES = (Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.ADMIN)


class DiscoveryServicer(discovery_pb2_grpc.DiscoveryServiceServicer):
    """minzheng.relief.v1.DiscoveryService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    async def ListFlags(self, request: pb.ListFlagsRequest, context: Context) -> pb.ListFlagsResponse:
        """Flags in the caller's regions (or one inside them), oldest first, by pages."""
        principal = current_principal()
        query = rq.parse_list(principal, request)
        async with self._db.read() as session:
            rows, total, more = await discovery_flags.list_flags(
                session,
                scopes=query.scopes,
                status=query.status,
                household_id=query.household_id,
                after=query.after,
                limit=query.limit,
            )
            cursors = [paging.encode_page_token(f.raised_at.isoformat(), f.id) for f in rows]
            return pb.ListFlagsResponse(
                flags=[flag_to_pb(f) for f in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def HandleFlag(self, request: pb.HandleFlagRequest, context: Context) -> pb.HouseholdFlag:
        """An officer closes an open flag with a note."""
        principal = current_principal()
        principal.require_role(*HANDLE_ROLES)
        flag_id, note = rq.parse_handle(request)
        async with self._db.unit_of_work() as session:
            flag = await discovery_flags.handle_flag(
                session,
                actor=principal.subject,
                scopes=principal.regions,
                flag_id=flag_id,
                note=note,
                now=self._clock(),
            )
            return flag_to_pb(flag)


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the discovery servicer to the relief server."""
    discovery_pb2_grpc.add_DiscoveryServiceServicer_to_server(DiscoveryServicer(ctx, clock=clock), server)
