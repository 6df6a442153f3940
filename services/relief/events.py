"""Events relief publishes (declared once; proto/asyncapi.yaml is generated from these).

``assistance-granted`` / ``-suspended`` / ``-terminated`` say a household's programme (特困 / 低保 / 低边)
started or stopped from a day. Childwelfare proposes the household's children for a category, eldercare
marks its elders; both match people by ``id_digest`` (kit.iddigest: HMAC of the ID number under the
platform key) and read only the fields they need (their ``inbound`` models are the contract, checked by
tests/unit/test_relief_events.py). No clear ID number ever travels: the digest pattern refuses one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.kit.event_catalog import define_event
from services.relief import inbound  # noqa: F401  (its consumed events join the catalogue)

SERVICE = "relief"
DIGEST_PATTERN = r"^[0-9a-f]{64}$"
VILLAGE_PATTERN = r"^[0-9]{12}$"
ProgrammeCode = Literal["dibao", "dibian", "tekun"]


class AssistanceMember(BaseModel):
    """A member of the household: relief's person id and the ID-number digest (never the number)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    person_ref: str = Field(min_length=1, max_length=100, description="Relief's person id.")
    id_digest: str = Field(pattern=DIGEST_PATTERN, description="kit.iddigest digest of the ID number.")
    relation: str = Field(description="Relation to the head of the household (head, spouse, child, …).")


class AssistanceEvent(BaseModel):
    """Fields every assistance event carries: the grant, the household, where, which programme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    grant_id: str = Field(description="Relief's grant: granted, suspended and terminated events share it.")
    household_id: str
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The household's village (12 digits).")
    town_code: str = Field(description="9-digit code of the household's town/street.")
    programme: ProgrammeCode = Field(description="dibao 低保, dibian 低边, tekun 特困.")
    members: list[AssistanceMember] = Field(description="Every current member of the household.")
    at: datetime = Field(description="When the decision was recorded (UTC).")


class AssistanceGranted(AssistanceEvent):
    """A household was granted a programme from a day."""

    effective_from: date = Field(description="The first day the household holds the programme.")
    monthly_amount_fen: int = Field(ge=0, description="The monthly amount decided, integer fen (分).")
    application_id: str | None = Field(description="The application approved, if the grant came from one.")
    granted_by: str = Field(description="Login of the officer who approved.")


class AssistanceEnded(AssistanceEvent):
    """A household's programme stopped (suspended or terminated) from a day."""

    effective_from: date = Field(description="The first day without the assistance.")
    reason: str = Field(max_length=500, description="Why, in words (death, income change, re-check…).")
    decided_by: str = Field(description="Login of who decided.")


class AssistanceSuspended(AssistanceEnded):
    """A household's programme was suspended (payments stop; it may still be terminated)."""


class AssistanceTerminated(AssistanceEnded):
    """A household's programme ended for good."""


ASSISTANCE_GRANTED = define_event(
    SERVICE,
    "assistance-granted",
    AssistanceGranted,
    "A household was granted 特困 / 低保 / 低边 from a day (its members named by ID-number digest).",
)
ASSISTANCE_SUSPENDED = define_event(
    SERVICE,
    "assistance-suspended",
    AssistanceSuspended,
    "A household's 特困 / 低保 / 低边 was suspended from a day; payments stop.",
)
ASSISTANCE_TERMINATED = define_event(
    SERVICE,
    "assistance-terminated",
    AssistanceTerminated,
    "A household's 特困 / 低保 / 低边 ended from a day.",
)


FlagKindCode = Literal["may_qualify", "reassess", "ended"]


class HouseholdFlagged(BaseModel):
    """Proactive discovery flagged a household for an officer (no person named: the reason says why)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    flag_id: str = Field(description="Relief's flag, on the officers' worklist until handled.")
    household_id: str
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The household's village (12 digits).")
    town_code: str = Field(description="9-digit code of the household's town/street.")
    kind: FlagKindCode = Field(
        description="may_qualify (may now qualify), reassess (holds a programme; circumstances changed), "
        "ended (grants ended automatically; recover overpayments)."
    )
    fact: str = Field(description="What was learned, e.g. elder_severely_disabled, member_died.")
    reason: str = Field(max_length=500, description="Why, in words, for the officer.")
    at: datetime = Field(description="When the flag was raised (UTC).")


HOUSEHOLD_FLAGGED = define_event(
    SERVICE,
    "household-flagged",
    HouseholdFlagged,
    "Proactive discovery found a household that may now qualify, or no longer qualify, with the reason.",
)


class HouseholdVisitOverdue(BaseModel):
    """A relief household had no care visit (探访关爱) by the due day (once per period and level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    household_id: str
    region_code: str = Field(pattern=VILLAGE_PATTERN, description="The household's village (12 digits).")
    town_code: str = Field(description="9-digit code of the household's town/street.")
    programme: ProgrammeCode = Field(description="The programme whose visit cadence applies (the strictest).")
    due_on: date = Field(description="The last day on which the visit was on time.")
    days_overdue: int = Field(ge=1, description="Whole days past due_on when the scan ran.")
    escalation_level: Literal["village", "town", "district"] = Field(
        description="Who must act: the village, then the town, then the district."
    )
    period: str = Field(description="The overdue period: YYYY-MM of the month the visit was due in.")
    at: datetime = Field(description="When the scan found it (UTC).")


HOUSEHOLD_VISIT_OVERDUE = define_event(
    SERVICE,
    "household-visit-overdue",
    HouseholdVisitOverdue,
    "A relief household's care visit is overdue; published once per household, period and level.",
)


class ProgrammePaid(BaseModel):
    """Households paid and money for one programme in a payment run's summary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: ProgrammeCode = Field(description="dibao 低保, dibian 低边, tekun 特困.")
    households: int = Field(ge=0, description="Payments reported (one per household).")
    amount_fen: int = Field(ge=0, description="Money paid, integer fen (分).")
    on_assessment: int = Field(
        ge=0, description="Of them, paid on the month's re-classification (it confirmed the programme)."
    )
    on_grant: int = Field(
        ge=0, description="Of them, paid the amount the grant was decided on (re-classification disagreed)."
    )


class AssistancePaid(BaseModel):
    """A monthly payment run's summary: counts and money per programme, no household named."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: str = Field(description="The payment run; also this event's id.")
    period: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="The month paid, YYYY-MM.")
    classification_run_id: str | None = Field(
        description="The re-classification whose assessments the run paid on (None: none had finished)."
    )
    households_paid: int = Field(ge=0, description="Payments this summary reports (a crashed run's too).")
    amount_fen: int = Field(ge=0, description="Their money, integer fen (分).")
    by_programme: list[ProgrammePaid]
    zero_amount: int = Field(ge=0, description="Grants held in the month whose amount came to 0 (not paid).")
    month_households_paid: int = Field(ge=0, description="Payments of the month so far, every run.")
    month_amount_fen: int = Field(ge=0, description="Money of the month so far, every run, integer fen.")
    at: datetime = Field(description="When the run finished (UTC).")


ASSISTANCE_PAID = define_event(
    SERVICE,
    "assistance-paid",
    AssistancePaid,
    "A monthly 特困 / 低保 / 低边 payment run finished: households and money per programme (no one named).",
)
