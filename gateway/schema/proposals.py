"""Child welfare's proposal worklist in the graph: what relief and funeral events suggest for children.

Every call goes to ProposalService with the caller's token; the service scopes proposals to the
caller's regions (village directors read their village's) and only town officers and above decide.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.childwelfare.v1 import proposals_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, PAGE_RENAMES, connection_parts, page_request
from gateway.schema.childwelfare_types import ProtectionCategory
from gateway.schema.common import iso, node_id, timestamp


@strawberry.enum(description="What a proposal asks for.")
class ChildProposalKind(Enum):
    CATEGORY_CHANGE = strawberry.enum_value(
        pb.PROPOSAL_KIND_CATEGORY_CHANGE, description="Move the child to proposedCategory."
    )
    REASSESSMENT = strawberry.enum_value(
        pb.PROPOSAL_KIND_REASSESSMENT, description="Re-assess the category (and guardianship)."
    )


@strawberry.enum(description="Where a proposal stands.")
class ChildProposalStatus(Enum):
    OPEN = pb.PROPOSAL_STATUS_OPEN
    ACCEPTED = pb.PROPOSAL_STATUS_ACCEPTED
    REJECTED = pb.PROPOSAL_STATUS_REJECTED


@strawberry.enum(description="How urgent a proposal is.")
class ChildProposalPriority(Enum):
    NORMAL = pb.PROPOSAL_PRIORITY_NORMAL
    HIGH = strawberry.enum_value(pb.PROPOSAL_PRIORITY_HIGH, description="A guardian died.")


@strawberry.type(description="A worklist item raised by another service's event; never applied silently.")
class ChildProposal(relay.Node):
    id: relay.NodeID[str]
    child_id: strawberry.ID = strawberry.field(description="The child's global ID (query child(id:)).")
    child_name: str
    region_code: str = strawberry.field(description="The child's village.")
    kind: ChildProposalKind
    priority: ChildProposalPriority
    current_category: ProtectionCategory = strawberry.field(description="When the proposal was raised.")
    proposed_category: ProtectionCategory | None = strawberry.field(description="Null for a re-assessment.")
    reason: str
    source_subject: str = strawberry.field(description="NATS subject of the event that raised it.")
    source_event_id: str = strawberry.field(description="CloudEvents id of that event.")
    proposed_at: datetime | None
    status: ChildProposalStatus
    decided_by: str | None
    decided_at: datetime | None
    note: str | None

    @classmethod
    def from_pb(cls, m: pb.Proposal) -> ChildProposal:
        """The GraphQL proposal of a reply."""
        return cls(
            id=m.id,
            child_id=strawberry.ID(to_base64("Child", m.child_id)),
            child_name=m.child_name,
            region_code=m.region_code,
            kind=ChildProposalKind(m.kind),
            priority=ChildProposalPriority(m.priority),
            current_category=ProtectionCategory(m.current_category),
            proposed_category=ProtectionCategory(m.proposed_category) if m.proposed_category else None,
            reason=m.reason,
            source_subject=m.source_subject,
            source_event_id=m.source_event_id,
            proposed_at=timestamp(m, "proposed_at"),
            status=ChildProposalStatus(m.status),
            decided_by=m.decided_by or None,
            decided_at=timestamp(m, "decided_at"),
            note=m.note or None,
        )


@strawberry.type(description="Proposals, a page at a time (forward pagination with first/after).")
class ChildProposalConnection(relay.Connection[ChildProposal]):
    total_count: int = strawberry.field(description="Proposals matching the filter, across all pages.")


@strawberry.type
class ProposalQuery:
    @strawberry.field(description="The proposal worklist of your regions (or one inside them), by village.")
    async def child_proposals(
        self,
        info: Info,
        region_code: str | None = None,
        status: ChildProposalStatus | None = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ChildProposalConnection:
        ctx = info.context
        request = pb.ListProposalsRequest(
            region_code=region_code or "",
            status=status.value if status else pb.PROPOSAL_STATUS_UNSPECIFIED,
            page=page_request(first, after),
        )
        reply = await ctx.call(ctx.clients.proposals.ListProposals, request, renames=PAGE_RENAMES)
        nodes = [ChildProposal.from_pb(p) for p in reply.proposals]
        edges, page_info = connection_parts(nodes, reply.cursors, reply.page_info, after=after)
        return ChildProposalConnection(
            edges=edges, page_info=page_info, total_count=reply.page_info.total_count
        )


@strawberry.input(description="Accept a proposal: the category change is applied with history.")
class AcceptChildProposalInput:
    proposal_id: strawberry.ID
    category: ProtectionCategory | None = strawberry.field(
        default=None, description="Another category than the proposed one (or one for a re-assessment)."
    )
    effective_from: date | None = strawberry.field(
        default=None, description="Not before the current category began, not in the future; default today."
    )
    note: str | None = None


@strawberry.input(description="Reject a proposal; say why.")
class RejectChildProposalInput:
    proposal_id: strawberry.ID
    note: str


@strawberry.type
class ProposalMutation:
    @strawberry.mutation(description="Accept a proposal (town officers and above).")
    async def accept_child_proposal(self, info: Info, input: AcceptChildProposalInput) -> ChildProposal:
        ctx = info.context
        request = pb.AcceptProposalRequest(
            id=node_id(input.proposal_id, "ChildProposal", "proposalId"),
            category=input.category.value if input.category else 0,
            effective_from=iso(input.effective_from),
            note=input.note or "",
        )
        reply = await ctx.call(ctx.clients.proposals.AcceptProposal, request, renames={"id": "proposalId"})
        return ChildProposal.from_pb(reply)

    @strawberry.mutation(description="Reject a proposal with a note (town officers and above).")
    async def reject_child_proposal(self, info: Info, input: RejectChildProposalInput) -> ChildProposal:
        ctx = info.context
        request = pb.RejectProposalRequest(
            id=node_id(input.proposal_id, "ChildProposal", "proposalId"), note=input.note
        )
        reply = await ctx.call(ctx.clients.proposals.RejectProposal, request, renames={"id": "proposalId"})
        return ChildProposal.from_pb(reply)
