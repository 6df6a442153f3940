"""Adoptions (收养登记), children's homes (儿童之家) and protection stations (未保工作站) in the graph.

Every call goes to ChildFacilitiesService with the caller's token; the service scopes rows to the
caller's regions, keeps adoptions to district-level roles (town officers read them, numbers masked) and
answers NOT_FOUND for rows elsewhere — ``adoption`` then answers null.
"""

from __future__ import annotations

from datetime import date

import strawberry
from graphql import GraphQLError
from minzheng.childwelfare.v1 import facilities_pb2 as pb

from gateway.context import GatewayContext, Info
from gateway.pagination import DEFAULT_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import iso, node_id
from gateway.schema.facilities_types import (
    AdopterRelation,
    Adoption,
    AdoptionConnection,
    AdoptionOutcome,
    AdoptionStatus,
    AssessmentResult,
    ChildrenHome,
    ChildrenHomeConnection,
    ChildrenHomeLevel,
    DemonstrationTier,
    FacilityCoverage,
    ProtectionStation,
    TownFacilityCoverage,
)


async def _adoption(ctx: GatewayContext, adoption_id: str) -> Adoption | None:
    try:
        reply = await ctx.call(ctx.clients.facilities.GetAdoption, pb.GetAdoptionRequest(id=adoption_id))
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") == "NOT_FOUND":
            return None  # absent and out of the caller's regions look the same, by design
        raise
    return Adoption.from_pb(reply)


@strawberry.type
class FacilitiesQuery:
    @strawberry.field(description="One adoption registration; null when absent or outside your regions.")
    async def adoption(self, info: Info, id: strawberry.ID) -> Adoption | None:
        return await _adoption(info.context, node_id(id, "Adoption", "id"))

    @strawberry.field(
        description="Adoption registrations in your regions (district-level and town officers)."
    )
    async def adoptions(
        self,
        info: Info,
        region_code: str | None = None,
        status: AdoptionStatus | None = None,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
    ) -> AdoptionConnection:
        ctx = info.context
        request = pb.ListAdoptionsRequest(
            region_code=region_code or "",
            status=status.value if status else pb.ADOPTION_STATUS_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.facilities.ListAdoptions, request, renames=PAGE_RENAMES)
        nodes = [Adoption.from_pb(row) for row in reply.adoptions]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return AdoptionConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="Children's homes in your regions (open ones unless includeClosed).")
    async def children_homes(
        self,
        info: Info,
        region_code: str | None = None,
        level: ChildrenHomeLevel | None = None,
        include_closed: bool = False,
        first: int = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ChildrenHomeConnection:
        ctx = info.context
        request = pb.ListChildrenHomesRequest(
            region_code=region_code or "",
            level=level.value if level else pb.CHILDREN_HOME_LEVEL_UNSPECIFIED,
            include_closed=include_closed,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.facilities.ListChildrenHomes, request, renames=PAGE_RENAMES)
        nodes = [ChildrenHome.from_pb(row) for row in reply.homes]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return ChildrenHomeConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(description="Minors' protection stations of the towns in your regions.")
    async def protection_stations(
        self, info: Info, region_code: str | None = None
    ) -> list[ProtectionStation]:
        ctx = info.context
        request = pb.ListProtectionStationsRequest(region_code=region_code or "")
        reply = await ctx.call(ctx.clients.facilities.ListProtectionStations, request)
        return [ProtectionStation.from_pb(s) for s in reply.stations]

    @strawberry.field(
        description="Per town: a protection station or not, and villages with an open children's home."
    )
    async def facility_coverage(self, info: Info, region_code: str | None = None) -> FacilityCoverage:
        ctx = info.context
        request = pb.GetFacilityCoverageRequest(region_code=region_code or "")
        reply = await ctx.call(ctx.clients.facilities.GetFacilityCoverage, request)
        return FacilityCoverage(
            towns=[TownFacilityCoverage.from_pb(t) for t in reply.towns],
            towns_with_station=reply.towns_with_station,
            towns_with_home=reply.towns_with_home,
            towns_fully_covered=reply.towns_fully_covered,
            as_of=date.fromisoformat(reply.as_of),
        )


@strawberry.input(description="An adopter: one, or each of a couple.")
class AdopterInput:
    name: str
    id_number: str = strawberry.field(description="18-character resident ID number (GB 11643).")
    relation: AdopterRelation = AdopterRelation.OTHER


@strawberry.input(
    description="An adoption application: a registered child (childId) or one given by ID number."
)
class RegisterAdoptionInput:
    adopters: list[AdopterInput]
    child_id: strawberry.ID | None = strawberry.field(default=None, description="A registered child's id.")
    child_id_number: str | None = None
    child_name: str | None = None
    region_code: str | None = strawberry.field(
        default=None, description="The child's town or village (not with childId: taken from the file)."
    )
    applied_on: date | None = strawberry.field(default=None, description="Default today; not in the future.")


@strawberry.input(description="The assessment (收养评估) of an application.")
class RecordAdoptionAssessmentInput:
    adoption_id: strawberry.ID
    result: AssessmentResult
    assessed_by: str
    assessed_on: date | None = None
    notes: str | None = None


@strawberry.input(description="Register (after a suitable assessment), refuse or withdraw an adoption.")
class CompleteAdoptionInput:
    adoption_id: strawberry.ID
    outcome: AdoptionOutcome
    decided_on: date | None = None
    certificate_number: str | None = strawberry.field(default=None, description="Required to register.")
    reason: str | None = strawberry.field(default=None, description="Required to refuse.")


@strawberry.input(description="A children's home opening in a village inside your regions.")
class OpenChildrenHomeInput:
    region_code: str = strawberry.field(description="12-digit village code.")
    name: str
    level: ChildrenHomeLevel
    tier: DemonstrationTier | None = strawberry.field(default=None, description="Only with DEMONSTRATION.")
    opened_on: date | None = None


@strawberry.input(description="A children's home moving to another level from a date (history kept).")
class ChangeChildrenHomeLevelInput:
    home_id: strawberry.ID
    level: ChildrenHomeLevel
    tier: DemonstrationTier | None = None
    effective_from: date | None = None
    reason: str | None = None


@strawberry.input(description="A children's home closing.")
class CloseChildrenHomeInput:
    home_id: strawberry.ID
    closed_on: date | None = None
    reason: str | None = None


@strawberry.input(description="A town's protection station opening (one per town).")
class OpenProtectionStationInput:
    region_code: str = strawberry.field(description="9-digit town code.")
    name: str
    staff_count: int
    opened_on: date | None = None
    contact: str | None = None


def _tier(tier: DemonstrationTier | None) -> int:
    return tier.value if tier else pb.DEMONSTRATION_TIER_UNSPECIFIED


@strawberry.type
class FacilitiesMutation:
    @strawberry.mutation(description="Record an adoption application (admin / district officers).")
    async def register_adoption(self, info: Info, input: RegisterAdoptionInput) -> Adoption:
        ctx = info.context
        request = pb.RegisterAdoptionRequest(
            child_id=node_id(input.child_id, "Child", "childId") if input.child_id else "",
            child_id_number=input.child_id_number or "",
            child_name=input.child_name or "",
            region_code=input.region_code or "",
            applied_on=iso(input.applied_on),
            adopters=[
                pb.Adopter(name=a.name, id_number=a.id_number, relation=a.relation.value)
                for a in input.adopters
            ],
        )
        return Adoption.from_pb(await ctx.call(ctx.clients.facilities.RegisterAdoption, request))

    @strawberry.mutation(description="Record the assessment (收养评估) of an adoption application.")
    async def record_adoption_assessment(self, info: Info, input: RecordAdoptionAssessmentInput) -> Adoption:
        ctx = info.context
        request = pb.RecordAdoptionAssessmentRequest(
            adoption_id=node_id(input.adoption_id, "Adoption", "adoptionId"),
            result=input.result.value,
            assessed_on=iso(input.assessed_on),
            assessed_by=input.assessed_by,
            notes=input.notes or "",
        )
        return Adoption.from_pb(await ctx.call(ctx.clients.facilities.RecordAdoptionAssessment, request))

    @strawberry.mutation(description="Register, refuse or withdraw an open adoption.")
    async def complete_adoption(self, info: Info, input: CompleteAdoptionInput) -> Adoption:
        ctx = info.context
        request = pb.CompleteAdoptionRequest(
            adoption_id=node_id(input.adoption_id, "Adoption", "adoptionId"),
            outcome=input.outcome.value,
            decided_on=iso(input.decided_on),
            certificate_number=input.certificate_number or "",
            reason=input.reason or "",
        )
        return Adoption.from_pb(await ctx.call(ctx.clients.facilities.CompleteAdoption, request))

    @strawberry.mutation(description="Open a village's children's home (one open home per village).")
    async def open_children_home(self, info: Info, input: OpenChildrenHomeInput) -> ChildrenHome:
        ctx = info.context
        request = pb.OpenChildrenHomeRequest(
            region_code=input.region_code,
            name=input.name,
            level=input.level.value,
            tier=_tier(input.tier),
            opened_on=iso(input.opened_on),
        )
        return ChildrenHome.from_pb(await ctx.call(ctx.clients.facilities.OpenChildrenHome, request))

    @strawberry.mutation(description="Move a children's home to another level (and tier) from a date.")
    async def change_children_home_level(
        self, info: Info, input: ChangeChildrenHomeLevelInput
    ) -> ChildrenHome:
        ctx = info.context
        request = pb.ChangeChildrenHomeLevelRequest(
            home_id=node_id(input.home_id, "ChildrenHome", "homeId"),
            level=input.level.value,
            tier=_tier(input.tier),
            effective_from=iso(input.effective_from),
            reason=input.reason or "",
        )
        return ChildrenHome.from_pb(await ctx.call(ctx.clients.facilities.ChangeChildrenHomeLevel, request))

    @strawberry.mutation(description="Close a children's home; the village may then open another.")
    async def close_children_home(self, info: Info, input: CloseChildrenHomeInput) -> ChildrenHome:
        ctx = info.context
        request = pb.CloseChildrenHomeRequest(
            home_id=node_id(input.home_id, "ChildrenHome", "homeId"),
            closed_on=iso(input.closed_on),
            reason=input.reason or "",
        )
        return ChildrenHome.from_pb(await ctx.call(ctx.clients.facilities.CloseChildrenHome, request))

    @strawberry.mutation(description="Open a town's minors' protection station (one per town).")
    async def open_protection_station(
        self, info: Info, input: OpenProtectionStationInput
    ) -> ProtectionStation:
        ctx = info.context
        request = pb.OpenProtectionStationRequest(
            region_code=input.region_code,
            name=input.name,
            opened_on=iso(input.opened_on),
            staff_count=input.staff_count,
            contact=input.contact or "",
        )
        return ProtectionStation.from_pb(
            await ctx.call(ctx.clients.facilities.OpenProtectionStation, request)
        )
