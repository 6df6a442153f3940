"""Between ProposalService messages and the proposal worklist: validated requests in, proposals out.

Each ``parse_*`` names every bad field (kit.errors.Collector) before anything is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.childwelfare.v1 import proposals_pb2 as pb

from services.childwelfare import mapping, proposals, rules
from services.childwelfare.models import Proposal
from services.childwelfare.requests import scope_of
from services.childwelfare.rules import ProtectionCategory
from services.kit import paging
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.protoconv import timestamp

MAX_NOTE_LENGTH = 500
KIND_TO_PB = {
    "category_change": pb.PROPOSAL_KIND_CATEGORY_CHANGE,
    "reassessment": pb.PROPOSAL_KIND_REASSESSMENT,
}
PRIORITY_TO_PB = {"normal": pb.PROPOSAL_PRIORITY_NORMAL, "high": pb.PROPOSAL_PRIORITY_HIGH}
STATUS_TO_PB: dict[proposals.Status, pb.ProposalStatus.ValueType] = {
    proposals.OPEN: pb.PROPOSAL_STATUS_OPEN,
    proposals.ACCEPTED: pb.PROPOSAL_STATUS_ACCEPTED,
    proposals.REJECTED: pb.PROPOSAL_STATUS_REJECTED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}


@dataclass(frozen=True)
class ProposalQuery:
    """A validated worklist listing."""

    scopes: tuple[str, ...]
    status: proposals.Status | None
    after: tuple[str, str] | None
    limit: int


@dataclass(frozen=True)
class Acceptance:
    """A validated acceptance."""

    proposal_id: str
    category: ProtectionCategory | None
    effective_from: date
    note: str


def proposal_to_pb(proposal: Proposal, child_name: str) -> pb.Proposal:
    """The wire form of a proposal."""
    proposed = proposal.proposed_category
    return pb.Proposal(
        id=proposal.id,
        child_id=proposal.child_id,
        child_name=child_name,
        region_code=proposal.region_code,
        kind=KIND_TO_PB.get(proposal.kind, pb.PROPOSAL_KIND_UNSPECIFIED),
        priority=PRIORITY_TO_PB.get(proposal.priority, pb.PROPOSAL_PRIORITY_UNSPECIFIED),
        current_category=mapping.CATEGORY_TO_PB[ProtectionCategory(proposal.current_category)],
        proposed_category=mapping.CATEGORY_TO_PB[ProtectionCategory(proposed)] if proposed else 0,
        reason=proposal.reason,
        source_subject=proposal.source_subject,
        source_event_id=proposal.source_event_id,
        proposed_at=timestamp(proposal.proposed_at),
        status=STATUS_TO_PB[proposal.status],  # type: ignore[index]
        decided_by=proposal.decided_by or "",
        decided_at=timestamp(proposal.decided_at),
        note=proposal.note,
    )


def _proposal_id(errors: Collector, raw: str) -> str:
    errors.check(bool(raw.strip()), "id", "is required")
    return raw.strip()


def parse_list(principal: Principal, request: pb.ListProposalsRequest) -> ProposalQuery:
    """Scopes, status and page of a worklist listing."""
    errors = Collector()
    status = STATUS_FROM_PB.get(request.status)
    errors.check(
        status is not None or request.status == pb.PROPOSAL_STATUS_UNSPECIFIED, "status", "unknown status"
    )
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    scopes = scope_of(principal, errors, request.region_code)
    return ProposalQuery(scopes, status, (after[0], after[1]) if after else None, limit)


def parse_accept(request: pb.AcceptProposalRequest, *, today: date) -> Acceptance:
    """The proposal, an optional other category, the day it starts (not in the future) and a note."""
    errors = Collector()
    proposal_id = _proposal_id(errors, request.id)
    category = mapping.check_category(errors, "category", request.category, required=False)
    start = rules.parse_day(errors, "effective_from", request.effective_from, default=today)
    rules.check_not_future(errors, "effective_from", start, today)
    rules.check_text(errors, "note", request.note, max_length=MAX_NOTE_LENGTH, required=False)
    errors.raise_if_any()
    assert start is not None
    return Acceptance(proposal_id, category, start, request.note.strip())


def parse_reject(request: pb.RejectProposalRequest) -> tuple[str, str]:
    """The proposal and the note saying why it is rejected (required)."""
    errors = Collector()
    proposal_id = _proposal_id(errors, request.id)
    rules.check_text(errors, "note", request.note, max_length=MAX_NOTE_LENGTH, required=True)
    errors.raise_if_any()
    return proposal_id, request.note.strip()
