"""Certified elderly-care workers (持证养老护理员) in the graph: the register and counts per level.

Every call goes to CaregiverService with the caller's token; rows are scoped to the caller's regions.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.eldercare.v1 import caregivers_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import day, iso, node_id, timestamp

First = Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")]


@strawberry.enum(description="养老护理员 vocational skill levels (国家职业技能标准).")
class CaregiverLevel(Enum):
    JUNIOR = strawberry.enum_value(pb.CAREGIVER_LEVEL_JUNIOR, description="初级 (五级)")
    INTERMEDIATE = strawberry.enum_value(pb.CAREGIVER_LEVEL_INTERMEDIATE, description="中级 (四级)")
    SENIOR = strawberry.enum_value(pb.CAREGIVER_LEVEL_SENIOR, description="高级 (三级)")
    TECHNICIAN = strawberry.enum_value(pb.CAREGIVER_LEVEL_TECHNICIAN, description="技师 (二级)")
    SENIOR_TECHNICIAN = strawberry.enum_value(
        pb.CAREGIVER_LEVEL_SENIOR_TECHNICIAN, description="高级技师 (一级)"
    )


@strawberry.type(description="A certified caregiver, active or left.")
class Caregiver(relay.Node):
    id: relay.NodeID[str]
    certificate_number: str
    name: str
    level: CaregiverLevel
    certified_on: date | None
    employer_institution_id: strawberry.ID | None = strawberry.field(
        description="The employing institution, when it is one."
    )
    employer_name: str
    region_code: str = strawberry.field(description="Where they work: a town or village code.")
    active: bool
    left_on: date | None
    left_reason: str | None
    created_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Caregiver) -> Caregiver:
        """The GraphQL caregiver of a reply."""
        return cls(
            id=m.id,
            certificate_number=m.certificate_number,
            name=m.name,
            level=CaregiverLevel(m.level),
            certified_on=day(m.certified_on),
            employer_institution_id=strawberry.ID(to_base64("Institution", m.employer_institution_id))
            if m.employer_institution_id
            else None,
            employer_name=m.employer_name,
            region_code=m.region_code,
            active=m.active,
            left_on=day(m.left_on),
            left_reason=m.left_reason or None,
            created_at=timestamp(m, "created_at"),
        )


@strawberry.type(description="Caregivers, a page at a time (forward pagination with first/after).")
class CaregiverConnection(relay.Connection[Caregiver]):
    total_count: int


@strawberry.type(description="Active caregivers of one level.")
class CaregiverLevelCount:
    level: CaregiverLevel
    count: int


@strawberry.type(description="Active caregivers per level and the senior share (target 20%).")
class CaregiverCounts:
    levels: list[CaregiverLevelCount] = strawberry.field(description="Every level in order, zeros included.")
    active: int
    senior_or_above: int = strawberry.field(description="高级 + 技师 + 高级技师 among the active.")
    senior_share: float | None = strawberry.field(description="seniorOrAbove / active; null when none.")


@strawberry.type
class CaregiverQuery:
    @strawberry.field(description="Caregivers in your regions (those who left only with includeLeft).")
    async def caregivers(
        self,
        info: Info,
        region_code: str | None = None,
        level: CaregiverLevel | None = None,
        include_left: bool = False,
        first: First = DEFAULT_FIRST,
        after: str | None = None,
    ) -> CaregiverConnection:
        ctx = info.context
        request = pb.ListCaregiversRequest(
            region_code=region_code or "",
            level=level.value if level else pb.CAREGIVER_LEVEL_UNSPECIFIED,
            include_left=include_left,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.caregivers.ListCaregivers, request, renames=PAGE_RENAMES)
        nodes = [Caregiver.from_pb(c) for c in reply.caregivers]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return CaregiverConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(description="Active caregivers per level in your regions (or one region inside them).")
    async def caregiver_counts(self, info: Info, region_code: str | None = None) -> CaregiverCounts:
        ctx = info.context
        request = pb.GetCaregiverCountsRequest(region_code=region_code or "")
        reply = await ctx.call(ctx.clients.caregivers.GetCaregiverCounts, request)
        return CaregiverCounts(
            levels=[CaregiverLevelCount(level=CaregiverLevel(c.level), count=c.count) for c in reply.levels],
            active=reply.active,
            senior_or_above=reply.senior_or_above,
            senior_share=reply.senior_share if reply.HasField("senior_share") else None,
        )


@strawberry.input(description="A certified caregiver, employed by an institution or another organisation.")
class RegisterCaregiverInput:
    certificate_number: str = strawberry.field(description="Letters, digits and '-', up to 40.")
    name: str
    level: CaregiverLevel
    certified_on: date = strawberry.field(description="Not in the future.")
    employer_institution_id: strawberry.ID | None = strawberry.field(
        default=None, description="An institution in your regions (its region is taken; no regionCode)."
    )
    employer_name: str | None = strawberry.field(default=None, description="Another organisation's name.")
    region_code: str | None = strawberry.field(
        default=None, description="With employerName: town or village."
    )


@strawberry.input(description="A caregiver who left.")
class RecordCaregiverLeftInput:
    caregiver_id: strawberry.ID
    left_on: date | None = strawberry.field(default=None, description="Default today.")
    reason: str | None = None


@strawberry.type
class CaregiverMutation:
    @strawberry.mutation(description="Register a certified caregiver (certificate numbers are unique).")
    async def register_caregiver(self, info: Info, input: RegisterCaregiverInput) -> Caregiver:
        ctx = info.context
        employer = input.employer_institution_id
        request = pb.RegisterCaregiverRequest(
            certificate_number=input.certificate_number,
            name=input.name,
            level=input.level.value,
            certified_on=input.certified_on.isoformat(),
            employer_institution_id=node_id(employer, "Institution", "employerInstitutionId")
            if employer
            else "",
            employer_name=input.employer_name or "",
            region_code=input.region_code or "",
        )
        return Caregiver.from_pb(await ctx.call(ctx.clients.caregivers.RegisterCaregiver, request))

    @strawberry.mutation(description="Record that a caregiver left (FAILED_PRECONDITION if already left).")
    async def record_caregiver_left(self, info: Info, input: RecordCaregiverLeftInput) -> Caregiver:
        ctx = info.context
        request = pb.RecordCaregiverLeftRequest(
            caregiver_id=node_id(input.caregiver_id, "Caregiver", "caregiverId"),
            left_on=iso(input.left_on),
            reason=input.reason or "",
        )
        return Caregiver.from_pb(await ctx.call(ctx.clients.caregivers.RecordCaregiverLeft, request))
