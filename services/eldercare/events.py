"""Events eldercare publishes (declared once; proto/asyncapi.yaml is generated from these).

Payloads never carry a resident ID number in clear (DESIGN §3): consumers get the masked number and
the elder's age, enough for the cockpit and fee offsets without spreading personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.eldercare import inbound  # noqa: F401  (its consumed events join the catalogue)
from services.eldercare.elder_rules import CapabilityLevel, VulnerabilityReason
from services.eldercare.inspection_rules import FacilityKind, HazardStatus, Severity
from services.eldercare.rules import BedType
from services.eldercare.safety_rules import AlarmKind, AlarmOutcome, DeviceKind, DispatchTarget
from services.kit.event_catalog import define_event
from services.kit.visits import EscalationLevel

SERVICE = "eldercare"
MASKED_ID_PATTERN = r"^[0-9]{6}\*{8}[0-9]{3}[0-9X]$"
DIGEST_PATTERN = r"^[0-9a-f]{64}$"


class BedEvent(BaseModel):
    """Fields every bed event carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    assignment_id: str = Field(description="The stay this event belongs to; assign and release share it.")
    bed_id: str
    bed_label: str = Field(description='e.g. "NUR-012"')
    bed_type: BedType
    institution_id: str
    institution_name: str
    region_code: str = Field(description="Region code of the institution (town 9 or village 12 digits).")
    # The pattern refuses a clear number outright, so a slip in the service cannot publish one.
    elder_id_masked: str = Field(
        pattern=MASKED_ID_PATTERN,
        description="Resident ID number with the middle hidden: 330109********123X.",
    )
    elder_age: int | None = Field(default=None, description="Age in full years on the day of the event.")
    at: datetime = Field(description="When it happened (UTC).")


class BedAssigned(BedEvent):
    """An elder took a bed."""


class BedReleased(BedEvent):
    """An elder left a bed."""

    reason: str = Field(default="", description='Why, e.g. "moved home", "transferred", "deceased".')


BED_ASSIGNED = define_event(
    SERVICE, "bed-assigned", BedAssigned, "An elder took a bed in an institution or a family-care bed."
)
BED_RELEASED = define_event(SERVICE, "bed-released", BedReleased, "An elder left a bed; the bed is vacant.")


class ElderEvent(BaseModel):
    """Fields every elder event carries: which elder (masked), where, when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    elder_id: str = Field(description="The elder's id in the eldercare registry.")
    elder_id_masked: str = Field(
        pattern=MASKED_ID_PATTERN,
        description="Resident ID number with the middle hidden: 330109********123X.",
    )
    region_code: str = Field(description="Region code of the elder (town 9 or village 12 digits).")
    at: datetime = Field(description="When it happened (UTC).")


class ElderAssessed(ElderEvent):
    """A capability assessment (老年人能力评估) was recorded for an elder."""

    assessment_id: str
    level: CapabilityLevel = Field(description="GB/T 42195-2022: intact, mild, moderate, severe, complete.")
    assessed_on: date
    disabled: bool = Field(description="Moderate, severe or complete (失能): what relief listens for.")
    current: bool = Field(
        description="Whether this is now the elder's current level (false for a back-dated older one)."
    )
    age: int = Field(description="Age in full years on the assessment day.")
    id_digest: str = Field(
        pattern=DIGEST_PATTERN,
        description="kit.iddigest digest of the ID number: how other services find the elder.",
    )


class ElderVisitOverdue(ElderEvent):
    """A vulnerable elder had no home visit by the due day (once per period and escalation level)."""

    town_code: str = Field(description="9-digit code of the elder's town/street.")
    due_on: date = Field(description="The last day on which the visit was on time.")
    days_overdue: int = Field(ge=1, description="Whole days past due_on when the scan ran.")
    escalation_level: EscalationLevel = Field(
        description="Who must act: the village, then the town, then the district."
    )
    period: str = Field(description="The overdue period: YYYY-MM for monthly visits, else the due date.")
    reasons: list[VulnerabilityReason] = Field(description="Why the elder is in the visit programme.")


ELDER_ASSESSED = define_event(
    SERVICE,
    "elder-assessed",
    ElderAssessed,
    "A capability assessment of an elder was recorded (relief's proactive discovery listens for disabled).",
)
ELDER_VISIT_OVERDUE = define_event(
    SERVICE,
    "elder-visit-overdue",
    ElderVisitOverdue,
    "A vulnerable elder's monthly home visit is overdue; published once per elder, period and level.",
)


# --- Allowances (高龄津贴, 养老服务电子津贴) -----------------------------------------------------------


AllowanceProgramme = Literal["old_age_allowance", "eldercare_voucher"]


class ProgrammeTotal(BaseModel):
    """Elders paid and money under one tier or group of a programme, with the standard used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: AllowanceProgramme
    policy_key: str = Field(description='The tier or group, e.g. "age_80".')
    elders: int = Field(ge=0)
    amount_fen: int = Field(ge=0, description="Money, integer fen (分).")
    standard_fen: int = Field(ge=0, description="The monthly standard per elder, integer fen.")
    standard_effective_from: date = Field(description="effective_from of the policy entry used.")


class RegionTotal(BaseModel):
    """Elders paid and money of one programme in one town (9-digit code)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region_code: str = Field(pattern=r"^[0-9]{6,9}$")
    programme: AllowanceProgramme
    elders: int = Field(ge=0)
    amount_fen: int = Field(ge=0)


class ProgrammeSkipped(BaseModel):
    """Elders of a tier or group with no standard in force (not paid ¥0)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programme: AllowanceProgramme
    policy_key: str
    elders: int = Field(ge=1)


class AllowanceIssued(BaseModel):
    """A monthly allowance run completed: a summary, never one event per elder, no ID numbers.

    Reports the payments no earlier summary reported: this run's and those of a crashed run of the month.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    run_id: str = Field(description="The run (also this event's id): the n-th run of the month.")
    period: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="The month paid, YYYY-MM.")
    at: datetime = Field(description="When the run completed (UTC).")
    elders_paid: int = Field(ge=0, description="Payments this summary reports (both programmes).")
    amount_fen: int = Field(ge=0, description="Money this summary reports, integer fen (分).")
    by_programme: list[ProgrammeTotal]
    by_region: list[RegionTotal] = Field(description="Per town and programme.")
    skipped: list[ProgrammeSkipped]
    month_elders_paid: int = Field(ge=0, description="All payments of the month so far.")
    month_amount_fen: int = Field(ge=0, description="All money of the month so far, integer fen.")


ALLOWANCE_ISSUED = define_event(
    SERVICE,
    "allowance-issued",
    AllowanceIssued,
    "A monthly old-age allowance / e-voucher run completed (a summary per programme, tier and town).",
)


class SafetyAlarmEvent(BaseModel):
    """Fields every home-safety alarm event carries (安居守护)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alarm_id: str
    vendor: str
    vendor_alarm_id: str
    kind: AlarmKind
    device_id: str
    device_kind: DeviceKind
    device_serial: str
    elder_id: str = Field(description="The elder's id in eldercare (not the resident ID number).")
    elder_id_masked: str = Field(pattern=MASKED_ID_PATTERN, description="330109********123X")
    region_code: str = Field(description="Region code of the elder's home (town 9 or village 12 digits).")
    occurred_at: datetime = Field(description="When the device fired (UTC).")
    received_at: datetime = Field(description="When the platform received the alarm (UTC).")
    at: datetime = Field(description="When this step happened (UTC).")


class SafetyAlarmRaised(SafetyAlarmEvent):
    """A device raised an alarm."""

    acknowledge_due_at: datetime = Field(description="When it escalates to the town unless acknowledged.")


class SafetyAlarmAcknowledged(SafetyAlarmEvent):
    """The 96345 hotline took the alarm."""

    acknowledged_by: str = Field(description="Token subject of the operator.")


class SafetyAlarmEscalated(SafetyAlarmEvent):
    """An alarm was not acknowledged in time; one event per alarm and level."""

    level: str = Field(pattern="^(town|district)$", description="town (镇街), then district (智治中心).")
    level_number: int = Field(ge=1, le=2)
    due_at: datetime = Field(description="When this level fell due.")
    minutes_unacknowledged: int = Field(ge=0)


class SafetyAlarmResolved(SafetyAlarmEvent):
    """An alarm was closed with an outcome."""

    outcome: AlarmOutcome
    dispatch_target: DispatchTarget | None = Field(default=None, description="The last one sent, if any.")
    resolved_by: str
    escalation_level: int = Field(ge=0, le=2, description="Highest level reached before acknowledgement.")


class DeviceOffline(BaseModel):
    """A device sent no heartbeat for longer than the policy allows; once per outage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    device_id: str
    device_kind: DeviceKind
    vendor: str
    serial: str
    elder_id: str
    elder_id_masked: str = Field(pattern=MASKED_ID_PATTERN)
    region_code: str
    last_seen_at: datetime = Field(description="The last heartbeat (or the installation, before any).")
    offline_after_minutes: int = Field(gt=0, description="The policy's threshold.")
    at: datetime


SAFETY_ALARM_RAISED = define_event(
    SERVICE, "safety-alarm-raised", SafetyAlarmRaised, "A home-safety device raised an alarm (安居守护)."
)
SAFETY_ALARM_ACKNOWLEDGED = define_event(
    SERVICE, "safety-alarm-acknowledged", SafetyAlarmAcknowledged, "The 96345 hotline acknowledged an alarm."
)
SAFETY_ALARM_ESCALATED = define_event(
    SERVICE,
    "safety-alarm-escalated",
    SafetyAlarmEscalated,
    "An alarm was not acknowledged in time and is escalated to the town, then the district; once per level.",
)
SAFETY_ALARM_RESOLVED = define_event(
    SERVICE, "safety-alarm-resolved", SafetyAlarmResolved, "An alarm was resolved with an outcome."
)
DEVICE_OFFLINE = define_event(
    SERVICE,
    "device-offline",
    DeviceOffline,
    "A home-safety device stopped sending heartbeats; reported once per outage.",
)


class HazardOverdue(BaseModel):
    """A facility hazard's rectification deadline passed and it is not closed; once per hazard."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hazard_id: str
    inspection_id: str
    facility_kind: FacilityKind
    facility_name: str
    region_code: str = Field(description="Region code of the facility (town 9 or village 12 digits).")
    severity: Severity
    status: HazardStatus = Field(description="open, or rectified but not yet verified.")
    rectify_by: date = Field(description="The rectification deadline (a calendar day in China).")
    days_overdue: int = Field(ge=1)
    at: datetime = Field(description="When the scan found it (UTC).")


HAZARD_OVERDUE = define_event(
    SERVICE,
    "hazard-overdue",
    HazardOverdue,
    "A hazard found by a safety inspection was not rectified and verified by its deadline (once per hazard).",
)
