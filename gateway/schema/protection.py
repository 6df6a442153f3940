"""Child protection cases (五位一体 / 强制报告) in the graph: reports, case steps, conferences.

Every call goes to ProtectionCaseService with the caller's token; the service scopes cases to the
caller's regions and masks ID numbers unless the role may see them. A case outside those regions
looks absent: ``protectionCase`` answers null, mutations NOT_FOUND.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from minzheng.childwelfare.v1 import protection_pb2 as pb

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import iso, node_id
from gateway.schema.protection_types import (
    CaseState,
    CloseReason,
    ConcernKind,
    InterventionKind,
    PlacementKind,
    ProtectionCase,
    ProtectionCaseConnection,
    ReportSource,
)
from services.kit.protoconv import timestamp


@strawberry.type
class ProtectionQuery:
    @strawberry.field(description="One protection case; null when absent or outside your regions.")
    async def protection_case(self, info: Info, id: strawberry.ID) -> ProtectionCase | None:
        ctx = info.context
        request = pb.GetCaseRequest(id=node_id(id, "ProtectionCase", "id"))
        try:
            reply = await ctx.call(ctx.clients.protection.GetCase, request)
        except GraphQLError as exc:
            if (exc.extensions or {}).get("code") == "NOT_FOUND":
                return None  # absent and out of the caller's regions look the same, by design
            raise
        return ProtectionCase.from_pb(reply)

    @strawberry.field(
        description="Protection cases in your regions (or one inside them), newest report first."
    )
    async def protection_cases(
        self,
        info: Info,
        region_code: str | None = None,
        state: CaseState | None = None,
        response_overdue: Annotated[
            bool,
            strawberry.argument(description="Only reports still unanswered after their deadline (24 h)."),
        ] = False,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ProtectionCaseConnection:
        ctx = info.context
        request = pb.ListCasesRequest(
            region_code=region_code or "",
            state=state.value if state else pb.CASE_STATE_UNSPECIFIED,
            response_overdue=response_overdue,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.protection.ListCases, request, renames=PAGE_RENAMES)
        nodes = [ProtectionCase.from_pb(row) for row in reply.cases]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return ProtectionCaseConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )


@strawberry.input(
    description="A mandatory report (强制报告): a registered child, or a child's name and village."
)
class ReportConcernInput:
    child_id: strawberry.ID | None = strawberry.field(
        default=None, description="A registered child's global ID (then leave childName and idNumber out)."
    )
    child_name: str | None = None
    id_number: str | None = strawberry.field(
        default=None, description="Optional resident ID number of a minor; links the registered child."
    )
    region_code: str | None = strawberry.field(
        default=None, description="12-digit village code (default: the registered child's village)."
    )
    source: ReportSource
    concern: ConcernKind
    description: str
    informant: str | None = strawberry.field(default=None, description="Who told you, e.g. a neighbour.")
    reported_at: datetime | None = strawberry.field(
        default=None, description="When it was reported, if logged later (at most 7 days ago); default now."
    )


@strawberry.input(description="Where a child in temporary guardianship will live.")
class PlacementInput:
    kind: PlacementKind
    name: str
    contact: str | None = None
    start_on: date = strawberry.field(description="Not in the future, not before the report.")


@strawberry.input(description="One step of a case.")
class AdvanceProtectionCaseInput:
    case_id: strawberry.ID
    to_state: CaseState
    note: str
    intervention: InterventionKind | None = strawberry.field(
        default=None, description="Required when moving to INTERVENTION."
    )
    placement: PlacementInput | None = strawberry.field(
        default=None, description="Required for TEMPORARY_GUARDIANSHIP, refused otherwise."
    )
    close_reason: CloseReason | None = strawberry.field(default=None, description="Required when closing.")


@strawberry.input(description="A case conference (个案会商).")
class RecordCaseConferenceInput:
    case_id: strawberry.ID
    held_on: date
    participants: list[str] = strawberry.field(description='At least two, e.g. "王警官 (城厢派出所)".')
    decisions: str


@strawberry.type
class ProtectionMutation:
    @strawberry.mutation(
        description="File a mandatory report; opens a case and publishes "
        "civic.childwelfare.protection-case-opened."
    )
    async def report_concern(self, info: Info, input: ReportConcernInput) -> ProtectionCase:
        ctx = info.context
        request = pb.ReportConcernRequest(
            child_id=node_id(input.child_id, "Child", "childId") if input.child_id else "",
            child_name=input.child_name or "",
            id_number=input.id_number or "",
            region_code=input.region_code or "",
            source=input.source.value,
            concern=input.concern.value,
            description=input.description,
            informant=input.informant or "",
            reported_at=timestamp(input.reported_at),
        )
        return ProtectionCase.from_pb(await ctx.call(ctx.clients.protection.ReportConcern, request))

    @strawberry.mutation(
        description="Take a case step (respond, intervene, monitor, close); closing publishes "
        "civic.childwelfare.protection-case-closed."
    )
    async def advance_protection_case(self, info: Info, input: AdvanceProtectionCaseInput) -> ProtectionCase:
        ctx = info.context
        placement = input.placement
        request = pb.AdvanceCaseRequest(
            case_id=node_id(input.case_id, "ProtectionCase", "caseId"),
            to_state=input.to_state.value,
            note=input.note,
            intervention=input.intervention.value if input.intervention else 0,
            placement=pb.Placement(
                kind=placement.kind.value,
                name=placement.name,
                contact=placement.contact or "",
                start_on=iso(placement.start_on),
            )
            if placement is not None
            else None,
            close_reason=input.close_reason.value if input.close_reason else 0,
        )
        return ProtectionCase.from_pb(await ctx.call(ctx.clients.protection.AdvanceCase, request))

    @strawberry.mutation(description="Record a case conference on an open case.")
    async def record_case_conference(self, info: Info, input: RecordCaseConferenceInput) -> ProtectionCase:
        ctx = info.context
        request = pb.RecordConferenceRequest(
            case_id=node_id(input.case_id, "ProtectionCase", "caseId"),
            held_on=input.held_on.isoformat(),
            participants=input.participants,
            decisions=input.decisions,
        )
        return ProtectionCase.from_pb(await ctx.call(ctx.clients.protection.RecordConference, request))
