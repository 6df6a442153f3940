"""Home-safety (安居守护) object types, built from HomeSafetyService replies as plain attributes."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TypeVar

import strawberry
from minzheng.eldercare.v1 import safety_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.schema.common import day, timestamp


@strawberry.enum(description="What a home-safety device senses.")
class DeviceKind(Enum):
    SMOKE = pb.DEVICE_KIND_SMOKE
    GAS = pb.DEVICE_KIND_GAS
    DOOR = strawberry.enum_value(pb.DEVICE_KIND_DOOR, description="门磁 / 人体感应")
    SOS = strawberry.enum_value(pb.DEVICE_KIND_SOS, description="一键呼叫")
    FALL_RADAR = strawberry.enum_value(pb.DEVICE_KIND_FALL_RADAR, description="雷达波跌倒检测器")


@strawberry.enum(description="Whether a device is reporting.")
class DeviceStatus(Enum):
    ACTIVE = pb.DEVICE_STATUS_ACTIVE
    OFFLINE = strawberry.enum_value(
        pb.DEVICE_STATUS_OFFLINE, description="No heartbeat for longer than the policy allows."
    )
    REMOVED = pb.DEVICE_STATUS_REMOVED


@strawberry.enum(description="What a device reported.")
class AlarmKind(Enum):
    SMOKE = pb.ALARM_KIND_SMOKE
    GAS_LEAK = pb.ALARM_KIND_GAS_LEAK
    SOS = pb.ALARM_KIND_SOS
    FALL = pb.ALARM_KIND_FALL
    INACTIVITY = strawberry.enum_value(pb.ALARM_KIND_INACTIVITY, description="No movement seen for too long.")
    DOOR_OPEN = strawberry.enum_value(
        pb.ALARM_KIND_DOOR_OPEN, description="A door opened at an unusual hour."
    )
    LOW_BATTERY = pb.ALARM_KIND_LOW_BATTERY
    TAMPER = pb.ALARM_KIND_TAMPER


@strawberry.enum(description="Where an alarm stands: raised → acknowledged → dispatched → resolved.")
class AlarmStatus(Enum):
    RAISED = pb.ALARM_STATUS_RAISED
    ACKNOWLEDGED = strawberry.enum_value(pb.ALARM_STATUS_ACKNOWLEDGED, description="By the 96345 hotline.")
    DISPATCHED = pb.ALARM_STATUS_DISPATCHED
    RESOLVED = pb.ALARM_STATUS_RESOLVED


@strawberry.enum(description="Who an alarm was handed to.")
class DispatchTarget(Enum):
    FAMILY = pb.DISPATCH_TARGET_FAMILY
    COMMUNITY_GRID = strawberry.enum_value(pb.DISPATCH_TARGET_COMMUNITY_GRID, description="一网统管, on site")
    EMERGENCY_120 = strawberry.enum_value(pb.DISPATCH_TARGET_EMERGENCY_120, description="Medical emergency.")
    EMERGENCY_119 = strawberry.enum_value(pb.DISPATCH_TARGET_EMERGENCY_119, description="Fire service.")


@strawberry.enum(description="How an alarm ended.")
class AlarmOutcome(Enum):
    FALSE_ALARM = pb.ALARM_OUTCOME_FALSE_ALARM
    HANDLED_BY_FAMILY = pb.ALARM_OUTCOME_HANDLED_BY_FAMILY
    HANDLED_ON_SITE = pb.ALARM_OUTCOME_HANDLED_ON_SITE
    HOSPITAL = pb.ALARM_OUTCOME_HOSPITAL
    EMERGENCY_SERVICE = strawberry.enum_value(
        pb.ALARM_OUTCOME_EMERGENCY_SERVICE, description="Fire service or gas company made the home safe."
    )
    DEVICE_FAULT = pb.ALARM_OUTCOME_DEVICE_FAULT
    OTHER = pb.ALARM_OUTCOME_OTHER


@strawberry.enum(description="A step of an alarm's lifecycle.")
class AlarmAction(Enum):
    RAISE = pb.ALARM_ACTION_RAISE
    ACKNOWLEDGE = pb.ALARM_ACTION_ACKNOWLEDGE
    DISPATCH = pb.ALARM_ACTION_DISPATCH
    RESOLVE = pb.ALARM_ACTION_RESOLVE


@strawberry.enum(description="How far an unacknowledged alarm has escalated.")
class EscalationLevel(Enum):
    TOWN = strawberry.enum_value(pb.ESCALATION_LEVEL_TOWN, description="镇街 command desk and community grid")
    DISTRICT = strawberry.enum_value(pb.ESCALATION_LEVEL_DISTRICT, description="区智治中心")


E = TypeVar("E", bound=Enum)


def enum_or_none(kind: type[E], value: int) -> E | None:
    """The GraphQL enum of a proto value; None for UNSPECIFIED (0)."""
    return kind(value) if value else None


@strawberry.type(description="A home-safety device installed for an elder.")
class Device(relay.Node):
    id: relay.NodeID[str]
    elder_id: strawberry.ID
    elder_name: str
    region_code: str = strawberry.field(description="The elder's village (or town) code.")
    kind: DeviceKind
    vendor: str
    serial: str
    status: DeviceStatus
    installed_on: date | None
    installed_by: str
    last_heartbeat_at: datetime | None
    offline_since: datetime | None
    removed_at: datetime | None
    removal_reason: str | None

    @classmethod
    def from_pb(cls, m: pb.Device) -> Device:
        """The GraphQL device of a reply."""
        return cls(
            id=m.id,
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            elder_name=m.elder_name,
            region_code=m.region_code,
            kind=DeviceKind(m.kind),
            vendor=m.vendor,
            serial=m.serial,
            status=DeviceStatus(m.status),
            installed_on=day(m.installed_on),
            installed_by=m.installed_by,
            last_heartbeat_at=timestamp(m, "last_heartbeat_at"),
            offline_since=timestamp(m, "offline_since"),
            removed_at=timestamp(m, "removed_at"),
            removal_reason=m.removal_reason or None,
        )


@strawberry.type(description="One step an alarm went through.")
class AlarmStep:
    sequence: int
    action: AlarmAction
    from_status: AlarmStatus | None = strawberry.field(description="Null for RAISE.")
    to_status: AlarmStatus
    actor: str = strawberry.field(description="Login of who took the step (a service for RAISE).")
    at: datetime | None
    note: str | None
    dispatch_target: DispatchTarget | None
    outcome: AlarmOutcome | None

    @classmethod
    def from_pb(cls, m: pb.AlarmStep) -> AlarmStep:
        """The GraphQL step of a reply."""
        return cls(
            sequence=m.sequence,
            action=AlarmAction(m.action),
            from_status=enum_or_none(AlarmStatus, m.from_status),
            to_status=AlarmStatus(m.to_status),
            actor=m.actor,
            at=timestamp(m, "at"),
            note=m.note or None,
            dispatch_target=enum_or_none(DispatchTarget, m.dispatch_target),
            outcome=enum_or_none(AlarmOutcome, m.outcome),
        )


@strawberry.type(description="An alarm from a home-safety device and its handling.")
class Alarm(relay.Node):
    id: relay.NodeID[str]
    vendor: str
    vendor_alarm_id: str
    device_id: strawberry.ID
    device_kind: DeviceKind
    device_serial: str
    elder_id: strawberry.ID
    elder_name: str
    elder_id_number: str = strawberry.field(description="Always masked (330109********123X).")
    region_code: str
    kind: AlarmKind
    status: AlarmStatus
    occurred_at: datetime | None
    received_at: datetime | None
    detail: str | None
    acknowledge_due_at: datetime | None = strawberry.field(
        description="When the first escalation falls due unless acknowledged."
    )
    escalation_level: EscalationLevel | None
    escalated_at: datetime | None
    acknowledged_at: datetime | None
    dispatch_target: DispatchTarget | None
    resolved_at: datetime | None
    outcome: AlarmOutcome | None
    steps: list[AlarmStep] = strawberry.field(description="Oldest first, starting with RAISE.")
    allowed_next: list[AlarmAction] = strawberry.field(description="Actions the alarm allows next.")

    @classmethod
    def from_pb(cls, m: pb.Alarm) -> Alarm:
        """The GraphQL alarm of a reply."""
        return cls(
            id=m.id,
            vendor=m.vendor,
            vendor_alarm_id=m.vendor_alarm_id,
            device_id=strawberry.ID(to_base64("Device", m.device_id)),
            device_kind=DeviceKind(m.device_kind),
            device_serial=m.device_serial,
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            elder_name=m.elder_name,
            elder_id_number=m.elder_id_number,
            region_code=m.region_code,
            kind=AlarmKind(m.kind),
            status=AlarmStatus(m.status),
            occurred_at=timestamp(m, "occurred_at"),
            received_at=timestamp(m, "received_at"),
            detail=m.detail or None,
            acknowledge_due_at=timestamp(m, "acknowledge_due_at"),
            escalation_level=enum_or_none(EscalationLevel, m.escalation_level),
            escalated_at=timestamp(m, "escalated_at"),
            acknowledged_at=timestamp(m, "acknowledged_at"),
            dispatch_target=enum_or_none(DispatchTarget, m.dispatch_target),
            resolved_at=timestamp(m, "resolved_at"),
            outcome=enum_or_none(AlarmOutcome, m.outcome),
            steps=[AlarmStep.from_pb(s) for s in m.steps],
            allowed_next=[AlarmAction(a) for a in m.allowed_next],
        )


@strawberry.type(description="Devices, a page at a time (forward pagination with first/after).")
class DeviceConnection(relay.Connection[Device]):
    total_count: int = strawberry.field(description="Devices matching the filter, across all pages.")


@strawberry.type(description="Alarms, newest first, a page at a time (forward pagination with first/after).")
class AlarmConnection(relay.Connection[Alarm]):
    total_count: int = strawberry.field(description="Alarms matching the filter, across all pages.")
