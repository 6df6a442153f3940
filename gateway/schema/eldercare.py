"""Eldercare (智慧养老) in the graph: institutions, beds and occupancy over EldercareService.

Objects are built from the protobuf replies as plain attributes (no resolver per scalar field);
only ``Institution.beds`` resolves, through the request's DataLoader.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import GatewayContext, Info
from gateway.loaders import BedsKey
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import node_id, timestamp


@strawberry.enum(description="Who runs an institution.")
class InstitutionKind(Enum):
    PUBLIC = pb.INSTITUTION_KIND_PUBLIC
    PRIVATE = pb.INSTITUTION_KIND_PRIVATE
    RURAL_WUBAO = strawberry.enum_value(pb.INSTITUTION_KIND_RURAL_WUBAO, description="农村特困供养服务机构")


@strawberry.enum(description="What kind of care a bed is for.")
class BedType(Enum):
    GENERAL = pb.BED_TYPE_GENERAL
    NURSING = strawberry.enum_value(pb.BED_TYPE_NURSING, description="护理型床位")
    DEMENTIA_CARE = strawberry.enum_value(pb.BED_TYPE_DEMENTIA_CARE, description="认知障碍照护专区")
    FAMILY_CARE = strawberry.enum_value(
        pb.BED_TYPE_FAMILY_CARE,
        description="家庭养老床位: a bed in the elder's home served by the institution",
    )


@strawberry.enum(description="Whether a bed is taken.")
class BedStatus(Enum):
    VACANT = pb.BED_STATUS_VACANT
    OCCUPIED = pb.BED_STATUS_OCCUPIED


@strawberry.type(description="A bed in an institution, or a family-care bed served by one.")
class Bed:
    id: strawberry.ID
    institution_id: strawberry.ID
    label: str
    type: BedType
    status: BedStatus
    region_code: str
    occupant_id_number: str | None = strawberry.field(
        description="Masked (330109********123X) unless your role may see ID numbers; reads are audited."
    )
    occupant_name: str | None
    assigned_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Bed) -> Bed:
        """The GraphQL bed of a reply."""
        return cls(
            id=strawberry.ID(to_base64("Bed", m.id)),
            institution_id=strawberry.ID(to_base64("Institution", m.institution_id)),
            label=m.label,
            type=BedType(m.type),
            status=BedStatus(m.status),
            region_code=m.region_code,
            occupant_id_number=m.occupant_id_number or None,
            occupant_name=m.occupant_name or None,
            assigned_at=timestamp(m, "assigned_at"),
        )


@strawberry.type(description="An eldercare institution (养老机构) and its beds.")
class Institution(relay.Node):
    id: relay.NodeID[str]
    name: str
    kind: InstitutionKind
    region_code: str = strawberry.field(description="9-digit town or 12-digit village code.")
    star_rating: int = strawberry.field(description="0 (unrated) to 5.")
    bed_count: int
    occupied_count: int
    created_at: datetime | None

    @strawberry.field(
        description="Beds of this institution; across a list of institutions, one service call."
    )
    async def beds(
        self, info: Info, status: BedStatus | None = None, type: BedType | None = None
    ) -> list[Bed]:
        key = BedsKey(self.id, status.value if status else 0, type.value if type else 0)
        return [Bed.from_pb(b) for b in await info.context.loaders.beds.load(key)]

    @classmethod
    def from_pb(cls, m: pb.Institution) -> Institution:
        """The GraphQL institution of a reply."""
        return cls(
            id=m.id,
            name=m.name,
            kind=InstitutionKind(m.kind),
            region_code=m.region_code,
            star_rating=m.star_rating,
            bed_count=m.bed_count,
            occupied_count=m.occupied_count,
            created_at=timestamp(m, "created_at"),
        )


@strawberry.type(description="Institutions, a page at a time (forward pagination with first/after).")
class InstitutionConnection(relay.Connection[Institution]):
    total_count: int = strawberry.field(description="Institutions matching the filter, across all pages.")


@strawberry.type(description="Beds of one type and how many are taken.")
class OccupancyByType:
    type: BedType
    total: int
    occupied: int


@strawberry.type(description="Beds and occupied beds in a region.")
class Occupancy:
    region_code: str = strawberry.field(description="The region the numbers cover (empty: all of yours).")
    total: int
    occupied: int
    rate: float = strawberry.field(description="occupied / total; 0 when there are no beds.")
    by_type: list[OccupancyByType]


async def _institution(ctx: GatewayContext, institution_id: str) -> Institution | None:
    try:
        reply = await ctx.call(
            ctx.clients.eldercare.GetInstitution, pb.GetInstitutionRequest(id=institution_id)
        )
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") == "NOT_FOUND":
            return None  # absent and out of the caller's regions look the same, by design
        raise
    return Institution.from_pb(reply)


@strawberry.type
class EldercareQuery:
    @strawberry.field(description="Institutions in your regions (or one region inside them), oldest first.")
    async def institutions(
        self,
        info: Info,
        region_code: str | None = None,
        kind: InstitutionKind | None = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> InstitutionConnection:
        ctx = info.context
        request = pb.ListInstitutionsRequest(
            region_code=region_code or "",
            kind=kind.value if kind else pb.INSTITUTION_KIND_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.eldercare.ListInstitutions, request, renames=PAGE_RENAMES)
        nodes = [Institution.from_pb(row) for row in reply.institutions]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return InstitutionConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )

    @strawberry.field(
        description="One institution by its global ID; null when absent or outside your regions."
    )
    async def institution(self, info: Info, id: strawberry.ID) -> Institution | None:
        return await _institution(info.context, node_id(id, "Institution", "id"))

    @strawberry.field(description="Beds and occupied beds in your regions (or one region inside them).")
    async def occupancy(self, info: Info, region_code: str | None = None) -> Occupancy:
        ctx = info.context
        reply = await ctx.call(
            ctx.clients.eldercare.GetOccupancy, pb.GetOccupancyRequest(region_code=region_code or "")
        )
        return Occupancy(
            region_code=reply.region_code,
            total=reply.total,
            occupied=reply.occupied,
            rate=reply.rate,
            by_type=[
                OccupancyByType(type=BedType(t.type), total=t.total, occupied=t.occupied)
                for t in reply.by_type
            ],
        )


@strawberry.input(description="A new institution in a town or village inside your regions.")
class RegisterInstitutionInput:
    name: str
    kind: InstitutionKind
    region_code: str
    star_rating: int = 0


@strawberry.input(description="Vacant beds of one type added to an institution.")
class AddBedsInput:
    institution_id: strawberry.ID
    type: BedType
    count: int = strawberry.field(description="1..500 beds per call.")
    label_prefix: str | None = strawberry.field(
        default=None, description='Labels become "<prefix>-001", "<prefix>-002", ...; default by type.'
    )


@strawberry.input(description="A vacant bed given to an elder who holds no other bed.")
class AssignBedInput:
    bed_id: strawberry.ID
    elder_id_number: str = strawberry.field(description="18-character resident ID number (GB 11643).")
    elder_name: str


@strawberry.input(description="An occupied bed freed.")
class ReleaseBedInput:
    bed_id: strawberry.ID
    reason: str | None = strawberry.field(default=None, description='e.g. "moved home", "deceased".')


@strawberry.type
class EldercareMutation:
    @strawberry.mutation(description="Register an institution (needs a write role and the region in scope).")
    async def register_institution(self, info: Info, input: RegisterInstitutionInput) -> Institution:
        ctx = info.context
        request = pb.RegisterInstitutionRequest(
            name=input.name,
            kind=input.kind.value,
            region_code=input.region_code,
            star_rating=input.star_rating,
        )
        return Institution.from_pb(await ctx.call(ctx.clients.eldercare.RegisterInstitution, request))

    @strawberry.mutation(description="Add vacant beds to an institution.")
    async def add_beds(self, info: Info, input: AddBedsInput) -> list[Bed]:
        ctx = info.context
        request = pb.AddBedsRequest(
            institution_id=node_id(input.institution_id, "Institution", "institutionId"),
            type=input.type.value,
            count=input.count,
            label_prefix=input.label_prefix or "",
        )
        reply = await ctx.call(ctx.clients.eldercare.AddBeds, request)
        return [Bed.from_pb(b) for b in reply.beds]

    @strawberry.mutation(description="Give a vacant bed to an elder; publishes civic.eldercare.bed-assigned.")
    async def assign_bed(self, info: Info, input: AssignBedInput) -> Bed:
        ctx = info.context
        request = pb.AssignBedRequest(
            bed_id=node_id(input.bed_id, "Bed", "bedId"),
            elder_id_number=input.elder_id_number,
            elder_name=input.elder_name,
        )
        return Bed.from_pb(await ctx.call(ctx.clients.eldercare.AssignBed, request))

    @strawberry.mutation(description="Free an occupied bed; publishes civic.eldercare.bed-released.")
    async def release_bed(self, info: Info, input: ReleaseBedInput) -> Bed:
        ctx = info.context
        request = pb.ReleaseBedRequest(
            bed_id=node_id(input.bed_id, "Bed", "bedId"), reason=input.reason or ""
        )
        return Bed.from_pb(await ctx.call(ctx.clients.eldercare.ReleaseBed, request))
