"""Taking inspection requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from datetime import date

from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import inspections_pb2 as pb

from services.eldercare import inspection_mapping as im
from services.eldercare import inspection_rules as ir
from services.eldercare.community_requests import (
    FILTER_LEVELS,
    PLACE_LEVELS,
    Listing,
    check_text,
    listing,
    parse_day,
    past_day,
    required,
)
from services.eldercare.inspections import HazardIn, NewInspection, Verification
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector


def _hazards(errors: Collector, given: list[pb.NewHazard], inspected_on: date | None) -> list[HazardIn]:
    errors.check(len(given) <= ir.MAX_HAZARDS, "hazards", f"give at most {ir.MAX_HAZARDS} hazards")
    found = []
    for n, h in enumerate(given):
        at = f"hazards[{n}]"
        check_text(
            errors, f"{at}.description", h.description, max_length=ir.MAX_DESCRIPTION_LENGTH, required=True
        )
        severity = im.SEVERITY_FROM_PB.get(h.severity)
        errors.check(severity is not None, f"{at}.severity", "is required" if not h.severity else "unknown")
        deadline = parse_day(errors, f"{at}.rectify_by", h.rectify_by)
        problem = ir.deadline_problem(deadline, inspected_on) if deadline and inspected_on else None
        if problem:
            errors.add(f"{at}.rectify_by", problem)
        if severity is not None and deadline is not None:
            found.append(HazardIn(h.description.strip(), severity, deadline))
    return found


def parse_record_inspection(request: pb.RecordInspectionRequest, *, today: date) -> NewInspection:
    """The facility, the day, the inspector, findings and hazards with their deadlines."""
    errors = Collector()
    kind = im.KIND_FROM_PB.get(request.facility_kind)
    errors.check(kind is not None, "facility_kind", "is required" if not request.facility_kind else "unknown")
    check_text(
        errors, "facility_id", request.facility_id, max_length=ir.MAX_FACILITY_ID_LENGTH, required=True
    )
    region, name = "", ""
    if kind is ir.FacilityKind.CARE_CENTRE:
        check_text(
            errors,
            "facility_name",
            request.facility_name,
            max_length=ir.MAX_FACILITY_NAME_LENGTH,
            required=True,
        )
        region = protoconv.region_code(errors, "region_code", request.region_code, levels=PLACE_LEVELS)
        name = request.facility_name.strip()
    elif kind is not None:
        errors.check(
            not request.facility_name.strip(), "facility_name", "comes from the facility; leave it empty"
        )
        errors.check(
            not request.region_code.strip(), "region_code", "comes from the facility; leave it empty"
        )
    inspected_on = past_day(errors, "inspected_on", request.inspected_on, today=today)
    check_text(errors, "inspector", request.inspector, max_length=ir.MAX_PERSON_LENGTH, required=True)
    check_text(errors, "findings", request.findings, max_length=ir.MAX_FINDINGS_LENGTH, required=False)
    hazards = _hazards(errors, list(request.hazards), inspected_on)
    errors.raise_if_any()
    assert kind is not None and inspected_on is not None
    return NewInspection(
        kind,
        request.facility_id.strip(),
        name,
        region,
        inspected_on,
        request.inspector.strip(),
        request.findings.strip(),
        tuple(hazards),
    )


def parse_rectification(request: pb.RecordRectificationRequest, *, today: date) -> tuple[str, date, str]:
    """The hazard, the day and the evidence."""
    errors = Collector()
    required(errors, "hazard_id", request.hazard_id)
    rectified_on = past_day(errors, "rectified_on", request.rectified_on, today=today)
    check_text(errors, "evidence", request.evidence, max_length=ir.MAX_NOTE_LENGTH, required=True)
    errors.raise_if_any()
    assert rectified_on is not None
    return request.hazard_id.strip(), rectified_on, request.evidence.strip()


def parse_verification(request: pb.VerifyRectificationRequest, *, today: date) -> Verification:
    """The hazard, accepted or not, the day, who verified, and (when not accepted) why."""
    errors = Collector()
    required(errors, "hazard_id", request.hazard_id)
    verified_on = past_day(errors, "verified_on", request.verified_on, today=today)
    check_text(errors, "verified_by", request.verified_by, max_length=ir.MAX_PERSON_LENGTH, required=True)
    check_text(errors, "note", request.note, max_length=ir.MAX_NOTE_LENGTH, required=not request.accepted)
    errors.raise_if_any()
    assert verified_on is not None
    return Verification(
        request.hazard_id.strip(),
        request.accepted,
        verified_on,
        request.verified_by.strip(),
        request.note.strip(),
    )


def parse_list_inspections(
    principal: Principal, request: pb.ListInspectionsRequest
) -> tuple[Listing, ir.InspectionStatus | None, ir.FacilityKind | None]:
    """Scopes, an optional status and facility kind, and the page."""
    errors = Collector()
    status = im.INSPECTION_STATUS_FROM_PB.get(request.status)
    errors.check(
        status is not None or request.status == pb.INSPECTION_STATUS_UNSPECIFIED, "status", "unknown"
    )
    kind = im.KIND_FROM_PB.get(request.facility_kind)
    errors.check(
        kind is not None or request.facility_kind == pb.FACILITY_KIND_UNSPECIFIED, "facility_kind", "unknown"
    )
    return listing(principal, errors, request.region_code, request.page), status, kind


def parse_list_overdue(
    principal: Principal, request: pb.ListOverdueRectificationsRequest
) -> tuple[tuple[str, ...], tuple[date, str] | None, int]:
    """Scopes, the keyset (deadline, hazard id) to resume after, and the page size."""
    errors = Collector()
    if request.region_code:
        protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
    page: common_pb2.PageRequest = request.page
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    keys = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    after = None
    if keys is not None:
        deadline = parse_day(Collector(), "page.page_token", keys[0])
        if deadline is None:
            errors.add("page.page_token", "is not a page token this service issued")
        else:
            after = (deadline, keys[1])
    errors.raise_if_any()
    return principal.narrow(request.region_code.strip() or None), after, limit
