"""The eligibility servicer: standards in force and a household's assessment; no SQL, no policy here.

Standards are published policy (seed 004 wants them uniform city-wide), so any authenticated caller
may read them for any region. An assessment reads a household, so it is scoped like every read: a
household outside the caller's regions is NOT_FOUND. Assessing writes nothing (a read session).
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.relief.v1 import eligibility_pb2 as pb
from minzheng.relief.v1 import eligibility_pb2_grpc

from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import assessment
from services.relief import eligibility_mapping as emap
from services.relief import eligibility_requests as eq
from services.relief.clock import Clock
from services.relief.standards import StandardsBook

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EligibilityService"].full_name


class EligibilityServicer(eligibility_pb2_grpc.EligibilityServiceServicer):
    """minzheng.relief.v1.EligibilityService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, book: StandardsBook) -> None:
        self._db = ctx.db
        self._clock = clock
        self._book = book

    def _today(self) -> date:
        return china_today(self._clock())

    async def GetStandards(self, request: pb.GetStandardsRequest, context: Context) -> pb.Standards:
        """The standards in force on a day for a region, with their sources."""
        current_principal()  # authenticated (the interceptor refuses calls without a valid token)
        region, day = eq.parse_standards(request, today=self._today())
        return emap.standards_to_pb(self._book.on(region, day))

    async def AssessHousehold(self, request: pb.AssessHouseholdRequest, context: Context) -> pb.Assessment:
        """A household in the caller's regions assessed for a month (a preview: nothing is written)."""
        principal = current_principal()
        household_id, month = eq.parse_assess(request, today=self._today())
        async with self._db.read() as session:
            result, standards = await assessment.assess_household(
                session, scopes=principal.regions, household_id=household_id, month=month, book=self._book
            )
        return emap.assessment_to_pb(result, standards)


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, book: StandardsBook) -> None:
    """Add the eligibility servicer to the relief server."""
    eligibility_pb2_grpc.add_EligibilityServiceServicer_to_server(
        EligibilityServicer(ctx, clock=clock, book=book), server
    )
