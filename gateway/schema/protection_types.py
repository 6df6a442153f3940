"""Protection-case (五位一体) object types, built from ProtectionCaseService replies."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from minzheng.childwelfare.v1 import protection_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.schema.common import timestamp


@strawberry.enum(description="Where a protection case stands.")
class CaseState(Enum):
    REPORTED = strawberry.enum_value(
        pb.CASE_STATE_REPORTED, description="强制报告 received, not yet answered."
    )
    ASSESSING = strawberry.enum_value(
        pb.CASE_STATE_ASSESSING, description="Responded: being assessed (评估)."
    )
    INTERVENTION = strawberry.enum_value(pb.CASE_STATE_INTERVENTION, description="监护干预 / 帮扶 under way.")
    MONITORING = strawberry.enum_value(pb.CASE_STATE_MONITORING, description="Followed up after intervening.")
    CLOSED = pb.CASE_STATE_CLOSED


@strawberry.enum(description="Who noticed the child's situation.")
class ReportSource(Enum):
    SCHOOL = pb.REPORT_SOURCE_SCHOOL
    HOSPITAL = pb.REPORT_SOURCE_HOSPITAL
    POLICE = pb.REPORT_SOURCE_POLICE
    VILLAGE_DIRECTOR = pb.REPORT_SOURCE_VILLAGE_DIRECTOR
    HOTLINE = pb.REPORT_SOURCE_HOTLINE
    NEIGHBOUR = strawberry.enum_value(pb.REPORT_SOURCE_NEIGHBOUR, description="Through a member of staff.")
    RELATIVE = pb.REPORT_SOURCE_RELATIVE
    CHILD = strawberry.enum_value(pb.REPORT_SOURCE_CHILD, description="The child asked for help.")
    OTHER = pb.REPORT_SOURCE_OTHER


@strawberry.enum(description="What a report is about.")
class ConcernKind(Enum):
    ABUSE = pb.CONCERN_KIND_ABUSE
    NEGLECT = pb.CONCERN_KIND_NEGLECT
    ABANDONMENT = pb.CONCERN_KIND_ABANDONMENT
    UNATTENDED = pb.CONCERN_KIND_UNATTENDED
    STREET = strawberry.enum_value(pb.CONCERN_KIND_STREET, description="流浪乞讨")
    SELF_HARM_RISK = pb.CONCERN_KIND_SELF_HARM_RISK
    OTHER = pb.CONCERN_KIND_OTHER


@strawberry.enum(description="How a case intervenes.")
class InterventionKind(Enum):
    TEMPORARY_GUARDIANSHIP = strawberry.enum_value(
        pb.INTERVENTION_KIND_TEMPORARY_GUARDIANSHIP, description="临时监护; needs a placement."
    )
    FAMILY_SUPPORT = pb.INTERVENTION_KIND_FAMILY_SUPPORT
    POLICE_REFERRAL = pb.INTERVENTION_KIND_POLICE_REFERRAL
    EDUCATION_REFERRAL = pb.INTERVENTION_KIND_EDUCATION_REFERRAL
    HEALTH_REFERRAL = pb.INTERVENTION_KIND_HEALTH_REFERRAL
    MEDICAL_HELP = pb.INTERVENTION_KIND_MEDICAL_HELP
    PSYCHOLOGICAL_HELP = pb.INTERVENTION_KIND_PSYCHOLOGICAL_HELP
    LEGAL_AID = pb.INTERVENTION_KIND_LEGAL_AID
    OTHER = pb.INTERVENTION_KIND_OTHER


@strawberry.enum(description="Who takes a child in during temporary guardianship.")
class PlacementKind(Enum):
    INSTITUTION = strawberry.enum_value(pb.PLACEMENT_KIND_INSTITUTION, description="未成年人救助保护中心")
    PERSON = strawberry.enum_value(pb.PLACEMENT_KIND_PERSON, description="A relative or entrusted family.")


@strawberry.enum(description="Why a case was closed.")
class CloseReason(Enum):
    NO_PROTECTION_NEED = strawberry.enum_value(
        pb.CLOSE_REASON_NO_PROTECTION_NEED, description="Only when closing from ASSESSING."
    )
    RESOLVED = pb.CLOSE_REASON_RESOLVED
    TRANSFERRED = pb.CLOSE_REASON_TRANSFERRED
    CAME_OF_AGE = pb.CLOSE_REASON_CAME_OF_AGE


@strawberry.type(description="Where a child in temporary guardianship lives, from when.")
class Placement:
    kind: PlacementKind
    name: str
    contact: str | None
    start_on: date

    @classmethod
    def of(cls, m: pb.Placement) -> Placement:
        """The GraphQL placement of a reply."""
        return cls(
            kind=PlacementKind(m.kind),
            name=m.name,
            contact=m.contact or None,
            start_on=date.fromisoformat(m.start_on),
        )


@strawberry.type(description="One step of a case's history.")
class CaseStep:
    sequence: int
    from_state: CaseState | None = strawberry.field(description="Null for the report that opened the case.")
    to_state: CaseState
    note: str
    actor: str = strawberry.field(description="Login of who took the step.")
    at: datetime | None
    intervention: InterventionKind | None
    placement: Placement | None
    close_reason: CloseReason | None


@strawberry.type(description="A case conference (个案会商).")
class CaseConference:
    id: strawberry.ID
    held_on: date
    participants: list[str]
    decisions: str
    recorded_by: str
    recorded_at: datetime | None


def _opt(enum: type[Enum], value: int) -> Enum | None:
    return enum(value) if value else None


@strawberry.type(description="A child protection case opened by a mandatory report (强制报告).")
class ProtectionCase(relay.Node):
    id: relay.NodeID[str]
    region_code: str = strawberry.field(description="12-digit village code of where the child is.")
    child_id: strawberry.ID | None = strawberry.field(description="The registered child's global ID, if any.")
    child_name: str
    id_number: str | None = strawberry.field(
        description="Masked unless your role may see ID numbers (reads audited); null when not given."
    )
    state: CaseState
    source: ReportSource
    concern: ConcernKind
    description: str
    informant: str | None
    reported_by: str
    reported_at: datetime | None
    response_due_at: datetime | None
    responded_at: datetime | None
    response_overdue: bool = strawberry.field(description="Still REPORTED after responseDueAt.")
    escalated_at: datetime | None = strawberry.field(description="When the 24 h rule escalated the report.")
    intervention: InterventionKind | None
    placement: Placement | None
    closed_at: datetime | None
    close_reason: CloseReason | None
    steps: list[CaseStep]
    conferences: list[CaseConference]
    allowed_next: list[CaseState] = strawberry.field(description="States the case may move to next.")

    @classmethod
    def from_pb(cls, m: pb.ProtectionCase) -> ProtectionCase:
        """The GraphQL case of a reply."""
        return cls(
            id=m.id,
            region_code=m.region_code,
            child_id=strawberry.ID(to_base64("Child", m.child_id)) if m.child_id else None,
            child_name=m.child_name,
            id_number=m.id_number or None,
            state=CaseState(m.state),
            source=ReportSource(m.source),
            concern=ConcernKind(m.concern),
            description=m.description,
            informant=m.informant or None,
            reported_by=m.reported_by,
            reported_at=timestamp(m, "reported_at"),
            response_due_at=timestamp(m, "response_due_at"),
            responded_at=timestamp(m, "responded_at"),
            response_overdue=m.response_overdue,
            escalated_at=timestamp(m, "escalated_at"),
            intervention=_opt(InterventionKind, m.intervention),  # type: ignore[arg-type]
            placement=Placement.of(m.placement) if m.HasField("placement") else None,
            closed_at=timestamp(m, "closed_at"),
            close_reason=_opt(CloseReason, m.close_reason),  # type: ignore[arg-type]
            steps=[
                CaseStep(
                    sequence=s.sequence,
                    from_state=_opt(CaseState, s.from_state),  # type: ignore[arg-type]
                    to_state=CaseState(s.to_state),
                    note=s.note,
                    actor=s.actor,
                    at=timestamp(s, "at"),
                    intervention=_opt(InterventionKind, s.intervention),  # type: ignore[arg-type]
                    placement=Placement.of(s.placement) if s.HasField("placement") else None,
                    close_reason=_opt(CloseReason, s.close_reason),  # type: ignore[arg-type]
                )
                for s in m.steps
            ],
            conferences=[
                CaseConference(
                    id=strawberry.ID(c.id),
                    held_on=date.fromisoformat(c.held_on),
                    participants=list(c.participants),
                    decisions=c.decisions,
                    recorded_by=c.recorded_by,
                    recorded_at=timestamp(c, "recorded_at"),
                )
                for c in m.conferences
            ],
            allowed_next=[CaseState(s) for s in m.allowed_next],
        )


@strawberry.type
class ProtectionCaseConnection(relay.Connection[ProtectionCase]):
    total_count: int = strawberry.field(description="Cases matching the filter, across all pages.")
