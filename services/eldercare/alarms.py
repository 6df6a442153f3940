"""Home-safety alarms: ingesting one from a device, and its lifecycle steps (reading them: ``alarm_files``).

Ingestion is one short transaction (the benchmark wants thousands a second): a read of the vendor's
alarm id, a read of the device with its elder, then the alarm, its first step and its outbox row. A
repeat of a vendor alarm id returns the stored alarm and stages nothing; the unique key on (vendor,
vendor_alarm_id), written with ``ON CONFLICT DO NOTHING``, settles two deliveries racing each other.

Every function takes the session and never commits: the caller's unit of work commits the alarm, its
step, its audit row and its event together. Alarms outside the caller's scopes are NOT_FOUND.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import safety_rules
from services.eldercare.alarm_files import AlarmFile, assemble, event_fields, visible_alarm
from services.eldercare.events import (
    SAFETY_ALARM_ACKNOWLEDGED,
    SAFETY_ALARM_RAISED,
    SAFETY_ALARM_RESOLVED,
    SafetyAlarmAcknowledged,
    SafetyAlarmRaised,
    SafetyAlarmResolved,
)
from services.eldercare.models import Elder, SafetyAlarm, SafetyAlarmStep, SafetyDevice
from services.eldercare.safety_policy import SafetyPolicy
from services.eldercare.safety_rules import (
    AlarmAction,
    AlarmKind,
    AlarmOutcome,
    AlarmStatus,
    DeviceKind,
    DeviceStatus,
    DispatchTarget,
)
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.db import insert_ignoring_conflicts
from services.kit.errors import Collector, FailedPrecondition, NotFound
from services.kit.idcard import mask_id_number
from services.kit.outbox import stage_event

_NAMESPACE = uuid.UUID("9d3f5a4e-2b7c-4e61-8f0a-6c1d2e3b4a59")


@dataclass(frozen=True)
class NewAlarm:
    """A validated alarm as a device's vendor sent it."""

    vendor: str
    vendor_alarm_id: str
    serial: str
    kind: AlarmKind
    occurred_at: datetime
    detail: str


@dataclass(frozen=True)
class AlarmStep:
    """A validated lifecycle step: the action and what it needs (target for dispatch, outcome to resolve)."""

    action: AlarmAction
    note: str
    target: DispatchTarget | None = None
    outcome: AlarmOutcome | None = None


def event_id(alarm_id: str, step: str) -> str:
    """The one event id an alarm's step can have (UUID5 of the alarm and the step)."""
    return str(uuid.uuid5(_NAMESPACE, f"{alarm_id}|{step}"))


async def _stored(session: AsyncSession, *, vendor: str, vendor_alarm_id: str) -> SafetyAlarm | None:
    stmt = select(SafetyAlarm).where(
        SafetyAlarm.vendor == vendor, SafetyAlarm.vendor_alarm_id == vendor_alarm_id
    )
    return (await session.exec(stmt)).first()


async def _device_of(
    session: AsyncSession, *, scopes: Sequence[str], vendor: str, serial: str
) -> tuple[SafetyDevice, str, str]:
    """The vendor's device with that serial (installed before removed ones), its elder's name and ID."""
    stmt = (
        select(SafetyDevice, Elder.name, Elder.id_number)
        .join(Elder, col(Elder.id) == col(SafetyDevice.elder_id))
        .where(
            SafetyDevice.vendor == vendor,
            SafetyDevice.serial == serial,
            in_regions(col(SafetyDevice.region_code), scopes),
        )
        .order_by(sa.case((col(SafetyDevice.status) == DeviceStatus.REMOVED.value, 1), else_=0))
        .limit(1)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"serial: no device {vendor}/{serial} is known")
    device, name, id_number = found
    if device.status == DeviceStatus.REMOVED.value:
        raise FailedPrecondition(f"serial: device {vendor}/{serial} was removed; it is not installed")
    return device, name, id_number


async def ingest_alarm(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    new: NewAlarm,
    policy: SafetyPolicy,
    now: datetime,
) -> tuple[AlarmFile, bool]:
    """Store and announce a new alarm, or return the stored one for a repeated vendor alarm id.

    Returns the new alarm's file (built in memory, no re-read) and True, or the stored alarm's and False.
    Nothing is written for an unknown or removed device or an alarm kind the device cannot raise.
    """
    stored = await _stored(session, vendor=new.vendor, vendor_alarm_id=new.vendor_alarm_id)
    if stored is not None:
        if not any(stored.region_code.startswith(s) for s in scopes):
            raise NotFound(f"serial: no device {new.vendor}/{new.serial} is known")
        return (await assemble(session, [stored]))[0], False
    device, elder_name, id_number = await _device_of(
        session, scopes=scopes, vendor=new.vendor, serial=new.serial
    )
    errors = Collector()
    safety_rules.check_alarm_fits_device(errors, "kind", new.kind, DeviceKind(device.kind))
    errors.raise_if_any()
    start = safety_rules.alarm_clock_start(new.occurred_at, now)
    schedule = safety_rules.escalation_schedule(start, policy.escalation_rule(new.kind, start))
    alarm = SafetyAlarm(
        id=str(uuid.uuid4()),
        vendor=new.vendor,
        vendor_alarm_id=new.vendor_alarm_id,
        device_id=device.id,
        elder_id=device.elder_id,
        region_code=device.region_code,
        device_kind=device.kind,
        kind=new.kind.value,
        status=AlarmStatus.RAISED.value,
        occurred_at=new.occurred_at,
        received_at=now,
        detail=new.detail,
        town_escalation_at=schedule.town_at,
        district_escalation_at=schedule.district_at,
        next_escalation_at=schedule.town_at,
        escalation_level=0,
        step_count=1,
    )
    inserted = await session.exec(
        insert_ignoring_conflicts(session, SafetyAlarm)
        .values(**alarm.model_dump())
        .returning(col(SafetyAlarm.id))  # type: ignore[call-overload]
    )
    if inserted.first() is None:  # the same vendor alarm id won a race a moment ago
        stored = await _stored(session, vendor=new.vendor, vendor_alarm_id=new.vendor_alarm_id)
        assert stored is not None
        return (await assemble(session, [stored]))[0], False
    step = SafetyAlarmStep(
        id=str(uuid.uuid4()),
        alarm_id=alarm.id,
        sequence=1,
        action=AlarmAction.RAISE.value,
        from_status=None,
        to_status=AlarmStatus.RAISED.value,
        actor=actor,
        at=now,
        note="",
    )
    session.add(step)
    file = AlarmFile(alarm, device.serial, elder_name, mask_id_number(id_number), [step])
    payload = SafetyAlarmRaised(**event_fields(file, now), acknowledge_due_at=schedule.town_at)
    stage_event(
        session,
        SAFETY_ALARM_RAISED,
        payload,
        subject=alarm.id,
        region=alarm.region_code,
        now=now,
        event_id=event_id(alarm.id, "raised"),
    )
    return file, True


def _changes(step: AlarmStep, now: datetime) -> dict[str, Any]:
    if step.action is AlarmAction.ACKNOWLEDGE:
        # Acknowledged alarms leave the escalation scan's range.
        return {"acknowledged_at": now, "next_escalation_at": None}
    if step.action is AlarmAction.DISPATCH:
        assert step.target is not None
        return {"dispatch_target": step.target.value}
    assert step.outcome is not None
    return {"resolved_at": now, "outcome": step.outcome.value, "next_escalation_at": None}


async def take_step(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], alarm_id: str, step: AlarmStep, now: datetime
) -> SafetyAlarm:
    """Move an alarm one step (acknowledge, dispatch, resolve); FAILED_PRECONDITION for a wrong one."""
    alarm = await visible_alarm(session, scopes=scopes, alarm_id=alarm_id)
    current = AlarmStatus(alarm.status)
    target = safety_rules.next_status(current, step.action)
    if target is None:
        raise FailedPrecondition(safety_rules.refusal(current, step.action))
    sequence = alarm.step_count + 1
    # Of two operators acting at once only one finds the alarm still as read; the other is refused.
    moved = await session.exec(
        sa.update(SafetyAlarm)
        .where(
            col(SafetyAlarm.id) == alarm.id,
            col(SafetyAlarm.status) == current.value,
            col(SafetyAlarm.step_count) == alarm.step_count,
        )
        .values(status=target.value, step_count=sequence, **_changes(step, now))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise FailedPrecondition(f"alarm {alarm.id} changed meanwhile; reload it and try again")
    await session.refresh(alarm)
    session.add(
        SafetyAlarmStep(
            id=str(uuid.uuid4()),
            alarm_id=alarm.id,
            sequence=sequence,
            action=step.action.value,
            from_status=current.value,
            to_status=target.value,
            actor=actor,
            at=now,
            note=step.note,
            dispatch_target=step.target.value if step.target else None,
            outcome=step.outcome.value if step.outcome else None,
        )
    )
    detail = " ".join(x for x in (current.value, "->", target.value, alarm.dispatch_target or "") if x)
    audit.record(
        session,
        actor=actor,
        action=f"safety-alarm.{step.action.value}",
        target=alarm.id,
        region_code=alarm.region_code,
        now=now,
        detail=detail,
    )
    await _announce(session, alarm, step, actor=actor, now=now)
    return alarm


async def _announce(
    session: AsyncSession, alarm: SafetyAlarm, step: AlarmStep, *, actor: str, now: datetime
) -> None:
    """Stage the event of a step (dispatching has none of its own: resolution says who was sent)."""
    if step.action is AlarmAction.DISPATCH:
        return
    file = (await assemble(session, [alarm]))[0]
    fields = event_fields(file, now)
    if step.action is AlarmAction.ACKNOWLEDGE:
        event, payload, name = (
            SAFETY_ALARM_ACKNOWLEDGED,
            SafetyAlarmAcknowledged(**fields, acknowledged_by=actor),
            "acknowledged",
        )
    else:
        assert step.outcome is not None
        target = DispatchTarget(alarm.dispatch_target) if alarm.dispatch_target else None
        event, payload, name = (
            SAFETY_ALARM_RESOLVED,
            SafetyAlarmResolved(
                **fields,
                outcome=step.outcome,
                dispatch_target=target,
                resolved_by=actor,
                escalation_level=alarm.escalation_level,
            ),
            "resolved",
        )
    stage_event(
        session,
        event,
        payload,
        subject=alarm.id,
        region=alarm.region_code,
        now=now,
        event_id=event_id(alarm.id, name),
    )
