"""Pure rules of facility safety inspections: a hazard's loop, when it is overdue, when an inspection closes.

A hazard moves open → rectified (the facility reports what it did, with evidence) → closed (an officer
verifies it); a rectification that is not accepted sends it back to open. Overdue is computed from the
deadline and today, never stored (DESIGN §6): a hazard is overdue once its rectification deadline has
passed and it is not closed — a rectification awaiting verification still counts, because the loop is
not closed until someone has checked it. An inspection is closed when every hazard is (at once when none
was found).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

MAX_HAZARDS = 50
MAX_DESCRIPTION_LENGTH = 500
MAX_FINDINGS_LENGTH = 2000
MAX_NOTE_LENGTH = 1000
MAX_PERSON_LENGTH = 50
MAX_FACILITY_NAME_LENGTH = 100
MAX_FACILITY_ID_LENGTH = 36
# A deadline more than a year out is a typing slip, not a rectification plan.
MAX_DEADLINE_DAYS = 366


class FacilityKind(StrEnum):
    """What was inspected."""

    CARE_CENTRE = "care_centre"  # 居家养老服务照料中心
    CANTEEN = "canteen"  # 老年食堂 / 助餐点 (a meal provider)
    INSTITUTION = "institution"  # 养老机构


class Severity(StrEnum):
    """How serious a hazard is (一般 / 较大 / 重大)."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class HazardStatus(StrEnum):
    """Where a hazard stands in its loop."""

    OPEN = "open"
    RECTIFIED = "rectified"
    CLOSED = "closed"


class InspectionStatus(StrEnum):
    """An inspection is open while any of its hazards is."""

    OPEN = "open"
    CLOSED = "closed"


def rectify_problem(status: HazardStatus) -> str | None:
    """Why a rectification cannot be recorded on a hazard in ``status``; None when it can."""
    if status is HazardStatus.OPEN:
        return None
    if status is HazardStatus.RECTIFIED:
        return "the hazard's rectification is already awaiting verification"
    return "the hazard is already closed"


def verify_problem(status: HazardStatus) -> str | None:
    """Why a verification cannot be recorded on a hazard in ``status``; None when it can."""
    if status is HazardStatus.RECTIFIED:
        return None
    if status is HazardStatus.OPEN:
        return "the hazard has no rectification to verify"
    return "the hazard is already closed"


def after_verification(accepted: bool) -> HazardStatus:
    """Accepted closes the loop; not accepted sends the hazard back to be rectified again."""
    return HazardStatus.CLOSED if accepted else HazardStatus.OPEN


def is_overdue(rectify_by: date, status: HazardStatus, today: date) -> bool:
    """Past its deadline (the deadline day itself is still on time) and not closed."""
    return status is not HazardStatus.CLOSED and today > rectify_by


def days_overdue(rectify_by: date, status: HazardStatus, today: date) -> int:
    """Days past the deadline; 0 when not overdue."""
    return (today - rectify_by).days if is_overdue(rectify_by, status, today) else 0


def inspection_status(hazards: Sequence[HazardStatus]) -> InspectionStatus:
    """Closed when every hazard is closed (or there are none)."""
    done = all(h is HazardStatus.CLOSED for h in hazards)
    return InspectionStatus.CLOSED if done else InspectionStatus.OPEN


def deadline_problem(rectify_by: date, inspected_on: date) -> str | None:
    """A deadline on or after the inspection and within a year of it."""
    if rectify_by < inspected_on:
        return "must not be before the inspection day"
    if (rectify_by - inspected_on).days > MAX_DEADLINE_DAYS:
        return f"must be within {MAX_DEADLINE_DAYS} days of the inspection"
    return None
