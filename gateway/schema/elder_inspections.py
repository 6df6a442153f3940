"""Facility safety inspections (安全巡查) in the graph, with each hazard tracked until it is closed.

Every call goes to InspectionService with the caller's token; rows are scoped to the caller's regions.
A hazard goes open → rectified (with evidence) → closed when the rectification is accepted, or back to
open when it is not; an inspection closes with its last hazard. A facility is named by kind: a meal
provider or an institution by its global ID, a care centre (not registered here) by its own code.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import inspections_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import day, iso, node_id, timestamp

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.enum(description="What kind of facility was inspected.")
class InspectedFacilityKind(Enum):
    CARE_CENTRE = strawberry.enum_value(
        pb.FACILITY_KIND_CARE_CENTRE, description="居家养老服务照料中心: named in the inspection itself"
    )
    CANTEEN = strawberry.enum_value(pb.FACILITY_KIND_CANTEEN, description="老年食堂 / 助餐点: a MealProvider")
    INSTITUTION = strawberry.enum_value(pb.FACILITY_KIND_INSTITUTION, description="养老机构: an Institution")


@strawberry.enum(description="How serious a hazard is.")
class HazardSeverity(Enum):
    MINOR = strawberry.enum_value(pb.HAZARD_SEVERITY_MINOR, description="一般隐患")
    MAJOR = strawberry.enum_value(pb.HAZARD_SEVERITY_MAJOR, description="较大隐患")
    CRITICAL = strawberry.enum_value(pb.HAZARD_SEVERITY_CRITICAL, description="重大隐患")


@strawberry.enum(description="Where a hazard stands in the rectification loop.")
class HazardStatus(Enum):
    OPEN = pb.HAZARD_STATUS_OPEN
    RECTIFIED = strawberry.enum_value(pb.HAZARD_STATUS_RECTIFIED, description="Awaiting verification.")
    CLOSED = strawberry.enum_value(pb.HAZARD_STATUS_CLOSED, description="Verified: the loop is closed.")


@strawberry.enum(description="Whether an inspection still has hazards to close.")
class InspectionStatus(Enum):
    OPEN = pb.INSPECTION_STATUS_OPEN
    CLOSED = pb.INSPECTION_STATUS_CLOSED


# Facilities registered in eldercare are named by the global ID of their own type.
_FACILITY_TYPES: dict[int, str] = {
    pb.FACILITY_KIND_CANTEEN: "MealProvider",
    pb.FACILITY_KIND_INSTITUTION: "Institution",
}


def _facility_id(kind: int, raw: str) -> strawberry.ID:
    type_name = _FACILITY_TYPES.get(kind)
    return strawberry.ID(to_base64(type_name, raw) if type_name else raw)


@strawberry.type(description="A hazard found by an inspection, and its rectification.")
class Hazard(relay.Node):
    id: relay.NodeID[str]
    inspection_id: strawberry.ID
    description: str
    severity: HazardSeverity
    rectify_by: date | None
    status: HazardStatus
    rectified_on: date | None
    rectification_note: str | None
    verified_on: date | None
    verified_by: str | None
    verification_note: str | None = strawberry.field(description="The last verification's remark.")
    facility_kind: InspectedFacilityKind | None = strawberry.field(description="On hazards listed alone.")
    facility_name: str | None = strawberry.field(description="On hazards listed alone.")
    region_code: str | None = strawberry.field(description="On hazards listed alone.")
    days_overdue: int = strawberry.field(description="Days past rectifyBy today (0 when not overdue).")

    @classmethod
    def from_pb(cls, m: pb.Hazard) -> Hazard:
        """The GraphQL hazard of a reply."""
        return cls(
            id=m.id,
            inspection_id=strawberry.ID(to_base64("Inspection", m.inspection_id)),
            description=m.description,
            severity=HazardSeverity(m.severity),
            rectify_by=day(m.rectify_by),
            status=HazardStatus(m.status),
            rectified_on=day(m.rectified_on),
            rectification_note=m.rectification_note or None,
            verified_on=day(m.verified_on),
            verified_by=m.verified_by or None,
            verification_note=m.verification_note or None,
            facility_kind=InspectedFacilityKind(m.facility_kind) if m.facility_kind else None,
            facility_name=m.facility_name or None,
            region_code=m.region_code or None,
            days_overdue=m.days_overdue,
        )


@strawberry.type(description="A safety inspection of a care centre, canteen or institution.")
class Inspection(relay.Node):
    id: relay.NodeID[str]
    facility_kind: InspectedFacilityKind
    facility_id: strawberry.ID = strawberry.field(
        description="A MealProvider or Institution global ID; a care centre's own code."
    )
    facility_name: str
    region_code: str
    inspected_on: date | None
    inspector: str
    findings: str | None
    status: InspectionStatus
    closed_on: date | None = strawberry.field(description="When its last hazard closed.")
    hazards: list[Hazard]
    created_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Inspection) -> Inspection:
        """The GraphQL inspection of a reply."""
        return cls(
            id=m.id,
            facility_kind=InspectedFacilityKind(m.facility_kind),
            facility_id=_facility_id(m.facility_kind, m.facility_id),
            facility_name=m.facility_name,
            region_code=m.region_code,
            inspected_on=day(m.inspected_on),
            inspector=m.inspector,
            findings=m.findings or None,
            status=InspectionStatus(m.status),
            closed_on=day(m.closed_on),
            hazards=[Hazard.from_pb(h) for h in m.hazards],
            created_at=timestamp(m, "created_at"),
        )


@strawberry.type(description="Inspections, a page at a time (forward pagination with first/after).")
class InspectionConnection(relay.Connection[Inspection]):
    total_count: int


@strawberry.type(description="Hazards past their rectification deadline and not closed, most overdue first.")
class OverdueHazardConnection(relay.Connection[Hazard]):
    total_count: int
    as_of: date | None


@strawberry.type
class InspectionQuery:
    @strawberry.field(description="One inspection; null when absent or outside your regions.")
    async def inspection(self, info: Info, id: strawberry.ID) -> Inspection | None:
        ctx = info.context
        request = pb.GetInspectionRequest(id=node_id(id, "Inspection", "id"))
        try:
            reply = await ctx.call(ctx.clients.inspections.GetInspection, request)
        except GraphQLError as exc:
            if (exc.extensions or {}).get("code") == "NOT_FOUND":
                return None  # absent and out of the caller's regions look the same, by design
            raise
        return Inspection.from_pb(reply)

    @strawberry.field(description="Inspections in your regions with their hazards.")
    async def inspections(
        self,
        info: Info,
        region_code: str | None = None,
        status: InspectionStatus | None = None,
        facility_kind: InspectedFacilityKind | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> InspectionConnection:
        ctx = info.context
        request = pb.ListInspectionsRequest(
            region_code=region_code or "",
            status=status.value if status else pb.INSPECTION_STATUS_UNSPECIFIED,
            facility_kind=facility_kind.value if facility_kind else pb.FACILITY_KIND_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.inspections.ListInspections, request, renames=PAGE_RENAMES)
        nodes = [Inspection.from_pb(i) for i in reply.inspections]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return InspectionConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="Rectifications past their deadline in your regions, most overdue first.")
    async def overdue_rectifications(
        self,
        info: Info,
        region_code: str | None = None,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> OverdueHazardConnection:
        ctx = info.context
        request = pb.ListOverdueRectificationsRequest(
            region_code=region_code or "", page=page_request(first, after)
        )
        reply = await ctx.call(
            ctx.clients.inspections.ListOverdueRectifications, request, renames=PAGE_RENAMES
        )
        nodes = [Hazard.from_pb(h) for h in reply.hazards]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return OverdueHazardConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count, as_of=day(reply.as_of)
        )


@strawberry.input(description="A hazard found, with its rectification deadline.")
class NewHazardInput:
    description: str
    severity: HazardSeverity
    rectify_by: date = strawberry.field(description="Not before the inspection day.")


@strawberry.input(description="An inspection and the hazards it found (at most 50).")
class RecordInspectionInput:
    facility_kind: InspectedFacilityKind
    facility_id: str = strawberry.field(
        description="A MealProvider or Institution global ID; for a care centre, its own code."
    )
    inspector: str
    facility_name: str | None = strawberry.field(default=None, description="Care centres only.")
    region_code: str | None = strawberry.field(
        default=None, description="Care centres only: town or village."
    )
    inspected_on: date | None = strawberry.field(
        default=None, description="Default today; not in the future."
    )
    findings: str | None = None
    hazards: list[NewHazardInput] | None = None


@strawberry.input(description="A hazard reported rectified, with evidence.")
class RecordRectificationInput:
    hazard_id: strawberry.ID
    evidence: str = strawberry.field(description="What was done, and the evidence (photos, receipts).")
    rectified_on: date | None = strawberry.field(default=None, description="Default today.")


@strawberry.input(description="A rectification accepted (the hazard closes) or rejected (it reopens).")
class VerifyRectificationInput:
    hazard_id: strawberry.ID
    accepted: bool
    verified_by: str
    verified_on: date | None = strawberry.field(default=None, description="Default today.")
    note: str | None = strawberry.field(default=None, description="Required when not accepted.")


@strawberry.type
class InspectionMutation:
    @strawberry.mutation(description="Record an inspection with the hazards it found.")
    async def record_inspection(self, info: Info, input: RecordInspectionInput) -> Inspection:
        ctx = info.context
        kind = input.facility_kind.value
        type_name = _FACILITY_TYPES.get(kind)
        facility = node_id(input.facility_id, type_name, "facilityId") if type_name else input.facility_id
        request = pb.RecordInspectionRequest(
            facility_kind=kind,
            facility_id=facility,
            facility_name=input.facility_name or "",
            region_code=input.region_code or "",
            inspected_on=iso(input.inspected_on),
            inspector=input.inspector,
            findings=input.findings or "",
            hazards=[
                pb.NewHazard(
                    description=h.description, severity=h.severity.value, rectify_by=h.rectify_by.isoformat()
                )
                for h in input.hazards or []
            ],
        )
        return Inspection.from_pb(await ctx.call(ctx.clients.inspections.RecordInspection, request))

    @strawberry.mutation(description="Report an open hazard rectified (it then awaits verification).")
    async def record_rectification(self, info: Info, input: RecordRectificationInput) -> Inspection:
        ctx = info.context
        request = pb.RecordRectificationRequest(
            hazard_id=node_id(input.hazard_id, "Hazard", "hazardId"),
            rectified_on=iso(input.rectified_on),
            evidence=input.evidence,
        )
        return Inspection.from_pb(await ctx.call(ctx.clients.inspections.RecordRectification, request))

    @strawberry.mutation(
        description="Accept a rectification (closing the hazard) or reject it (reopening it)."
    )
    async def verify_rectification(self, info: Info, input: VerifyRectificationInput) -> Inspection:
        ctx = info.context
        request = pb.VerifyRectificationRequest(
            hazard_id=node_id(input.hazard_id, "Hazard", "hazardId"),
            accepted=input.accepted,
            verified_on=iso(input.verified_on),
            verified_by=input.verified_by,
            note=input.note or "",
        )
        return Inspection.from_pb(await ctx.call(ctx.clients.inspections.VerifyRectification, request))
