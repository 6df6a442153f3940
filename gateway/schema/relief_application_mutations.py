"""Relief application steps as mutations: submit, review, approve, reject, appeal, decide the appeal,
withdraw; and a grant suspended, terminated or re-checked.

Inputs are named as the service's fields in camelCase, so the service's field violations name the
GraphQL input fields without renames (``commitment.signedBy``, ``reason``, ``checkedOn``); ids are
global IDs (``ReliefApplication``, ``ReliefGrant``, ``Household``). The service enforces the roles
(town reviews, district decides), maker–checker (the approver is not the reviewer: FAILED_PRECONDITION)
and the caller's regions (elsewhere: NOT_FOUND), and audits every step.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from minzheng.relief.v1 import applications_pb2 as pb

from gateway.context import Info
from gateway.schema.common import iso, node_id
from gateway.schema.relief_application_types import ReliefApplication, ReliefGrant


def _application(value: strawberry.ID) -> str:
    return node_id(value, "ReliefApplication", "id")


def _grant(value: strawberry.ID) -> str:
    return node_id(value, "ReliefGrant", "id")


@strawberry.enum(description="What a periodic re-check found.")
class RecheckOutcome(Enum):
    CONTINUE = strawberry.enum_value(
        pb.RECHECK_OUTCOME_CONTINUE,
        description="Still qualifies: the next re-check moves on by the interval.",
    )
    SUSPEND = strawberry.enum_value(pb.RECHECK_OUTCOME_SUSPEND, description="Stop from the re-check day.")
    TERMINATE = strawberry.enum_value(pb.RECHECK_OUTCOME_TERMINATE, description="End for good from that day.")


@strawberry.input(description="The signed credit commitment (守信承诺), required to apply.")
class CreditCommitmentInput:
    signed_by: str = strawberry.field(description="The applicant's name as signed.")
    signed_on: date = strawberry.field(description="Not in the future.")


@strawberry.input(description="An application of a household for one or more relief items.")
class SubmitReliefApplicationInput:
    household_id: strawberry.ID
    items: list[str] = strawberry.field(
        description='Item codes in force, e.g. ["dibao", "medical"]; at most one of tekun, dibao, dibian.'
    )
    commitment: CreditCommitmentInput | None = strawberry.field(
        default=None, description="Required: without it the service refuses (field commitment)."
    )
    note: str | None = None


@strawberry.input(description="A step that takes an optional note (review, approval).")
class ReliefApplicationNoteInput:
    id: strawberry.ID
    note: str | None = None


@strawberry.input(description="A step that must say why (rejection, appeal, withdrawal).")
class ReliefApplicationReasonInput:
    id: strawberry.ID
    reason: str


@strawberry.input(description="The district's decision on an appeal.")
class DecideReliefAppealInput:
    id: strawberry.ID
    upheld: bool = strawberry.field(description="true: approved; false: rejected finally.")
    reason: str


@strawberry.input(description="A grant stopped or ended from a day, with a reason.")
class EndReliefGrantInput:
    id: strawberry.ID
    reason: str
    effective_from: date | None = strawberry.field(
        default=None, description="The first day without the assistance; default today."
    )


@strawberry.input(description="A periodic re-check of an open grant.")
class RecordReliefRecheckInput:
    id: strawberry.ID
    outcome: RecheckOutcome
    checked_on: date | None = strawberry.field(default=None, description="Default today; not in the future.")
    note: str | None = strawberry.field(default=None, description="Required to suspend or terminate.")


@strawberry.type
class ReliefApplicationMutation:
    @strawberry.mutation(description="Submit an application of a household (write roles, your regions).")
    async def submit_relief_application(
        self, info: Info, input: SubmitReliefApplicationInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.SubmitApplicationRequest(
            household_id=node_id(input.household_id, "Household", "householdId"),
            items=input.items,
            note=input.note or "",
        )
        if input.commitment is not None:
            request.commitment.CopyFrom(
                pb.CreditCommitment(
                    signed_by=input.commitment.signed_by, signed_on=input.commitment.signed_on.isoformat()
                )
            )
        reply = await ctx.call(ctx.clients.applications.SubmitApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(description="The town's review: the household is assessed and the snapshot kept.")
    async def review_relief_application(
        self, info: Info, input: ReliefApplicationNoteInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.ReviewApplicationRequest(id=_application(input.id), note=input.note or "")
        reply = await ctx.call(ctx.clients.applications.ReviewApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(
        description="The district's approval (not by the reviewer); a programme item becomes a grant."
    )
    async def approve_relief_application(
        self, info: Info, input: ReliefApplicationNoteInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.ApproveApplicationRequest(id=_application(input.id), note=input.note or "")
        reply = await ctx.call(ctx.clients.applications.ApproveApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(description="The district's rejection, with a reason (not by the reviewer).")
    async def reject_relief_application(
        self, info: Info, input: ReliefApplicationReasonInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.RejectApplicationRequest(id=_application(input.id), reason=input.reason)
        reply = await ctx.call(ctx.clients.applications.RejectApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(description="The household appeals a rejection (once), with a reason.")
    async def appeal_relief_application(
        self, info: Info, input: ReliefApplicationReasonInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.AppealApplicationRequest(id=_application(input.id), reason=input.reason)
        reply = await ctx.call(ctx.clients.applications.AppealApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(
        description="The appeal decided (district; neither the reviewer nor who rejected): upheld approves."
    )
    async def decide_relief_appeal(self, info: Info, input: DecideReliefAppealInput) -> ReliefApplication:
        ctx = info.context
        request = pb.DecideAppealRequest(id=_application(input.id), upheld=input.upheld, reason=input.reason)
        reply = await ctx.call(ctx.clients.applications.DecideAppeal, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(description="The household withdraws an application not yet decided.")
    async def withdraw_relief_application(
        self, info: Info, input: ReliefApplicationReasonInput
    ) -> ReliefApplication:
        ctx = info.context
        request = pb.WithdrawApplicationRequest(id=_application(input.id), reason=input.reason)
        reply = await ctx.call(ctx.clients.applications.WithdrawApplication, request)
        return ReliefApplication.from_pb(reply, detailed=True)

    @strawberry.mutation(description="Suspend a grant from a day (district officer or admin); payments stop.")
    async def suspend_relief_grant(self, info: Info, input: EndReliefGrantInput) -> ReliefGrant:
        ctx = info.context
        request = pb.SuspendGrantRequest(
            id=_grant(input.id), reason=input.reason, effective_from=iso(input.effective_from)
        )
        return ReliefGrant.from_pb(await ctx.call(ctx.clients.applications.SuspendGrant, request))

    @strawberry.mutation(description="End a grant for good from a day (district officer or admin).")
    async def terminate_relief_grant(self, info: Info, input: EndReliefGrantInput) -> ReliefGrant:
        ctx = info.context
        request = pb.TerminateGrantRequest(
            id=_grant(input.id), reason=input.reason, effective_from=iso(input.effective_from)
        )
        return ReliefGrant.from_pb(await ctx.call(ctx.clients.applications.TerminateGrant, request))

    @strawberry.mutation(
        description="Record a periodic re-check: CONTINUE moves the next one on (officers); SUSPEND / "
        "TERMINATE end the grant from the re-check day (district officer or admin)."
    )
    async def record_relief_recheck(self, info: Info, input: RecordReliefRecheckInput) -> ReliefGrant:
        ctx = info.context
        request = pb.RecordRecheckRequest(
            id=_grant(input.id),
            outcome=input.outcome.value,
            checked_on=iso(input.checked_on),
            note=input.note or "",
        )
        return ReliefGrant.from_pb(await ctx.call(ctx.clients.applications.RecordRecheck, request))
