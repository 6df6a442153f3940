"""Between the applications proto messages and relief's applications, steps and grants."""

from __future__ import annotations

from datetime import date

from minzheng.relief.v1 import applications_pb2 as pb

from services.kit.protoconv import timestamp
from services.relief.application_files import ApplicationFile, items_of
from services.relief.application_rules import ApplicationState, GrantStatus, snapshot_month
from services.relief.eligibility_mapping import CLASSIFICATION_TO_PB
from services.relief.eligibility_models import Classification
from services.relief.models import AssistanceGrant, ReliefApplication, ReliefApplicationStep

STATE_TO_PB: dict[ApplicationState, pb.ApplicationState.ValueType] = {
    ApplicationState.SUBMITTED: pb.APPLICATION_STATE_SUBMITTED,
    ApplicationState.REVIEWED: pb.APPLICATION_STATE_REVIEWED,
    ApplicationState.APPROVED: pb.APPLICATION_STATE_APPROVED,
    ApplicationState.REJECTED: pb.APPLICATION_STATE_REJECTED,
    ApplicationState.APPEALED: pb.APPLICATION_STATE_APPEALED,
    ApplicationState.WITHDRAWN: pb.APPLICATION_STATE_WITHDRAWN,
}
STATE_FROM_PB = {v: k for k, v in STATE_TO_PB.items()}
GRANT_STATUS_TO_PB: dict[GrantStatus, pb.GrantStatus.ValueType] = {
    GrantStatus.ACTIVE: pb.GRANT_STATUS_ACTIVE,
    GrantStatus.SUSPENDED: pb.GRANT_STATUS_SUSPENDED,
    GrantStatus.TERMINATED: pb.GRANT_STATUS_TERMINATED,
}


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def grant_to_pb(grant: AssistanceGrant) -> pb.Grant:
    """The wire form of a grant."""
    return pb.Grant(
        id=grant.id,
        household_id=grant.household_id,
        region_code=grant.region_code,
        programme=CLASSIFICATION_TO_PB[Classification(grant.programme)],
        status=GRANT_STATUS_TO_PB[GrantStatus(grant.status)],
        effective_from=_day(grant.effective_from),
        suspended_from=_day(grant.suspended_from),
        ended_on=_day(grant.ended_on),
        status_reason=grant.status_reason,
        monthly_amount_fen=grant.monthly_amount_fen,
        application_id=grant.application_id or "",
        recheck_due_on=_day(grant.recheck_due_on),
        granted_by=grant.granted_by,
        granted_at=timestamp(grant.granted_at),
        assessment=pb.ReviewAssessment(
            month=snapshot_month(grant.assessment_snapshot),
            classification=CLASSIFICATION_TO_PB[Classification(grant.programme)],
            amount_fen=grant.monthly_amount_fen,
            snapshot_json=grant.assessment_snapshot,
        ),
    )


def _step(step: ReliefApplicationStep) -> pb.ApplicationStep:
    return pb.ApplicationStep(
        sequence=step.sequence,
        action=step.action,
        from_state=STATE_TO_PB[ApplicationState(step.from_state)] if step.from_state else 0,
        to_state=STATE_TO_PB[ApplicationState(step.to_state)],
        actor=step.actor,
        at=timestamp(step.at),
        note=step.note,
    )


def _assessment(a: ReliefApplication) -> pb.ReviewAssessment | None:
    if a.assessment_classification is None:
        return None
    return pb.ReviewAssessment(
        month=a.assessment_month or "",
        classification=CLASSIFICATION_TO_PB[Classification(a.assessment_classification)],
        amount_fen=a.assessment_amount_fen or 0,
        snapshot_json=a.assessment_snapshot or "",
    )


def application_to_pb(file: ApplicationFile) -> pb.Application:
    """The wire form of an application with its steps and grants (empty lists when not loaded)."""
    a = file.application
    commitment = None
    if a.commitment_signed_by and a.commitment_signed_on:
        commitment = pb.CreditCommitment(
            signed_by=a.commitment_signed_by, signed_on=_day(a.commitment_signed_on)
        )
    return pb.Application(
        id=a.id,
        household_id=a.household_id,
        region_code=a.region_code,
        items=items_of(a),
        state=STATE_TO_PB[ApplicationState(a.state)],
        note=a.note,
        commitment=commitment,
        submitted_by=a.submitted_by,
        submitted_at=timestamp(a.submitted_at),
        reviewed_by=a.reviewed_by or "",
        reviewed_at=timestamp(a.reviewed_at),
        assessment=_assessment(a),
        decided_by=a.decided_by or "",
        decided_at=timestamp(a.decided_at),
        reason=a.reason,
        appeal_reason=a.appeal_reason,
        steps=[_step(s) for s in file.steps],
        grants=[grant_to_pb(g) for g in file.grants],
    )
