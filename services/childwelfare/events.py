"""Events child welfare publishes (declared once; proto/asyncapi.yaml is generated from these).

Payloads never carry a resident ID number in clear (DESIGN §3): consumers (relief, charity, the
cockpit) get the masked number, age and sex, and the child id to ask this service for more.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
