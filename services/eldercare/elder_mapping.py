"""Between the elders proto messages and eldercare's elder models and enums."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from minzheng.eldercare.v1 import elders_pb2 as pb

from services.eldercare.elder_rules import (
    CapabilityLevel,
    ContactRelation,
    LivingArrangement,
    RiskLevel,
    VulnerabilityReason,
    age_on,
    vulnerability_reasons,
)
from services.eldercare.elders import situation_of
from services.eldercare.models import CapabilityAssessment, Elder, ElderContact, ElderVisit
from services.kit.idcard import mask_id_number
from services.kit.protoconv import timestamp
from services.kit.visits import VisitStatus

LIVING_TO_PB: dict[LivingArrangement, pb.LivingArrangement.ValueType] = {
    LivingArrangement.ALONE: pb.LIVING_ARRANGEMENT_ALONE,
    LivingArrangement.EMPTY_NEST: pb.LIVING_ARRANGEMENT_EMPTY_NEST,
    LivingArrangement.WITH_FAMILY: pb.LIVING_ARRANGEMENT_WITH_FAMILY,
    LivingArrangement.IN_INSTITUTION: pb.LIVING_ARRANGEMENT_IN_INSTITUTION,
}
LIVING_FROM_PB = {v: k for k, v in LIVING_TO_PB.items()}
LEVEL_TO_PB: dict[CapabilityLevel, pb.CapabilityLevel.ValueType] = {
    CapabilityLevel.INTACT: pb.CAPABILITY_LEVEL_INTACT,
    CapabilityLevel.MILD: pb.CAPABILITY_LEVEL_MILD,
    CapabilityLevel.MODERATE: pb.CAPABILITY_LEVEL_MODERATE,
    CapabilityLevel.SEVERE: pb.CAPABILITY_LEVEL_SEVERE,
    CapabilityLevel.COMPLETE: pb.CAPABILITY_LEVEL_COMPLETE,
}
LEVEL_FROM_PB = {v: k for k, v in LEVEL_TO_PB.items()}
RELATION_TO_PB: dict[ContactRelation, pb.ContactRelation.ValueType] = {
    ContactRelation.CHILD: pb.CONTACT_RELATION_CHILD,
    ContactRelation.SPOUSE: pb.CONTACT_RELATION_SPOUSE,
    ContactRelation.RELATIVE: pb.CONTACT_RELATION_RELATIVE,
    ContactRelation.NEIGHBOUR: pb.CONTACT_RELATION_NEIGHBOUR,
    ContactRelation.GRID_WORKER: pb.CONTACT_RELATION_GRID_WORKER,
    ContactRelation.OTHER: pb.CONTACT_RELATION_OTHER,
}
RELATION_FROM_PB = {v: k for k, v in RELATION_TO_PB.items()}
RISK_TO_PB: dict[RiskLevel, pb.VisitRiskLevel.ValueType] = {
    RiskLevel.LOW: pb.VISIT_RISK_LEVEL_LOW,
    RiskLevel.MEDIUM: pb.VISIT_RISK_LEVEL_MEDIUM,
    RiskLevel.HIGH: pb.VISIT_RISK_LEVEL_HIGH,
}
RISK_FROM_PB = {v: k for k, v in RISK_TO_PB.items()}
REASON_TO_PB: dict[VulnerabilityReason, pb.VulnerabilityReason.ValueType] = {
    VulnerabilityReason.ALONE: pb.VULNERABILITY_REASON_ALONE,
    VulnerabilityReason.WIDOWED_CHILDLESS: pb.VULNERABILITY_REASON_WIDOWED_CHILDLESS,
    VulnerabilityReason.LEFT_BEHIND: pb.VULNERABILITY_REASON_LEFT_BEHIND,
    VulnerabilityReason.DISABLED: pb.VULNERABILITY_REASON_DISABLED,
    VulnerabilityReason.SPECIAL_FAMILY: pb.VULNERABILITY_REASON_SPECIAL_FAMILY,
}


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def contact_to_pb(contact: ElderContact) -> pb.ElderContact:
    """The wire form of one contact."""
    return pb.ElderContact(
        name=contact.name, relation=RELATION_TO_PB[ContactRelation(contact.relation)], phone=contact.phone
    )


def elder_to_pb(
    elder: Elder,
    contacts: Sequence[ElderContact],
    status: VisitStatus | None,
    *,
    reveal_id: bool,
    today: date,
) -> pb.Elder:
    """The wire form of an elder on ``today``; the ID number masked unless ``reveal_id``."""
    level = CapabilityLevel(elder.capability_level) if elder.capability_level else None
    return pb.Elder(
        id=elder.id,
        id_number=elder.id_number if reveal_id else mask_id_number(elder.id_number),
        name=elder.name,
        sex=elder.sex,
        # The birth date is the masked middle of the ID number, so it goes with the clear number only.
        birth_date=elder.birth_date.isoformat() if reveal_id else "",
        age=age_on(elder.birth_date, today),
        region_code=elder.region_code,
        living_arrangement=LIVING_TO_PB[LivingArrangement(elder.living_arrangement)],
        widowed_childless=elder.widowed_childless,
        left_behind=elder.left_behind,
        special_family=elder.special_family,
        phone=elder.phone or "",
        address=elder.address or "",
        contacts=[contact_to_pb(c) for c in contacts],
        capability_level=LEVEL_TO_PB[level] if level else pb.CAPABILITY_LEVEL_UNSPECIFIED,
        capability_assessed_on=_day(elder.capability_assessed_on),
        vulnerability=[REASON_TO_PB[r] for r in vulnerability_reasons(situation_of(elder))],
        last_visit_on=_day(elder.last_visit_on),
        visit_due_on=_day(status.due) if status else "",
        visit_overdue=bool(status and status.overdue),
        days_overdue=status.days_overdue if status else 0,
        registered_at=timestamp(elder.registered_at),
        updated_at=timestamp(elder.updated_at),
    )


def assessment_to_pb(row: CapabilityAssessment, *, current: bool) -> pb.CapabilityAssessment:
    """The wire form of an assessment."""
    return pb.CapabilityAssessment(
        id=row.id,
        elder_id=row.elder_id,
        level=LEVEL_TO_PB[CapabilityLevel(row.level)],
        assessed_on=row.assessed_on.isoformat(),
        assessor=row.assessor,
        organisation=row.organisation,
        notes=row.notes,
        current=current,
        recorded_at=timestamp(row.recorded_at),
    )


def visit_to_pb(row: ElderVisit) -> pb.ElderVisit:
    """The wire form of a visit."""
    return pb.ElderVisit(
        id=row.id,
        elder_id=row.elder_id,
        visited_on=row.visited_on.isoformat(),
        visitor=pb.Visitor(name=row.visitor_name, region_code=row.visitor_region_code),
        findings=row.findings,
        risk_level=RISK_TO_PB[RiskLevel(row.risk_level)],
        notes=row.notes,
        recorded_at=timestamp(row.recorded_at),
    )
