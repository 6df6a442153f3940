"""Elders (老年人) in the graph: the registry, capability assessments and monthly home visits.

Every call goes to ElderService with the caller's token; the service scopes rows to the caller's
regions and masks ID numbers unless the role may see them. An elder outside those regions looks
absent: ``elder`` answers null, mutations NOT_FOUND.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import elders_pb2 as pb

from gateway.context import GatewayContext, Info
from gateway.errors import invalid_field
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import iso, node_id
from gateway.schema.elders_types import (
    CapabilityAssessment,
    CapabilityLevel,
    ContactRelation,
    Elder,
    ElderConnection,
    ElderVisit,
    ElderVisitCompliance,
    LivingArrangement,
    VillageVisitCompliance,
    VisitRiskLevel,
)
from services.kit.idcard import InvalidIdNumber, parse_id_number

# UpdateElder names the elder ``id``; the mutation's input calls it ``elderId``.
UPDATE_RENAMES = {"id": "elderId"}


async def _elder(ctx: GatewayContext, request: pb.GetElderRequest) -> Elder | None:
    try:
        reply = await ctx.call(ctx.clients.elders.GetElder, request)
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") == "NOT_FOUND":
            return None  # absent and out of the caller's regions look the same, by design
        raise
    return Elder.from_pb(reply)


@strawberry.type
class ElderQuery:
    @strawberry.field(
        description="One elder's file by ID number (or global ID); null when absent or outside your regions."
    )
    async def elder(
        self,
        info: Info,
        id_number: Annotated[
            str | None, strawberry.argument(description="18-character resident ID number (GB 11643).")
        ] = None,
        id: strawberry.ID | None = None,
    ) -> Elder | None:
        if (id_number is None) == (id is None):
            raise invalid_field("idNumber", "give either idNumber or id")
        if id is not None:
            return await _elder(info.context, pb.GetElderRequest(id=node_id(id, "Elder", "id")))
        try:
            number = parse_id_number(id_number or "")
        except InvalidIdNumber as exc:
            raise invalid_field("idNumber", exc.reason) from None  # the reason never echoes the number
        return await _elder(info.context, pb.GetElderRequest(id_number=number.value))

    @strawberry.field(description="Elders in your regions (or one region inside them), in region order.")
    async def elders(
        self,
        info: Info,
        region_code: str | None = None,
        vulnerable: Annotated[
            bool, strawberry.argument(description="Only elders in the monthly visit programme.")
        ] = False,
        visit_overdue: Annotated[
            bool, strawberry.argument(description="Only vulnerable elders whose visit is overdue today.")
        ] = False,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ElderConnection:
        ctx = info.context
        request = pb.ListEldersRequest(
            region_code=region_code or "",
            vulnerable_only=vulnerable,
            visit_overdue_only=visit_overdue,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.elders.ListElders, request, renames=PAGE_RENAMES)
        nodes = [Elder.from_pb(row) for row in reply.elders]
        edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
        return ElderConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="Monthly-visit compliance for vulnerable elders today, per village.")
    async def elder_visit_compliance(
        self, info: Info, region_code: str | None = None
    ) -> ElderVisitCompliance:
        ctx = info.context
        reply = await ctx.call(
            ctx.clients.elders.GetElderVisitCompliance,
            pb.GetElderVisitComplianceRequest(region_code=region_code or ""),
        )
        return ElderVisitCompliance(
            villages=[
                VillageVisitCompliance(
                    region_code=v.region_code,
                    vulnerable=v.vulnerable,
                    overdue=v.overdue,
                    rate=v.rate if v.HasField("rate") else None,
                )
                for v in reply.villages
            ],
            vulnerable=reply.vulnerable,
            overdue=reply.overdue,
            rate=reply.rate if reply.HasField("rate") else None,
        )


@strawberry.input(description="Someone to call about an elder.")
class ElderContactInput:
    name: str
    relation: ContactRelation
    phone: str

    def to_pb(self) -> pb.ElderContact:
        """The service's form."""
        return pb.ElderContact(name=self.name, relation=self.relation.value, phone=self.phone)


@strawberry.input(description="An elder (60 or over) entering the registry in a town or village of yours.")
class RegisterElderInput:
    id_number: str = strawberry.field(description="18-character resident ID number (GB 11643).")
    name: str
    region_code: str = strawberry.field(description="9-digit town or 12-digit village code.")
    living_arrangement: LivingArrangement
    widowed_childless: bool = False
    left_behind: bool = False
    special_family: bool = False
    phone: str | None = None
    address: str | None = None
    contacts: list[ElderContactInput] = strawberry.field(default_factory=list, description="At most 5.")
    situation_since: date | None = strawberry.field(
        default=None,
        description="The day this living situation has held since (not in the future; default today).",
    )


@strawberry.input(description="An elder's living situation, phone, address and contacts, replaced whole.")
class UpdateElderInput:
    elder_id: strawberry.ID
    living_arrangement: LivingArrangement
    widowed_childless: bool = False
    left_behind: bool = False
    special_family: bool = False
    phone: str | None = None
    address: str | None = None
    contacts: list[ElderContactInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A capability assessment of an elder.")
class RecordElderAssessmentInput:
    elder_id: strawberry.ID
    level: CapabilityLevel
    assessed_on: date = strawberry.field(description="Not in the future.")
    assessor: str
    organisation: str | None = None
    notes: str | None = None


@strawberry.input(description="Who made a home visit, and the town or village they work for.")
class VisitorInput:
    name: str
    region_code: str = strawberry.field(description="The elder must live inside it.")


@strawberry.input(description="A home visit to an elder.")
class RecordElderVisitInput:
    elder_id: strawberry.ID
    visited_on: date = strawberry.field(description="Not in the future.")
    visitor: VisitorInput
    risk_level: VisitRiskLevel
    findings: str | None = None
    notes: str | None = None


@strawberry.type
class ElderMutation:
    @strawberry.mutation(description="Open an elder's file (write roles, inside your regions).")
    async def register_elder(self, info: Info, input: RegisterElderInput) -> Elder:
        ctx = info.context
        request = pb.RegisterElderRequest(
            id_number=input.id_number,
            name=input.name,
            region_code=input.region_code,
            living_arrangement=input.living_arrangement.value,
            widowed_childless=input.widowed_childless,
            left_behind=input.left_behind,
            special_family=input.special_family,
            phone=input.phone or "",
            address=input.address or "",
            contacts=[c.to_pb() for c in input.contacts],
            situation_since=iso(input.situation_since),
        )
        return Elder.from_pb(await ctx.call(ctx.clients.elders.RegisterElder, request))

    @strawberry.mutation(description="Replace an elder's living situation, phone, address and contacts.")
    async def update_elder(self, info: Info, input: UpdateElderInput) -> Elder:
        ctx = info.context
        request = pb.UpdateElderRequest(
            id=node_id(input.elder_id, "Elder", "elderId"),
            living_arrangement=input.living_arrangement.value,
            widowed_childless=input.widowed_childless,
            left_behind=input.left_behind,
            special_family=input.special_family,
            phone=input.phone or "",
            address=input.address or "",
            contacts=[c.to_pb() for c in input.contacts],
        )
        return Elder.from_pb(await ctx.call(ctx.clients.elders.UpdateElder, request, renames=UPDATE_RENAMES))

    @strawberry.mutation(
        description="Record a capability assessment; the latest becomes the elder's level. "
        "Publishes civic.eldercare.elder-assessed."
    )
    async def record_elder_assessment(
        self, info: Info, input: RecordElderAssessmentInput
    ) -> CapabilityAssessment:
        ctx = info.context
        request = pb.RecordAssessmentRequest(
            elder_id=node_id(input.elder_id, "Elder", "elderId"),
            level=input.level.value,
            assessed_on=input.assessed_on.isoformat(),
            assessor=input.assessor,
            organisation=input.organisation or "",
            notes=input.notes or "",
        )
        return CapabilityAssessment.from_pb(await ctx.call(ctx.clients.elders.RecordAssessment, request))

    @strawberry.mutation(description="Record a home visit (write roles and village directors).")
    async def record_elder_visit(self, info: Info, input: RecordElderVisitInput) -> ElderVisit:
        ctx = info.context
        request = pb.RecordElderVisitRequest(
            elder_id=node_id(input.elder_id, "Elder", "elderId"),
            visited_on=input.visited_on.isoformat(),
            visitor=pb.Visitor(name=input.visitor.name, region_code=input.visitor.region_code),
            findings=input.findings or "",
            risk_level=input.risk_level.value,
            notes=input.notes or "",
        )
        return ElderVisit.from_pb(await ctx.call(ctx.clients.elders.RecordElderVisit, request))
