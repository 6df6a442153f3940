"""Protection cases (五位一体) as pure rules: states and their steps, interventions, the response deadline.

The "five in one" mechanism of seed 004 §六(一) — 监测预防、强制报告、应急处置、评估帮扶、监护干预 — as a
case lifecycle: a mandatory report (强制报告) opens a case in ``reported``; someone responds by starting
the assessment; an intervention follows (e.g. temporary guardianship 临时监护 with a placement); the case
is monitored and closed. No I/O here: the service functions call these with plain data and ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.kit.errors import Collector, FieldViolation
from services.kit.fields import check_text as check_text

MAX_NOTE_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 2000
MAX_INFORMANT_LENGTH = 200
MAX_PLACEMENT_NAME_LENGTH = 100
MAX_PARTICIPANTS = 30
MAX_PARTICIPANT_LENGTH = 100
MAX_DECISIONS_LENGTH = 4000
DEFAULT_RESPONSE_HOURS = 24
# A report logged after the fact (a hotline call written up later) may say when it came in, this far back.
MAX_LATE_ENTRY_DAYS = 7


class CaseState(StrEnum):
    """Where a protection case stands."""

    REPORTED = "reported"  # a mandatory report came in; nobody has responded yet
    ASSESSING = "assessing"  # responded: the child's situation is being assessed (评估)
    INTERVENTION = "intervention"  # 监护干预 / 帮扶: an intervention is under way
    MONITORING = "monitoring"  # the intervention is in place; the child is followed up
    CLOSED = "closed"


class ReportSource(StrEnum):
    """Who noticed (强制报告 duty holders, and the public through staff or the hotline)."""

    SCHOOL = "school"
    HOSPITAL = "hospital"
    POLICE = "police"
    VILLAGE_DIRECTOR = "village_director"
    HOTLINE = "hotline"  # 96345 / 12345
    NEIGHBOUR = "neighbour"  # a neighbour or passer-by, through a member of staff
    RELATIVE = "relative"
    CHILD = "child"  # the child asked for help
    OTHER = "other"


class ConcernKind(StrEnum):
    """What the report is about."""

    ABUSE = "abuse"  # 侵害 / 虐待
    NEGLECT = "neglect"  # 监护缺失 / 监护不当
    ABANDONMENT = "abandonment"  # 遗弃
    UNATTENDED = "unattended"  # no one is caring for the child right now
    STREET = "street"  # 流浪乞讨
    SELF_HARM_RISK = "self_harm_risk"
    OTHER = "other"


class InterventionKind(StrEnum):
    """How the case intervenes."""

    TEMPORARY_GUARDIANSHIP = "temporary_guardianship"  # 临时监护: needs a placement
    FAMILY_SUPPORT = "family_support"  # 家庭监护指导 / 帮扶
    POLICE_REFERRAL = "police_referral"
    EDUCATION_REFERRAL = "education_referral"
    HEALTH_REFERRAL = "health_referral"
    MEDICAL_HELP = "medical_help"
    PSYCHOLOGICAL_HELP = "psychological_help"
    LEGAL_AID = "legal_aid"
    OTHER = "other"


class PlacementKind(StrEnum):
    """Who takes the child in during temporary guardianship."""

    INSTITUTION = "institution"  # the child welfare / protection centre (未成年人救助保护中心)
    PERSON = "person"  # a relative or foster family entrusted by civil affairs (委托照护)


class CloseReason(StrEnum):
    """Why a case was closed."""

    NO_PROTECTION_NEED = "no_protection_need"  # the assessment found no need: only from assessing
    RESOLVED = "resolved"  # the risk is gone / guardianship restored
    TRANSFERRED = "transferred"  # handed to another district's civil affairs
    CAME_OF_AGE = "came_of_age"  # the child turned 18


# Steps a case may take. Closing at assessment is only for "no protection need"; otherwise a case goes
# through an intervention and monitoring, and monitoring may go back to a new intervention.
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    CaseState.REPORTED: frozenset({CaseState.ASSESSING}),
    CaseState.ASSESSING: frozenset({CaseState.INTERVENTION, CaseState.CLOSED}),
    CaseState.INTERVENTION: frozenset({CaseState.INTERVENTION, CaseState.MONITORING}),
    CaseState.MONITORING: frozenset({CaseState.INTERVENTION, CaseState.CLOSED}),
    CaseState.CLOSED: frozenset(),
}
_ORDER = list(CaseState)


class ResponseRule(BaseModel):
    """Policy value: how many hours a report may stay unanswered before it is escalated (default 24)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    respond_within_hours: int = Field(default=DEFAULT_RESPONSE_HOURS, gt=0, le=24 * 30)


@dataclass(frozen=True)
class Placement:
    """Where a child in temporary guardianship lives, from when (already validated)."""

    kind: PlacementKind
    name: str
    contact: str
    start_on: date


@dataclass(frozen=True)
class Step:
    """A requested step (fields validated one by one; the state checks are ``step_problem``)."""

    to_state: CaseState
    note: str
    intervention: InterventionKind | None = None
    placement: Placement | None = None
    close_reason: CloseReason | None = None


def allowed_next(state: CaseState) -> list[CaseState]:
    """The states a case in ``state`` may move to, in lifecycle order."""
    return sorted(TRANSITIONS[state], key=_ORDER.index)


def step_problem(current: CaseState, step: Step) -> FieldViolation | None:
    """What is wrong with taking ``step`` from ``current`` (None when it may be taken)."""
    if step.to_state not in TRANSITIONS[current]:
        allowed = ", ".join(s.value for s in allowed_next(current)) or "nothing (the case is closed)"
        return FieldViolation(
            "to_state", f"a {current.value} case cannot move to {step.to_state.value}; allowed: {allowed}"
        )
    if step.to_state is CaseState.CLOSED and step.close_reason is not None:
        no_need = step.close_reason is CloseReason.NO_PROTECTION_NEED
        if current is CaseState.ASSESSING and not no_need:
            return FieldViolation(
                "close_reason", "a case closed at assessment must say no_protection_need (else intervene)"
            )
        if current is not CaseState.ASSESSING and no_need:
            return FieldViolation(
                "close_reason", "no_protection_need is only for a case closed at assessment"
            )
    return None


def check_step_fields(
    errors: Collector, step: Step, *, today: date, placement_given: bool | None = None
) -> None:
    """Checks that need no case: a note, intervention details only with an intervention, a placement
    for temporary guardianship (and only for it) starting no later than today, a reason to close.

    ``placement_given`` says a placement was sent even if it failed its own checks (it is not missing).
    """
    check_text(errors, "note", step.note, max_length=MAX_NOTE_LENGTH, required=True)
    intervening = step.to_state is CaseState.INTERVENTION
    if intervening and step.intervention is None:
        errors.add("intervention", "is required when moving to intervention")
    if not intervening and step.intervention is not None:
        errors.add("intervention", "is only given when moving to intervention")
    given = step.placement is not None if placement_given is None else placement_given
    guardianship = step.intervention is InterventionKind.TEMPORARY_GUARDIANSHIP
    if guardianship and not given:
        errors.add("placement", "temporary guardianship needs a placement (institution or person, start_on)")
    if not guardianship and given:
        errors.add("placement", "only temporary_guardianship takes a placement")
    if step.placement is not None and step.placement.start_on > today:
        errors.add("placement.start_on", f"must not be in the future (today is {today.isoformat()})")
    closing = step.to_state is CaseState.CLOSED
    if closing and step.close_reason is None:
        errors.add("close_reason", "is required when closing a case")
    if not closing and step.close_reason is not None:
        errors.add("close_reason", "is only given when closing a case")


def check_participants(errors: Collector, field: str, participants: list[str]) -> None:
    """A conference (个案会商) has at least two participants, each named, at most ``MAX_PARTICIPANTS``."""
    if len(participants) < 2:
        errors.add(field, "a case conference needs at least two participants")
    if len(participants) > MAX_PARTICIPANTS:
        errors.add(field, f"give at most {MAX_PARTICIPANTS} participants")
    for i, who in enumerate(participants):
        check_text(errors, f"{field}[{i}]", who, max_length=MAX_PARTICIPANT_LENGTH, required=True)


def response_due_at(reported_at: datetime, rule: ResponseRule) -> datetime:
    """The moment by which someone must respond (move the case out of ``reported``)."""
    return reported_at + timedelta(hours=rule.respond_within_hours)


def is_response_overdue(state: CaseState, due_at: datetime, now: datetime) -> bool:
    """A report still unanswered after its deadline; computed from the state and times, never stored."""
    return state is CaseState.REPORTED and now > due_at


def hours_overdue(due_at: datetime, now: datetime) -> int:
    """Whole hours past the deadline (0 within the first hour)."""
    return max(0, int((now - due_at).total_seconds() // 3600))


def not_before_report(errors: Collector, field: str, day: date | None, reported_on: date) -> None:
    """A day on or after the day the case was reported."""
    if day is not None and day < reported_on:
        errors.add(field, f"must not be before the case was reported ({reported_on.isoformat()})")
