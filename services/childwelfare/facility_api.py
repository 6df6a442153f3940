"""The facilities servicer: adoptions, children's homes and protection stations; no SQL, no policy here.

Who may do what: adoptions are district-level and sensitive — admin and district officers register,
assess and complete them, town officers (and services) only read them, village directors and viewers
do not see them at all. Homes and stations are changed by the write roles inside their regions and read
by everyone in theirs. ID numbers on adoptions (the child's and the adopters') are shown in clear only to
the district-level roles and services — town officers see them masked — and each clear read is audited
in the same transaction as the read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date

import grpc
from minzheng.childwelfare.v1 import facilities_pb2 as pb
from minzheng.childwelfare.v1 import facilities_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import adoptions, facilities_coverage, homes, rules, stations
from services.childwelfare import facility_mapping as fm
from services.childwelfare import facility_requests as fq
from services.childwelfare.requests import scope_of
from services.childwelfare.rules import Clock
from services.kit import paging
from services.kit.auth import Principal, Role
from services.kit.errors import Collector, PermissionDenied
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext
AdoptionWork = Callable[[AsyncSession], Awaitable[Sequence[adoptions.Adoption]]]
ADOPTION_WRITERS = (Role.ADMIN, Role.DISTRICT_OFFICER)
ADOPTION_READERS = (*ADOPTION_WRITERS, Role.TOWN_OFFICER, Role.SERVICE)
ADOPTION_REVEALERS = (*ADOPTION_WRITERS, Role.SERVICE)


def _require_region(principal: Principal, region_code: str) -> None:
    if not principal.can_see(region_code):
        raise PermissionDenied(f"region_code: {region_code} is outside your regions")


class ChildFacilitiesServicer(facilities_pb2_grpc.ChildFacilitiesServiceServicer):
    """minzheng.childwelfare.v1.ChildFacilitiesService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    def _today(self) -> date:
        return rules.china_today(self._clock())

    async def _adoptions(self, principal: Principal, work: AdoptionWork, *, write: bool) -> list[pb.Adoption]:
        """Run ``work`` and build its adoptions in one session; audited when numbers are shown in clear."""
        # Stricter than elsewhere: town officers read adoptions, but only district-level roles see numbers.
        reveal = principal.has_role(*ADOPTION_REVEALERS)
        session_of = self._db.unit_of_work if write or reveal else self._db.read
        async with session_of() as session:
            found = await work(session)
            if reveal:
                await adoptions.reveal(session, actor=principal.subject, adoptions=found, now=self._clock())
            return [fm.adoption_to_pb(row, adopters, reveal_id=reveal) for row, adopters in found]

    async def RegisterAdoption(self, request: pb.RegisterAdoptionRequest, context: Context) -> pb.Adoption:
        """Record an adoption application (district-level roles only)."""
        principal = current_principal()
        principal.require_role(*ADOPTION_WRITERS)
        new = fq.parse_register_adoption(request, today=self._today())
        if new.region_code:
            _require_region(principal, new.region_code)

        async def work(session: AsyncSession) -> list[adoptions.Adoption]:
            made = await adoptions.register_adoption(
                session, actor=principal.subject, new=new, scopes=principal.regions, now=self._clock()
            )
            return [made]

        return (await self._adoptions(principal, work, write=True))[0]

    async def RecordAdoptionAssessment(
        self, request: pb.RecordAdoptionAssessmentRequest, context: Context
    ) -> pb.Adoption:
        """Record the assessment (收养评估) of an application."""
        principal = current_principal()
        principal.require_role(*ADOPTION_WRITERS)
        adoption_id, result, assessed_on, assessed_by, notes = fq.parse_assessment(
            request, today=self._today()
        )

        async def work(session: AsyncSession) -> list[adoptions.Adoption]:
            done = await adoptions.record_assessment(
                session,
                actor=principal.subject,
                adoption_id=adoption_id,
                scopes=principal.regions,
                result=result,
                assessed_on=assessed_on,
                assessed_by=assessed_by,
                notes=notes,
                now=self._clock(),
            )
            return [done]

        return (await self._adoptions(principal, work, write=True))[0]

    async def CompleteAdoption(self, request: pb.CompleteAdoptionRequest, context: Context) -> pb.Adoption:
        """Register, refuse or withdraw an open adoption."""
        principal = current_principal()
        principal.require_role(*ADOPTION_WRITERS)
        completion = fq.parse_completion(request, today=self._today())

        async def work(session: AsyncSession) -> list[adoptions.Adoption]:
            done = await adoptions.complete_adoption(
                session,
                actor=principal.subject,
                completion=completion,
                scopes=principal.regions,
                now=self._clock(),
            )
            return [done]

        return (await self._adoptions(principal, work, write=True))[0]

    async def GetAdoption(self, request: pb.GetAdoptionRequest, context: Context) -> pb.Adoption:
        """One adoption inside the caller's regions."""
        principal = current_principal()
        principal.require_role(*ADOPTION_READERS)
        errors = Collector()
        errors.check(bool(request.id.strip()), "id", "is required")
        errors.raise_if_any()

        async def work(session: AsyncSession) -> list[adoptions.Adoption]:
            return [
                await adoptions.visible_adoption(
                    session, scopes=principal.regions, adoption_id=request.id.strip()
                )
            ]

        return (await self._adoptions(principal, work, write=False))[0]

    async def ListAdoptions(
        self, request: pb.ListAdoptionsRequest, context: Context
    ) -> pb.ListAdoptionsResponse:
        """Adoptions in the caller's regions (or one inside them), optionally by status, by pages."""
        principal = current_principal()
        principal.require_role(*ADOPTION_READERS)
        listing, status = fq.parse_list_adoptions(principal, request)
        page: dict[str, int | bool] = {}
        page_cursors: list[str] = []

        async def work(session: AsyncSession) -> list[adoptions.Adoption]:
            rows, page["total"], page["more"] = await adoptions.list_adoptions(
                session, scopes=listing.scopes, status=status, after=listing.after, limit=listing.limit
            )
            page_cursors.extend(paging.encode_page_token(r.region_code, r.id) for r, _ in rows)
            return rows

        built = await self._adoptions(principal, work, write=False)
        following = page_cursors[-1] if page["more"] and page_cursors else ""
        return pb.ListAdoptionsResponse(
            adoptions=built, page_info=paging.page_info(following, int(page["total"])), cursors=page_cursors
        )

    async def OpenChildrenHome(
        self, request: pb.OpenChildrenHomeRequest, context: Context
    ) -> pb.ChildrenHome:
        """Open a village's children's home (one open home per village)."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        region, name, level, tier, opened_on = fq.parse_open_home(request, today=today)
        _require_region(principal, region)
        async with self._db.unit_of_work() as session:
            home, history = await homes.open_home(
                session,
                actor=principal.subject,
                region_code=region,
                name=name,
                level=level,
                tier=tier,
                opened_on=opened_on,
                now=self._clock(),
            )
            return fm.home_to_pb(home, history, today=today)

    async def ChangeChildrenHomeLevel(
        self, request: pb.ChangeChildrenHomeLevelRequest, context: Context
    ) -> pb.ChildrenHome:
        """Move a home to another level (and tier) from a date; the history is kept."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        home_id, level, tier, start, reason = fq.parse_change_level(request, today=today)
        async with self._db.unit_of_work() as session:
            home, history = await homes.change_level(
                session,
                actor=principal.subject,
                home_id=home_id,
                scopes=principal.regions,
                level=level,
                tier=tier,
                effective_from=start,
                reason=reason,
                now=self._clock(),
            )
            return fm.home_to_pb(home, history, today=today)

    async def CloseChildrenHome(
        self, request: pb.CloseChildrenHomeRequest, context: Context
    ) -> pb.ChildrenHome:
        """Close a home; the village may then open another."""
        principal = current_principal()
        principal.require_write()
        today = self._today()
        home_id, closed_on, reason = fq.parse_close_home(request, today=today)
        async with self._db.unit_of_work() as session:
            home, history = await homes.close_home(
                session,
                actor=principal.subject,
                home_id=home_id,
                scopes=principal.regions,
                closed_on=closed_on,
                reason=reason,
                now=self._clock(),
            )
            return fm.home_to_pb(home, history, today=today)

    async def ListChildrenHomes(
        self, request: pb.ListChildrenHomesRequest, context: Context
    ) -> pb.ListChildrenHomesResponse:
        """Homes in the caller's regions (or one inside them), optionally by level, by pages."""
        listing, level = fq.parse_list_homes(current_principal(), request)
        today = self._today()
        async with self._db.read() as session:
            rows, total, more = await homes.list_homes(
                session,
                scopes=listing.scopes,
                level=level,
                include_closed=request.include_closed,
                today=today,
                after=listing.after,
                limit=listing.limit,
            )
            cursors = [paging.encode_page_token(h.region_code, h.id) for h, _ in rows]
            return pb.ListChildrenHomesResponse(
                homes=[fm.home_to_pb(h, spans, today=today) for h, spans in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def OpenProtectionStation(
        self, request: pb.OpenProtectionStationRequest, context: Context
    ) -> pb.ProtectionStation:
        """Open a town's protection station (one per town)."""
        principal = current_principal()
        principal.require_write()
        region, name, opened_on, staff, contact = fq.parse_open_station(request, today=self._today())
        _require_region(principal, region)
        async with self._db.unit_of_work() as session:
            station = await stations.open_station(
                session,
                actor=principal.subject,
                region_code=region,
                name=name,
                opened_on=opened_on,
                staff_count=staff,
                contact=contact,
                now=self._clock(),
            )
            return fm.station_to_pb(station)

    async def ListProtectionStations(
        self, request: pb.ListProtectionStationsRequest, context: Context
    ) -> pb.ListProtectionStationsResponse:
        """Stations of the towns in the caller's regions."""
        scopes = scope_of(current_principal(), Collector(), request.region_code)
        async with self._db.read() as session:
            found = await stations.list_stations(session, scopes=scopes)
            return pb.ListProtectionStationsResponse(stations=[fm.station_to_pb(s) for s in found])

    async def GetFacilityCoverage(
        self, request: pb.GetFacilityCoverageRequest, context: Context
    ) -> pb.GetFacilityCoverageResponse:
        """Per town: a station or not, and villages with an open children's home, today."""
        scopes = scope_of(current_principal(), Collector(), request.region_code)
        today = self._today()
        async with self._db.read() as session:
            towns = await facilities_coverage.coverage(session, scopes=scopes, today=today)
        return pb.GetFacilityCoverageResponse(
            towns=[fm.coverage_to_pb(t) for t in towns],
            towns_with_station=sum(t.station_name is not None for t in towns),
            towns_with_home=sum(t.villages_with_home > 0 for t in towns),
            towns_fully_covered=sum(t.fully_covered for t in towns),
            as_of=today.isoformat(),
        )


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ChildFacilitiesService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the facilities servicer to the child welfare server."""
    facilities_pb2_grpc.add_ChildFacilitiesServiceServicer_to_server(
        ChildFacilitiesServicer(ctx, clock=clock), server
    )
