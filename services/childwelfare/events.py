"""Events child welfare publishes (declared once; proto/asyncapi.yaml is generated from these).

Payloads never carry a resident ID number in clear (DESIGN §3): consumers (relief, charity, the
cockpit) get the masked number, age and sex, and the child id to ask this service for more.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# What child welfare consumes is declared there; loading the catalogue loads this module.
from services.childwelfare import inbound  # noqa: F401
from services.childwelfare.rules import ProtectionCategory, RiskLevel
from services.kit.event_catalog import define_event

SERVICE = "childwelfare"
MASKED_ID_PATTERN = r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$"


class ChildEvent(BaseModel):
    """Fields every child event carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    child_id: str
    # The pattern refuses a clear number outright, so a slip in the service cannot publish one.
    child_id_masked: str = Field(
        pattern=MASKED_ID_PATTERN,
        description="Resident ID number with the middle hidden: 330109********123X.",
    )
    region_code: str = Field(description="12-digit code of the child's village/community.")
    category: ProtectionCategory
    at: datetime = Field(description="When it happened (UTC).")


class ChildRegistered(ChildEvent):
    """A child entered the protection registry."""

    age: int = Field(description="Age in full years on the day of registration.")
    sex: str = Field(pattern=r"^[MF]$")
    in_visit_programme: bool = Field(description="Whether the category requires monthly home visits.")
    id_digest: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="kit.iddigest digest of the ID number: how other services find the child.",
    )


class ChildVisitRecorded(ChildEvent):
    """A child director (or town supervisor) recorded a home visit."""

    visit_id: str
    visited_on: date
    visited_by: str = Field(description="Login (token subject) of who visited.")
    risk_level: RiskLevel


class ChildVisitOverdue(ChildEvent):
    """A child in the visit programme had no home visit by the due day (once per period and level)."""

    town_code: str = Field(description="9-digit code of the child's town/street.")
    due_on: date = Field(description="The last day on which the visit was on time.")
    days_overdue: int = Field(ge=1, description="Whole days past due_on when the scan ran.")
    escalation_level: Literal["village", "town", "district"] = Field(
        description="Who must act: the village director, then the town supervisor, then the district."
    )
    director_subject: str | None = Field(
        description="Login of the village's current child director; null when the village has none."
    )
    supervisor_subject: str | None = Field(
        description="Login of the town's current child supervisor; null when the town has none."
    )
    period: str = Field(description="The overdue period: YYYY-MM for monthly visits, else the due date.")


CHILD_REGISTERED = define_event(
    SERVICE, "child-registered", ChildRegistered, "A child entered the protection registry (一人一档)."
)
CHILD_VISIT_RECORDED = define_event(
    SERVICE, "child-visit-recorded", ChildVisitRecorded, "A home visit to a child was recorded."
)
CHILD_VISIT_OVERDUE = define_event(
    SERVICE,
    "child-visit-overdue",
    ChildVisitOverdue,
    "A child's home visit is overdue; published once per child, period and escalation level.",
)


class CategoryAllowance(BaseModel):
    """Children paid and money in one protection category, with the standard the month used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: ProtectionCategory
    children: int = Field(ge=0)
    amount_fen: int = Field(ge=0, description="Money paid in this category, integer fen (分).")
    standard_fen: int = Field(ge=0, description="The monthly standard per child, integer fen.")
    standard_effective_from: date = Field(description="effective_from of the living_allowance entry used.")


class CategorySkipped(BaseModel):
    """Eligible children of a category with no living_allowance standard in force (not paid ¥0)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: ProtectionCategory
    children: int = Field(ge=1)


class AllowancePaid(BaseModel):
    """A monthly basic-living-allowance run completed: a summary, never one event per child.

    Counts the payments not reported by an earlier summary — this run's, and those of an earlier run of
    the month that crashed before completing. No child ids, no ID numbers.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: str = Field(description="The run (also this event's id): the n-th run of the month.")
    programme: Literal["living_allowance"] = "living_allowance"
    period: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="The month paid, YYYY-MM.")
    at: datetime = Field(description="When the run completed (UTC).")
    children_paid: int = Field(ge=0, description="Payments this summary reports.")
    amount_fen: int = Field(ge=0, description="Money this summary reports, integer fen (分).")
    by_category: list[CategoryAllowance]
    skipped: list[CategorySkipped] = Field(
        description="Categories left unpaid by this run because no standard was in force for the month."
    )
    month_children_paid: int = Field(ge=0, description="All payments of the month so far.")
    month_amount_fen: int = Field(ge=0, description="All money of the month so far, integer fen.")


ALLOWANCE_PAID = define_event(
    SERVICE,
    "allowance-paid",
    AllowancePaid,
    "A monthly basic living allowance run completed (a summary per run that paid someone, by category).",
)


# --- Protection cases (五位一体 / 强制报告) -------------------------------------------------------------
from services.childwelfare.case_rules import (  # noqa: E402
    CaseState,
    CloseReason,
    ConcernKind,
    InterventionKind,
    ReportSource,
)


class ProtectionCaseEvent(BaseModel):
    """Fields every protection-case event carries; never the child's name or clear ID number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str
    region_code: str = Field(description="12-digit code of the child's village/community.")
    town_code: str = Field(description="9-digit code of the town/street.")
    child_id: str | None = Field(description="The registered child's id; null when not registered.")
    child_id_masked: str | None = Field(
        pattern=MASKED_ID_PATTERN,
        description="Resident ID number with the middle hidden; null when the report gave none.",
    )
    concern: ConcernKind
    at: datetime = Field(description="When it happened (UTC).")


class ProtectionCaseOpened(ProtectionCaseEvent):
    """A mandatory report (强制报告) opened a protection case."""

    source: ReportSource = Field(description="Who noticed: school, hospital, police, hotline, …")
    reported_by: str = Field(description="Login (token subject) of the staff member who filed it.")
    response_due_at: datetime = Field(description="Someone must respond (start the assessment) by then.")


class ProtectionCaseClosed(ProtectionCaseEvent):
    """A protection case was closed."""

    closed_from: CaseState = Field(description="assessing (no protection need) or monitoring.")
    close_reason: CloseReason
    opened_at: datetime
    interventions: list[InterventionKind] = Field(description="Every intervention the case used, in order.")
    temporary_guardianship: bool = Field(description="Whether the child was in temporary guardianship.")
    conferences: int = Field(ge=0, description="Case conferences (个案会商) held.")


class ProtectionCaseEscalated(ProtectionCaseEvent):
    """A report was not responded to in time (the 24 h rule): published once per case."""

    source: ReportSource
    reported_at: datetime
    response_due_at: datetime
    hours_overdue: int = Field(ge=0, description="Whole hours past response_due_at when the scan ran.")
    supervisor_subject: str | None = Field(
        description="Login of the town's current child supervisor; null when the town has none."
    )


PROTECTION_CASE_OPENED = define_event(
    SERVICE,
    "protection-case-opened",
    ProtectionCaseOpened,
    "A mandatory report opened a child protection case (五位一体).",
)
PROTECTION_CASE_CLOSED = define_event(
    SERVICE, "protection-case-closed", ProtectionCaseClosed, "A child protection case was closed."
)
PROTECTION_CASE_ESCALATED = define_event(
    SERVICE,
    "protection-case-escalated",
    ProtectionCaseEscalated,
    "A mandatory report was not responded to within the policy's hours (24 h); once per case.",
)
