"""Between the inspection proto messages and the inspection and hazard models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from minzheng.eldercare.v1 import inspections_pb2 as pb

from services.eldercare.community_requests import day
from services.eldercare.inspection_rules import (
    FacilityKind,
    HazardStatus,
    InspectionStatus,
    Severity,
    days_overdue,
)
from services.eldercare.models import Hazard, Inspection
from services.kit.protoconv import timestamp

KIND_TO_PB: dict[FacilityKind, pb.FacilityKind.ValueType] = {
    k: pb.FacilityKind.Value(f"FACILITY_KIND_{k.name}") for k in FacilityKind
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
SEVERITY_TO_PB: dict[Severity, pb.HazardSeverity.ValueType] = {
    s: pb.HazardSeverity.Value(f"HAZARD_SEVERITY_{s.name}") for s in Severity
}
SEVERITY_FROM_PB = {v: k for k, v in SEVERITY_TO_PB.items()}
HAZARD_STATUS_TO_PB: dict[HazardStatus, pb.HazardStatus.ValueType] = {
    s: pb.HazardStatus.Value(f"HAZARD_STATUS_{s.name}") for s in HazardStatus
}
INSPECTION_STATUS_TO_PB: dict[InspectionStatus, pb.InspectionStatus.ValueType] = {
    s: pb.InspectionStatus.Value(f"INSPECTION_STATUS_{s.name}") for s in InspectionStatus
}
INSPECTION_STATUS_FROM_PB = {v: k for k, v in INSPECTION_STATUS_TO_PB.items()}


def hazard_to_pb(hazard: Hazard, *, today: date) -> pb.Hazard:
    """The wire form of a hazard, with how many days it is overdue today."""
    status = HazardStatus(hazard.status)
    return pb.Hazard(
        id=hazard.id,
        inspection_id=hazard.inspection_id,
        description=hazard.description,
        severity=SEVERITY_TO_PB[Severity(hazard.severity)],
        rectify_by=day(hazard.rectify_by),
        status=HAZARD_STATUS_TO_PB[status],
        rectified_on=day(hazard.rectified_on),
        rectification_note=hazard.rectification_note,
        verified_on=day(hazard.verified_on),
        verified_by=hazard.verified_by,
        verification_note=hazard.verification_note,
        facility_kind=KIND_TO_PB[FacilityKind(hazard.facility_kind)],
        facility_name=hazard.facility_name,
        region_code=hazard.region_code,
        days_overdue=days_overdue(hazard.rectify_by, status, today),
    )


def inspection_to_pb(inspection: Inspection, hazards: Sequence[Hazard], *, today: date) -> pb.Inspection:
    """The wire form of an inspection with its hazards."""
    return pb.Inspection(
        id=inspection.id,
        facility_kind=KIND_TO_PB[FacilityKind(inspection.facility_kind)],
        facility_id=inspection.facility_id,
        facility_name=inspection.facility_name,
        region_code=inspection.region_code,
        inspected_on=day(inspection.inspected_on),
        inspector=inspection.inspector,
        findings=inspection.findings,
        status=INSPECTION_STATUS_TO_PB[InspectionStatus(inspection.status)],
        closed_on=day(inspection.closed_on),
        hazards=[hazard_to_pb(h, today=today) for h in hazards],
        created_at=timestamp(inspection.created_at),
    )
