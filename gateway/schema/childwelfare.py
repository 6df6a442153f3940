"""Child welfare (儿童福利 / 萧芽护) in the graph: the registry, the three-tier network and home visits.

Every call goes to ChildWelfareService with the caller's token; the service scopes rows to the
caller's regions (a village director sees only their village) and masks ID numbers unless the role
may see them. A child outside those regions looks absent: ``child`` answers null, mutations NOT_FOUND.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from gateway.context import GatewayContext, Info
from gateway.errors import invalid_field
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.childwelfare_pages import ChildAllowanceMutation, ChildAllowanceQuery
from gateway.schema.childwelfare_types import (
    Child,
    ChildConnection,
    ChildWelfareNetwork,
    ComplianceGrouping,
    ComplianceRow,
    GuardianRelation,
    NetworkMember,
    ProtectionCategory,
    RiskLevel,
    VillageWithoutDirector,
    Visit,
    VisitCompliance,
)
from gateway.schema.common import iso, node_id
from services.kit.idcard import InvalidIdNumber, parse_id_number


async def _child(ctx: GatewayContext, request: pb.GetChildRequest) -> Child | None:
    try:
        reply = await ctx.call(ctx.clients.childwelfare.GetChild, request)
    except GraphQLError as exc:
        if (exc.extensions or {}).get("code") == "NOT_FOUND":
            return None  # absent and out of the caller's regions look the same, by design
        raise
    return Child.from_pb(reply)


@strawberry.type
class ChildWelfareQuery(ChildAllowanceQuery):
    @strawberry.field(
        description="One child's file by ID number (or global ID); null when absent or outside your regions."
    )
    async def child(
        self,
        info: Info,
        id_number: Annotated[
            str | None, strawberry.argument(description="18-character resident ID number (GB 11643).")
        ] = None,
        id: strawberry.ID | None = None,
    ) -> Child | None:
        if (id_number is None) == (id is None):
            raise invalid_field("idNumber", "give either idNumber or id")
        if id is not None:
            return await _child(info.context, pb.GetChildRequest(id=node_id(id, "Child", "id")))
        try:
            number = parse_id_number(id_number or "")
        except InvalidIdNumber as exc:
            raise invalid_field("idNumber", exc.reason) from None  # the reason never echoes the number
        return await _child(info.context, pb.GetChildRequest(id_number=number.value))

    @strawberry.field(
        description="Children under 18 in your regions (or one region inside them), in region order."
    )
    async def children(
        self,
        info: Info,
        region_code: str | None = None,
        category: ProtectionCategory | None = None,
        visit_overdue: Annotated[
            bool, strawberry.argument(description="Only children in the visit programme overdue today.")
        ] = False,
        without_director: Annotated[
            bool, strawberry.argument(description="Only children whose village has no child director.")
        ] = False,
        director_subject: Annotated[
            str | None, strawberry.argument(description="Only the children of this director (login).")
        ] = None,
        include_adults: Annotated[
            bool, strawberry.argument(description="Include those who have turned 18.")
        ] = False,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ChildConnection:
        ctx = info.context
        request = pb.ListChildrenRequest(
            region_code=region_code or "",
            category=category.value if category else pb.PROTECTION_CATEGORY_UNSPECIFIED,
            visit_overdue=visit_overdue,
            without_director=without_director,
            director_subject=director_subject or "",
            include_adults=include_adults,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.childwelfare.ListChildren, request, renames=PAGE_RENAMES)
        nodes = [Child.from_pb(row) for row in reply.children]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return ChildConnection(edges=edges, page_info=page_info, total_count=reply.page_info.total_count)

    @strawberry.field(
        description="Town supervisors and village child directors in your regions, with child counts."
    )
    async def child_welfare_network(self, info: Info, region_code: str | None = None) -> ChildWelfareNetwork:
        ctx = info.context
        reply = await ctx.call(
            ctx.clients.childwelfare.ListNetwork, pb.ListNetworkRequest(region_code=region_code or "")
        )
        return ChildWelfareNetwork(
            supervisors=[NetworkMember.from_pb(m) for m in reply.supervisors],
            directors=[NetworkMember.from_pb(m) for m in reply.directors],
        )

    @strawberry.field(
        description="Villages in your regions that have registered children but no child director."
    )
    async def villages_without_director(
        self, info: Info, region_code: str | None = None
    ) -> list[VillageWithoutDirector]:
        ctx = info.context
        reply = await ctx.call(
            ctx.clients.childwelfare.ListVillagesWithoutDirector,
            pb.ListVillagesWithoutDirectorRequest(region_code=region_code or ""),
        )
        return [
            VillageWithoutDirector(region_code=v.region_code, child_count=v.child_count)
            for v in reply.villages
        ]

    @strawberry.field(
        description="Home-visit compliance today per village, town or director in your regions."
    )
    async def visit_compliance(
        self,
        info: Info,
        region_code: str | None = None,
        group_by: ComplianceGrouping = ComplianceGrouping.VILLAGE,
    ) -> VisitCompliance:
        ctx = info.context
        request = pb.GetVisitComplianceRequest(region_code=region_code or "", group_by=group_by.value)
        reply = await ctx.call(ctx.clients.childwelfare.GetVisitCompliance, request)
        return VisitCompliance(
            rows=[ComplianceRow.from_pb(r) for r in reply.rows],
            total=ComplianceRow.from_pb(reply.total),
            as_of=date.fromisoformat(reply.as_of),
        )


@strawberry.input(description="A guardian of a child.")
class GuardianInput:
    name: str
    relation: GuardianRelation
    contact: str | None = None
    is_primary: bool = False

    def to_pb(self) -> pb.Guardian:
        """The service's form."""
        return pb.Guardian(
            name=self.name,
            relation=self.relation.value,
            contact=self.contact or "",
            is_primary=self.is_primary,
        )


@strawberry.input(description="A child entering the registry in a village inside your regions.")
class RegisterChildInput:
    id_number: str = strawberry.field(description="18-character resident ID number (GB 11643); under 18.")
    name: str
    region_code: str = strawberry.field(description="12-digit village code.")
    category: ProtectionCategory
    category_since: date | None = strawberry.field(
        default=None, description="When the category applies from (default today; not in the future)."
    )
    guardians: list[GuardianInput] = strawberry.field(default_factory=list)


@strawberry.input(description="A child moved to another protection category (the history is kept).")
class ChangeChildCategoryInput:
    child_id: strawberry.ID
    category: ProtectionCategory
    effective_from: date | None = strawberry.field(
        default=None, description="Not before the current period started, not in the future; default today."
    )
    reason: str | None = None


@strawberry.input(description="A child's guardians, replacing the current ones.")
class SetChildGuardiansInput:
    child_id: strawberry.ID
    guardians: list[GuardianInput]


@strawberry.input(description="Someone put in office for a town (supervisor) or a village (director).")
class AssignNetworkMemberInput:
    region_code: str = strawberry.field(
        description="9-digit town code (supervisor) or 12-digit village code (director)."
    )
    subject: str = strawberry.field(description="Their login (token subject).")
    name: str
    contact: str | None = None


@strawberry.input(description="A home visit made by you, the child's director (or town supervisor).")
class RecordChildVisitInput:
    child_id: strawberry.ID
    visited_on: date = strawberry.field(description="Not in the future, not before the child was born.")
    risk_level: RiskLevel
    living_conditions: str | None = None
    schooling: str | None = None
    guardianship: str | None = None
    notes: str | None = None


@strawberry.type
class ChildWelfareMutation(ChildAllowanceMutation):
    @strawberry.mutation(description="Open a child's file; publishes civic.childwelfare.child-registered.")
    async def register_child(self, info: Info, input: RegisterChildInput) -> Child:
        ctx = info.context
        request = pb.RegisterChildRequest(
            id_number=input.id_number,
            name=input.name,
            region_code=input.region_code,
            category=input.category.value,
            category_since=iso(input.category_since),
            guardians=[g.to_pb() for g in input.guardians],
        )
        return Child.from_pb(await ctx.call(ctx.clients.childwelfare.RegisterChild, request))

    @strawberry.mutation(description="Move a child to another protection category from a date.")
    async def change_child_category(self, info: Info, input: ChangeChildCategoryInput) -> Child:
        ctx = info.context
        request = pb.ChangeCategoryRequest(
            child_id=node_id(input.child_id, "Child", "childId"),
            category=input.category.value,
            effective_from=iso(input.effective_from),
            reason=input.reason or "",
        )
        return Child.from_pb(await ctx.call(ctx.clients.childwelfare.ChangeCategory, request))

    @strawberry.mutation(description="Replace a child's guardians.")
    async def set_child_guardians(self, info: Info, input: SetChildGuardiansInput) -> Child:
        ctx = info.context
        request = pb.SetGuardiansRequest(
            child_id=node_id(input.child_id, "Child", "childId"),
            guardians=[g.to_pb() for g in input.guardians],
        )
        return Child.from_pb(await ctx.call(ctx.clients.childwelfare.SetGuardians, request))

    @strawberry.mutation(description="Make someone a town's child supervisor (督导员).")
    async def assign_child_supervisor(self, info: Info, input: AssignNetworkMemberInput) -> NetworkMember:
        ctx = info.context
        request = pb.AssignSupervisorRequest(
            region_code=input.region_code, subject=input.subject, name=input.name, contact=input.contact or ""
        )
        return NetworkMember.from_pb(await ctx.call(ctx.clients.childwelfare.AssignSupervisor, request))

    @strawberry.mutation(
        description="Make someone a village's child director (儿童主任); the village's children move to them."
    )
    async def assign_child_director(self, info: Info, input: AssignNetworkMemberInput) -> NetworkMember:
        ctx = info.context
        request = pb.AssignDirectorRequest(
            region_code=input.region_code, subject=input.subject, name=input.name, contact=input.contact or ""
        )
        return NetworkMember.from_pb(await ctx.call(ctx.clients.childwelfare.AssignDirector, request))

    @strawberry.mutation(
        description="Record a home visit you made (only the child's director or town supervisor); "
        "publishes civic.childwelfare.child-visit-recorded."
    )
    async def record_child_visit(self, info: Info, input: RecordChildVisitInput) -> Visit:
        ctx = info.context
        request = pb.RecordVisitRequest(
            child_id=node_id(input.child_id, "Child", "childId"),
            visited_on=input.visited_on.isoformat(),
            living_conditions=input.living_conditions or "",
            schooling=input.schooling or "",
            guardianship=input.guardianship or "",
            risk_level=input.risk_level.value,
            notes=input.notes or "",
        )
        return Visit.from_pb(await ctx.call(ctx.clients.childwelfare.RecordVisit, request))
