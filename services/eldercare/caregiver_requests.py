"""Taking caregiver requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from datetime import date

from minzheng.eldercare.v1 import caregivers_pb2 as pb

from services.eldercare import caregiver_mapping as cm
from services.eldercare import caregiver_rules as cr
from services.eldercare.caregivers import NewCaregiver
from services.eldercare.community_requests import (
    FILTER_LEVELS,
    PLACE_LEVELS,
    Listing,
    check_text,
    listing,
    past_day,
    required,
)
from services.kit import protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector


def parse_register(request: pb.RegisterCaregiverRequest, *, today: date) -> NewCaregiver:
    """A certificate, a name, a level and its date, and an employer (an institution, or a name and region)."""
    errors = Collector()
    certificate = request.certificate_number.strip()
    cr.check_certificate(errors, "certificate_number", certificate)
    check_text(errors, "name", request.name, max_length=cr.MAX_NAME_LENGTH, required=True)
    level = cm.LEVEL_FROM_PB.get(request.level)
    errors.check(level is not None, "level", "is required" if not request.level else "unknown")
    certified_on = past_day(errors, "certified_on", request.certified_on, today=today, default_today=False)
    institution_id = request.employer_institution_id.strip()
    region = ""
    if institution_id:
        errors.check(
            not request.employer_name.strip(), "employer_name", "give an institution or a name, not both"
        )
        errors.check(
            not request.region_code.strip(), "region_code", "comes from the institution; leave it empty"
        )
    else:
        check_text(
            errors, "employer_name", request.employer_name, max_length=cr.MAX_EMPLOYER_LENGTH, required=True
        )
        region = protoconv.region_code(errors, "region_code", request.region_code, levels=PLACE_LEVELS)
    errors.raise_if_any()
    assert level is not None and certified_on is not None
    return NewCaregiver(
        certificate,
        request.name.strip(),
        level,
        certified_on,
        institution_id or None,
        request.employer_name.strip(),
        region,
    )


def parse_left(request: pb.RecordCaregiverLeftRequest, *, today: date) -> tuple[str, date, str]:
    """The caregiver, the day they left and why."""
    errors = Collector()
    required(errors, "caregiver_id", request.caregiver_id)
    left_on = past_day(errors, "left_on", request.left_on, today=today)
    check_text(errors, "reason", request.reason, max_length=cr.MAX_REASON_LENGTH, required=False)
    errors.raise_if_any()
    assert left_on is not None
    return request.caregiver_id.strip(), left_on, request.reason.strip()


def parse_list(
    principal: Principal, request: pb.ListCaregiversRequest
) -> tuple[Listing, cr.CaregiverLevel | None]:
    """Scopes, an optional level and the page."""
    errors = Collector()
    level = cm.LEVEL_FROM_PB.get(request.level)
    errors.check(level is not None or request.level == pb.CAREGIVER_LEVEL_UNSPECIFIED, "level", "unknown")
    return listing(principal, errors, request.region_code, request.page), level


def parse_counts(principal: Principal, request: pb.GetCaregiverCountsRequest) -> tuple[str, ...]:
    """The caller's scopes narrowed to an optional region."""
    errors = Collector()
    if request.region_code:
        protoconv.region_code(errors, "region_code", request.region_code, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return principal.narrow(request.region_code.strip() or None)
