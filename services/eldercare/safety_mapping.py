"""Between the home-safety proto messages and the device and alarm models and enums."""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import TypeVar

from minzheng.eldercare.v1 import safety_pb2 as pb

from services.eldercare import safety_rules
from services.eldercare.alarm_files import AlarmFile, NewStepRow
from services.eldercare.devices import DeviceRow
from services.eldercare.models import SafetyAlarmStep
from services.eldercare.safety_rules import (
    AlarmAction,
    AlarmKind,
    AlarmOutcome,
    AlarmStatus,
    DeviceKind,
    DeviceStatus,
    DispatchTarget,
    EscalationLevel,
)
from services.kit.errors import Collector
from services.kit.grpc_server import as_domain_error
from services.kit.protoconv import timestamp

E = TypeVar("E", bound=Enum)


def _table(enum: type[E], proto_enum: object, prefix: str) -> dict[E, int]:
    return {member: proto_enum.Value(f"{prefix}_{member.name}") for member in enum}  # type: ignore[attr-defined]


DEVICE_KIND_TO_PB = _table(DeviceKind, pb.DeviceKind, "DEVICE_KIND")
DEVICE_KIND_FROM_PB = {v: k for k, v in DEVICE_KIND_TO_PB.items()}
DEVICE_STATUS_TO_PB = _table(DeviceStatus, pb.DeviceStatus, "DEVICE_STATUS")
DEVICE_STATUS_FROM_PB = {v: k for k, v in DEVICE_STATUS_TO_PB.items()}
ALARM_KIND_TO_PB = _table(AlarmKind, pb.AlarmKind, "ALARM_KIND")
ALARM_KIND_FROM_PB = {v: k for k, v in ALARM_KIND_TO_PB.items()}
ALARM_STATUS_TO_PB = _table(AlarmStatus, pb.AlarmStatus, "ALARM_STATUS")
ALARM_STATUS_FROM_PB = {v: k for k, v in ALARM_STATUS_TO_PB.items()}
TARGET_TO_PB = _table(DispatchTarget, pb.DispatchTarget, "DISPATCH_TARGET")
TARGET_FROM_PB = {v: k for k, v in TARGET_TO_PB.items()}
OUTCOME_TO_PB = _table(AlarmOutcome, pb.AlarmOutcome, "ALARM_OUTCOME")
OUTCOME_FROM_PB = {v: k for k, v in OUTCOME_TO_PB.items()}
ACTION_TO_PB = _table(AlarmAction, pb.AlarmAction, "ALARM_ACTION")
LEVEL_TO_PB = _table(EscalationLevel, pb.EscalationLevel, "ESCALATION_LEVEL")

S = TypeVar("S", bound=StrEnum)


def enum_field(errors: Collector, field: str, value: int, table: dict[int, S], *, required: bool) -> S | None:
    """A known enum value; UNSPECIFIED (0) only when not required, unknown numbers refused."""
    found = table.get(value)
    if found is None and (required or value != 0):
        errors.add(field, f"unknown {field.replace('_', ' ')}" if value else "is required")
    return found


def device_to_pb(row: DeviceRow) -> pb.Device:
    """The wire form of a device."""
    d = row.device
    return pb.Device(
        id=d.id,
        elder_id=d.elder_id,
        elder_name=row.elder_name,
        region_code=d.region_code,
        kind=DEVICE_KIND_TO_PB[DeviceKind(d.kind)],
        vendor=d.vendor,
        serial=d.serial,
        status=DEVICE_STATUS_TO_PB[DeviceStatus(d.status)],
        installed_on=d.installed_on.isoformat(),
        installed_by=d.installed_by,
        last_heartbeat_at=timestamp(d.last_heartbeat_at),
        offline_since=timestamp(d.offline_since),
        removed_at=timestamp(d.removed_at),
        removal_reason=d.removal_reason or "",
    )


def _step(step: SafetyAlarmStep | NewStepRow) -> pb.AlarmStep:
    return pb.AlarmStep(
        sequence=step.sequence,
        action=ACTION_TO_PB[AlarmAction(step.action)],
        from_status=ALARM_STATUS_TO_PB[AlarmStatus(step.from_status)] if step.from_status else 0,
        to_status=ALARM_STATUS_TO_PB[AlarmStatus(step.to_status)],
        actor=step.actor,
        at=timestamp(step.at),
        note=step.note,
        dispatch_target=TARGET_TO_PB[DispatchTarget(step.dispatch_target)] if step.dispatch_target else 0,
        outcome=OUTCOME_TO_PB[AlarmOutcome(step.outcome)] if step.outcome else 0,
    )


def alarm_to_pb(file: AlarmFile) -> pb.Alarm:
    """The wire form of an alarm with its history; the elder's ID number always masked."""
    a = file.alarm
    status = AlarmStatus(a.status)
    return pb.Alarm(
        id=a.id,
        vendor=a.vendor,
        vendor_alarm_id=a.vendor_alarm_id,
        device_id=a.device_id,
        device_kind=DEVICE_KIND_TO_PB[DeviceKind(a.device_kind)],
        device_serial=file.device_serial,
        elder_id=a.elder_id,
        elder_name=file.elder_name,
        elder_id_number=file.elder_id_masked,
        region_code=a.region_code,
        kind=ALARM_KIND_TO_PB[AlarmKind(a.kind)],
        status=ALARM_STATUS_TO_PB[status],
        occurred_at=timestamp(a.occurred_at),
        received_at=timestamp(a.received_at),
        detail=a.detail,
        acknowledge_due_at=timestamp(a.town_escalation_at),
        escalation_level=LEVEL_TO_PB[EscalationLevel(a.escalation_level)] if a.escalation_level else 0,
        escalated_at=timestamp(a.escalated_at),
        acknowledged_at=timestamp(a.acknowledged_at),
        dispatch_target=TARGET_TO_PB[DispatchTarget(a.dispatch_target)] if a.dispatch_target else 0,
        resolved_at=timestamp(a.resolved_at),
        outcome=OUTCOME_TO_PB[AlarmOutcome(a.outcome)] if a.outcome else 0,
        steps=[_step(s) for s in file.steps],
        allowed_next=[ACTION_TO_PB[x] for x in safety_rules.allowed_actions(status)],
    )


def ingest_result(
    vendor: str, vendor_alarm_id: str, outcome: tuple[AlarmFile, bool] | BaseException
) -> pb.IngestAlarmResult:
    """One alarm's line in a batch's answer: the alarm stored, or the status a single call would get."""
    result = pb.IngestAlarmResult(vendor=vendor, vendor_alarm_id=vendor_alarm_id)
    if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
        raise outcome  # cancelled (the service is stopping): the whole call fails
    if isinstance(outcome, Exception):
        error = as_domain_error(outcome)
        result.error_code, result.error_message = error.code.value, error.message
    else:
        file, created = outcome
        result.alarm_id, result.created = file.alarm.id, created
    return result
