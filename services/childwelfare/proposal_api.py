"""The ProposalService servicer: take the request apart, call one worklist function, map back.

Anyone with regions reads the proposals there (village directors their village, viewers theirs);
deciding needs a writing role (town officers and above). Proposals outside the caller's regions are
NOT_FOUND; "now" comes from the injected clock.
"""

from __future__ import annotations

import grpc
from minzheng.childwelfare.v1 import proposals_pb2 as pb
from minzheng.childwelfare.v1 import proposals_pb2_grpc

from services.childwelfare import proposal_mapping, proposals, rules
from services.childwelfare.rules import Clock
from services.kit import paging
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

Context = grpc.aio.ServicerContext


class ProposalServicer(proposals_pb2_grpc.ProposalServiceServicer):
    """minzheng.childwelfare.v1.ProposalService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock) -> None:
        self._db = ctx.db
        self._clock = clock

    async def ListProposals(
        self, request: pb.ListProposalsRequest, context: Context
    ) -> pb.ListProposalsResponse:
        """Proposals in the caller's regions, optionally of one status, in region order."""
        query = proposal_mapping.parse_list(current_principal(), request)
        async with self._db.read() as session:
            rows, total, more = await proposals.list_proposals(
                session, scopes=query.scopes, status=query.status, after=query.after, limit=query.limit
            )
            cursors = [paging.encode_page_token(p.region_code, p.id) for p, _ in rows]
            return pb.ListProposalsResponse(
                proposals=[proposal_mapping.proposal_to_pb(p, name) for p, name in rows],
                page_info=paging.page_info(cursors[-1] if more and cursors else "", total),
                cursors=cursors,
            )

    async def AcceptProposal(self, request: pb.AcceptProposalRequest, context: Context) -> pb.Proposal:
        """Apply the proposal's category change (history and audit as ChangeCategory) and close it."""
        principal = current_principal()
        principal.require_write()
        now = self._clock()
        today = rules.china_today(now)
        accepted = proposal_mapping.parse_accept(request, today=today)
        async with self._db.unit_of_work() as session:
            proposal, name = await proposals.accept(
                session,
                actor=principal.subject,
                proposal_id=accepted.proposal_id,
                scopes=principal.regions,
                category=accepted.category,
                effective_from=accepted.effective_from,
                note=accepted.note,
                today=today,
                now=now,
            )
            return proposal_mapping.proposal_to_pb(proposal, name)

    async def RejectProposal(self, request: pb.RejectProposalRequest, context: Context) -> pb.Proposal:
        """Close the proposal with the officer's note; the child is not changed."""
        principal = current_principal()
        principal.require_write()
        proposal_id, note = proposal_mapping.parse_reject(request)
        async with self._db.unit_of_work() as session:
            proposal, name = await proposals.reject(
                session,
                actor=principal.subject,
                proposal_id=proposal_id,
                scopes=principal.regions,
                note=note,
                now=self._clock(),
            )
            return proposal_mapping.proposal_to_pb(proposal, name)


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ProposalService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Serve ProposalService on ``server`` (called from spec.register)."""
    proposals_pb2_grpc.add_ProposalServiceServicer_to_server(ProposalServicer(ctx, clock=clock), server)
