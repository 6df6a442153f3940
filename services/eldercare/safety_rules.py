"""Home safety (安居守护) as pure rules: device and alarm kinds, the alarm lifecycle, escalation and offline
thresholds, and what valid input looks like.

No I/O here: the service functions and jobs call these with plain data and "now". Thresholds come
from the policy file (``safety_policy``) as ``EscalationRule`` and ``OfflineRule`` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.kit.errors import Collector

MAX_NOTE_LENGTH = 1000
MAX_DETAIL_LENGTH = 500
MAX_REASON_LENGTH = 200
MAX_VENDOR_ALARM_ID_LENGTH = 100
MAX_HEARTBEATS_PER_CALL = 1000
# Device clocks drift; a report this far ahead of ours is still taken as "now".
MAX_CLOCK_SKEW = timedelta(minutes=5)
# A device that buffered an alarm while offline may deliver it late, but not this late.
MAX_ALARM_AGE = timedelta(days=7)
_VENDOR = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_SERIAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_VENDOR_ALARM_ID = re.compile(r"^[\x21-\x7e]{1,100}$")


class DeviceKind(StrEnum):
    """What a device watches for (the 安居守护 set plus the 2023 additions)."""

    SMOKE = "smoke"
    GAS = "gas"
    DOOR = "door"  # door / activity sensor (门磁 / 人体感应)
    SOS = "sos"  # one-key call (一键呼叫)
    FALL_RADAR = "fall_radar"  # radar fall detector (雷达波跌倒检测器)


class DeviceStatus(StrEnum):
    """Whether a device is installed and reporting."""

    ACTIVE = "active"
    OFFLINE = "offline"  # installed, but silent for longer than the policy allows
    REMOVED = "removed"


class AlarmKind(StrEnum):
    """What an alarm says happened."""

    SMOKE = "smoke"
    GAS_LEAK = "gas_leak"
    SOS = "sos"
    FALL = "fall"
    INACTIVITY = "inactivity"  # no movement seen for too long
    DOOR_OPEN = "door_open"  # a door opened at an unusual hour
    LOW_BATTERY = "low_battery"
    TAMPER = "tamper"


# Which alarms each kind of device can raise; anything else is a vendor error, refused at ingestion.
ALARMS_BY_DEVICE: dict[DeviceKind, frozenset[AlarmKind]] = {
    DeviceKind.SMOKE: frozenset({AlarmKind.SMOKE, AlarmKind.LOW_BATTERY, AlarmKind.TAMPER}),
    DeviceKind.GAS: frozenset({AlarmKind.GAS_LEAK, AlarmKind.LOW_BATTERY, AlarmKind.TAMPER}),
    DeviceKind.DOOR: frozenset(
        {AlarmKind.INACTIVITY, AlarmKind.DOOR_OPEN, AlarmKind.LOW_BATTERY, AlarmKind.TAMPER}
    ),
    DeviceKind.SOS: frozenset({AlarmKind.SOS, AlarmKind.LOW_BATTERY}),
    DeviceKind.FALL_RADAR: frozenset({AlarmKind.FALL, AlarmKind.INACTIVITY, AlarmKind.TAMPER}),
}


class AlarmStatus(StrEnum):
    """Where an alarm stands."""

    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"  # the 96345 hotline has taken it
    DISPATCHED = "dispatched"  # someone is on the way (family, community grid, 120/119)
    RESOLVED = "resolved"


class AlarmAction(StrEnum):
    """What can happen to an alarm."""

    RAISE = "raise"
    ACKNOWLEDGE = "acknowledge"
    DISPATCH = "dispatch"
    RESOLVE = "resolve"


class DispatchTarget(StrEnum):
    """Who the hotline sends."""

    FAMILY = "family"
    COMMUNITY_GRID = "community_grid"  # 一网统管: the grid worker handles it on site
    EMERGENCY_120 = "emergency_120"
    EMERGENCY_119 = "emergency_119"


class AlarmOutcome(StrEnum):
    """How an alarm ended."""

    FALSE_ALARM = "false_alarm"
    HANDLED_BY_FAMILY = "handled_by_family"
    HANDLED_ON_SITE = "handled_on_site"
    HOSPITAL = "hospital"
    EMERGENCY_SERVICE = "emergency_service"
    DEVICE_FAULT = "device_fault"
    OTHER = "other"


class EscalationLevel(IntEnum):
    """Who an unacknowledged alarm is escalated to, in order."""

    TOWN = 1  # the town's command desk and community grid
    DISTRICT = 2  # the district command centre (区智治中心)


# The only allowed steps: from a status, an action leads to a status. A dispatched alarm may be
# dispatched again (the family could not come, so the grid is sent); an acknowledged one may be
# resolved at once (the hotline called and it was a false alarm). Raising is ingestion, not a step.
TRANSITIONS: dict[tuple[AlarmStatus, AlarmAction], AlarmStatus] = {
    (AlarmStatus.RAISED, AlarmAction.ACKNOWLEDGE): AlarmStatus.ACKNOWLEDGED,
    (AlarmStatus.ACKNOWLEDGED, AlarmAction.DISPATCH): AlarmStatus.DISPATCHED,
    (AlarmStatus.DISPATCHED, AlarmAction.DISPATCH): AlarmStatus.DISPATCHED,
    (AlarmStatus.ACKNOWLEDGED, AlarmAction.RESOLVE): AlarmStatus.RESOLVED,
    (AlarmStatus.DISPATCHED, AlarmAction.RESOLVE): AlarmStatus.RESOLVED,
}


def next_status(current: AlarmStatus, action: AlarmAction) -> AlarmStatus | None:
    """The status ``action`` leads to from ``current``; None when the step is not allowed."""
    return TRANSITIONS.get((current, action))


def allowed_actions(current: AlarmStatus) -> list[AlarmAction]:
    """The actions an alarm in ``current`` allows, in lifecycle order."""
    return [action for action in AlarmAction if (current, action) in TRANSITIONS]


def refusal(current: AlarmStatus, action: AlarmAction) -> str:
    """Why ``action`` is refused for an alarm in ``current``, in words for the caller."""
    allowed = ", ".join(a.value for a in allowed_actions(current)) or "nothing (it is resolved)"
    return f"cannot {action.value} an alarm that is {current.value}; it allows {allowed}"


class EscalationRule(BaseModel):
    """Policy value: minutes an alarm may stay unacknowledged before each escalation level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    town_after_minutes: int = Field(gt=0, le=7 * 24 * 60)
    district_after_minutes: int = Field(gt=0, le=7 * 24 * 60)

    @model_validator(mode="after")
    def _district_after_town(self) -> EscalationRule:
        if self.district_after_minutes <= self.town_after_minutes:
            raise ValueError("district_after_minutes must be later than town_after_minutes")
        return self


class OfflineRule(BaseModel):
    """Policy value: minutes without a heartbeat after which a device counts as offline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    offline_after_minutes: int = Field(gt=0, le=30 * 24 * 60)


@dataclass(frozen=True)
class EscalationSchedule:
    """When each level of one alarm falls due."""

    town_at: datetime
    district_at: datetime

    def due_at(self, level: EscalationLevel) -> datetime:
        """When ``level`` falls due."""
        return self.town_at if level is EscalationLevel.TOWN else self.district_at

    def levels_due(self, *, after_level: int, now: datetime) -> list[EscalationLevel]:
        """Levels above ``after_level`` that are due by ``now``, lowest first."""
        return [lvl for lvl in EscalationLevel if lvl > after_level and self.due_at(lvl) <= now]

    def next_due(self, *, after_level: int) -> datetime | None:
        """When the first level above ``after_level`` falls due; None when none is left."""
        pending = [self.due_at(lvl) for lvl in EscalationLevel if lvl > after_level]
        return min(pending) if pending else None


def escalation_schedule(raised_at: datetime, rule: EscalationRule) -> EscalationSchedule:
    """The schedule of an alarm raised at ``raised_at`` under ``rule``."""
    return EscalationSchedule(
        town_at=raised_at + timedelta(minutes=rule.town_after_minutes),
        district_at=raised_at + timedelta(minutes=rule.district_after_minutes),
    )


def alarm_clock_start(occurred_at: datetime, received_at: datetime) -> datetime:
    """Where the acknowledgement deadline runs from: when the device fired, but never after we heard of it.

    A device whose clock runs a little ahead must not buy itself extra minutes.
    """
    return min(occurred_at, received_at)


def offline_cutoff(rule: OfflineRule, now: datetime) -> datetime:
    """Devices last seen before this moment are offline."""
    return now - timedelta(minutes=rule.offline_after_minutes)


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from ``start`` to ``end`` (0 when ``end`` is not later)."""
    return max(0, int((end - start).total_seconds() // 60))


def check_vendor(errors: Collector, field: str, raw: str) -> str:
    """A vendor code: lower-case letters, digits, '-' and '_', at most 40 characters."""
    value = raw.strip()
    errors.check(
        bool(_VENDOR.match(value)),
        field,
        "must be 1-40 lower-case letters, digits, '-' or '_' (e.g. acme)",
    )
    return value


def check_serial(errors: Collector, field: str, raw: str) -> str:
    """A device serial: letters, digits and . _ : - , at most 64 characters."""
    value = raw.strip()
    errors.check(bool(_SERIAL.match(value)), field, "must be 1-64 letters, digits, '.', '_', ':' or '-'")
    return value


def check_vendor_alarm_id(errors: Collector, field: str, raw: str) -> str:
    """The vendor's alarm id: 1-100 printable ASCII characters without spaces."""
    value = raw.strip()
    errors.check(
        bool(_VENDOR_ALARM_ID.match(value)), field, "must be 1-100 printable ASCII characters without spaces"
    )
    return value


def check_text(errors: Collector, field: str, raw: str, *, max_length: int, required: bool) -> str:
    """Free text: trimmed, within ``max_length``, present when ``required``."""
    value = raw.strip()
    if required and not value:
        errors.add(field, "is required")
    elif len(value) > max_length:
        errors.add(field, f"must be at most {max_length} characters")
    return value


def check_reported_time(
    errors: Collector, field: str, at: datetime, *, now: datetime, max_age: timedelta
) -> None:
    """A device's time: not beyond the allowed clock skew ahead of ``now``, not older than ``max_age``."""
    if at > now + MAX_CLOCK_SKEW:
        errors.add(field, "must not be in the future")
    elif at < now - max_age:
        errors.add(field, f"must be within the last {max_age.days} days")


def check_alarm_fits_device(errors: Collector, field: str, kind: AlarmKind, device: DeviceKind) -> None:
    """Refuse an alarm kind the device cannot raise (a smoke detector reports no falls)."""
    allowed = ALARMS_BY_DEVICE[device]
    if kind not in allowed:
        names = ", ".join(sorted(k.value for k in allowed))
        errors.add(field, f"a {device.value} device cannot raise {kind.value} alarms (only {names})")
