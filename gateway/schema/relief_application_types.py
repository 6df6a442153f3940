"""Relief applications (一件事) and assistance grants as GraphQL types, built from ApplicationService replies.

An application's steps, assessment and grants arrive whole from ``GetApplication`` and the mutations;
a row of ``applications`` carries neither its steps nor its grants (the service lists them bare), so
``detailed`` is false there and those two fields answer, when asked, from the request's applications
loader: the listed rows' files come in one ``BatchGetApplications`` call (per 100), not one each.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from weakref import WeakKeyDictionary

import strawberry
from minzheng.relief.v1 import applications_pb2 as pb
from minzheng.relief.v1 import eligibility_pb2 as epb
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.relay.utils import to_base64
from strawberry.scalars import JSON

from gateway.context import GatewayContext, Info
from gateway.loaders import applications_loader
from gateway.pagination import PAGE_RENAMES, connection_parts, page_request
from gateway.schema.common import day, timestamp
from gateway.schema.relief_eligibility_types import ReliefClassification, yuan
from gateway.schema.safety_types import enum_or_none

# Keyed by the request's context, so the loader lives and dies with the request (or connection).
_LOADERS: WeakKeyDictionary[GatewayContext, DataLoader[str, pb.Application]] = WeakKeyDictionary()


def _applications(ctx: GatewayContext) -> DataLoader[str, pb.Application]:
    """This request's loader of whole applications (a WebSocket context batches but never caches)."""
    loader = _LOADERS.get(ctx)
    if loader is None:
        stub = ctx.clients.applications
        loader = _LOADERS[ctx] = applications_loader(
            lambda r: ctx.call(stub.BatchGetApplications, r), cache=not ctx.websocket
        )
    return loader


@strawberry.enum(description="The programmes a grant can be of (特困 / 低保 / 低边).")
class ReliefProgramme(Enum):
    TEKUN = strawberry.enum_value(epb.CLASSIFICATION_TEKUN, description="特困人员救助供养")
    DIBAO = strawberry.enum_value(epb.CLASSIFICATION_DIBAO, description="最低生活保障")
    DIBIAN = strawberry.enum_value(epb.CLASSIFICATION_DIBIAN, description="低保边缘家庭")


@strawberry.enum(description="Where a relief application stands.")
class ReliefApplicationState(Enum):
    SUBMITTED = pb.APPLICATION_STATE_SUBMITTED
    REVIEWED = strawberry.enum_value(
        pb.APPLICATION_STATE_REVIEWED, description="The town checked it; the household was assessed."
    )
    APPROVED = pb.APPLICATION_STATE_APPROVED
    REJECTED = pb.APPLICATION_STATE_REJECTED
    APPEALED = pb.APPLICATION_STATE_APPEALED
    WITHDRAWN = pb.APPLICATION_STATE_WITHDRAWN


@strawberry.enum(description="Where an assistance grant stands; ACTIVE and SUSPENDED are open.")
class ReliefGrantStatus(Enum):
    ACTIVE = pb.GRANT_STATUS_ACTIVE
    SUSPENDED = pb.GRANT_STATUS_SUSPENDED
    TERMINATED = pb.GRANT_STATUS_TERMINATED


def application_gid(application_id: str) -> strawberry.ID:
    """The global ID of a relief application."""
    return strawberry.ID(to_base64("ReliefApplication", application_id))


@strawberry.type(description="An assistance grant: a household holding a programme from a day.")
class ReliefGrant(relay.Node):
    id: relay.NodeID[str]
    household_id: strawberry.ID
    region_code: str
    programme: ReliefProgramme | None
    status: ReliefGrantStatus | None
    effective_from: date | None
    suspended_from: date | None = strawberry.field(description="The first day without the assistance.")
    ended_on: date | None = strawberry.field(description="The first day without it, for good.")
    status_reason: str | None
    monthly_amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    monthly_amount_yuan: str
    application_id: strawberry.ID | None
    recheck_due_on: date | None = strawberry.field(description="When the next periodic re-check is due.")
    granted_by: str
    granted_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Grant) -> ReliefGrant:
        """The GraphQL grant of a reply."""
        return cls(
            id=m.id,
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            region_code=m.region_code,
            programme=enum_or_none(ReliefProgramme, m.programme),
            status=enum_or_none(ReliefGrantStatus, m.status),
            effective_from=day(m.effective_from),
            suspended_from=day(m.suspended_from),
            ended_on=day(m.ended_on),
            status_reason=m.status_reason or None,
            monthly_amount_fen=str(m.monthly_amount_fen),
            monthly_amount_yuan=yuan(m.monthly_amount_fen),
            application_id=application_gid(m.application_id) if m.application_id else None,
            recheck_due_on=day(m.recheck_due_on),
            granted_by=m.granted_by,
            granted_at=timestamp(m, "granted_at"),
        )


@strawberry.type(description="The signed credit commitment (守信承诺).")
class CreditCommitment:
    signed_by: str = strawberry.field(description="The applicant's name as signed.")
    signed_on: date | None


@strawberry.type(description="One step of an application's history.")
class ReliefApplicationStep:
    sequence: int
    action: str = strawberry.field(
        description="submit, review, approve, reject, appeal, uphold_appeal, dismiss_appeal, withdraw"
    )
    from_state: ReliefApplicationState | None
    to_state: ReliefApplicationState | None
    actor: str
    at: datetime | None
    note: str | None


@strawberry.type(description="The household's assessment taken at the town's review.")
class ReviewAssessment:
    month: str
    classification: ReliefClassification | None
    amount_fen: str
    amount_yuan: str
    snapshot: JSON = strawberry.field(description="The engine's inputs, standards and result.")


@strawberry.type(description="A relief application (一件事): one or more relief items asked for at once.")
class ReliefApplication(relay.Node):
    id: relay.NodeID[str]
    household_id: strawberry.ID
    region_code: str
    items: list[str] = strawberry.field(description='Item codes as asked, e.g. ["dibao", "medical"].')
    state: ReliefApplicationState | None
    note: str | None
    commitment: CreditCommitment | None
    submitted_by: str
    submitted_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    assessment: ReviewAssessment | None = strawberry.field(description="Null until reviewed.")
    decided_by: str | None = strawberry.field(description="Who took the latest decision.")
    decided_at: datetime | None
    reason: str | None
    appeal_reason: str | None
    detail: strawberry.Private[pb.Application | None]

    async def _file(self, info: Info) -> pb.Application:
        if self.detail is None:
            # A listed application: every listed one's file comes in one batch call, not one each.
            self.detail = await _applications(info.context).load(self.id)
        return self.detail

    @strawberry.field(description="The history, oldest first.")
    async def steps(self, info: Info) -> list[ReliefApplicationStep]:
        return [
            ReliefApplicationStep(
                sequence=s.sequence,
                action=s.action,
                from_state=enum_or_none(ReliefApplicationState, s.from_state),
                to_state=enum_or_none(ReliefApplicationState, s.to_state),
                actor=s.actor,
                at=timestamp(s, "at"),
                note=s.note or None,
            )
            for s in (await self._file(info)).steps
        ]

    @strawberry.field(description="The grants the approval created (empty when none).")
    async def grants(self, info: Info) -> list[ReliefGrant]:
        return [ReliefGrant.from_pb(g) for g in (await self._file(info)).grants]

    @classmethod
    def from_pb(cls, m: pb.Application, *, detailed: bool) -> ReliefApplication:
        """The GraphQL application of a reply; ``detailed`` when it carries its steps and grants."""
        assessment = None
        if m.HasField("assessment"):
            a = m.assessment
            assessment = ReviewAssessment(
                month=a.month,
                classification=enum_or_none(ReliefClassification, a.classification),
                amount_fen=str(a.amount_fen),
                amount_yuan=yuan(a.amount_fen),
                snapshot=json.loads(a.snapshot_json) if a.snapshot_json else {},
            )
        commitment = None
        if m.HasField("commitment"):
            commitment = CreditCommitment(
                signed_by=m.commitment.signed_by, signed_on=day(m.commitment.signed_on)
            )
        return cls(
            id=m.id,
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            region_code=m.region_code,
            items=list(m.items),
            state=enum_or_none(ReliefApplicationState, m.state),
            note=m.note or None,
            commitment=commitment,
            submitted_by=m.submitted_by,
            submitted_at=timestamp(m, "submitted_at"),
            reviewed_by=m.reviewed_by or None,
            reviewed_at=timestamp(m, "reviewed_at"),
            assessment=assessment,
            decided_by=m.decided_by or None,
            decided_at=timestamp(m, "decided_at"),
            reason=m.reason or None,
            appeal_reason=m.appeal_reason or None,
            detail=m if detailed else None,
        )


@strawberry.type(description="Relief applications, a page at a time (newest first).")
class ReliefApplicationConnection(relay.Connection[ReliefApplication]):
    total_count: int = strawberry.field(description="Applications matching the filter, across all pages.")


@strawberry.type(description="Open grants due for re-check, a page at a time (soonest first).")
class ReliefGrantConnection(relay.Connection[ReliefGrant]):
    total_count: int = strawberry.field(description="Grants on the worklist, across all pages.")


async def application_page(
    ctx: GatewayContext,
    *,
    region_code: str | None = None,
    household_id: str = "",
    state: ReliefApplicationState | None,
    first: int,
    after: str | None,
) -> ReliefApplicationConnection:
    """A page of applications (of a region, or of one household) as a connection."""
    request = pb.ListApplicationsRequest(
        region_code=region_code or "",
        household_id=household_id,
        state=state.value if state else 0,
        page=page_request(first, after),
    )
    reply = await ctx.call(ctx.clients.applications.ListApplications, request, renames=PAGE_RENAMES)
    nodes = [ReliefApplication.from_pb(row, detailed=False) for row in reply.applications]
    edges, page_info = connection_parts(nodes, list(reply.cursors), reply.page_info, after=after)
    return ReliefApplicationConnection(
        edges=edges, page_info=page_info, total_count=reply.page_info.total_count
    )
