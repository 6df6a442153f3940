"""Reading home-safety alarms: one in the caller's scopes, pages of them, and their files for responses.

An alarm's file is what a response or an event shows with it: the device serial, the elder's name and
masked ID number, and its steps. ``assemble`` builds the files of a whole page in two queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import Elder, SafetyAlarm, SafetyAlarmStep, SafetyDevice
from services.eldercare.safety_rules import AlarmKind, AlarmStatus, DeviceKind
from services.kit.columns import in_regions
from services.kit.errors import NotFound
from services.kit.idcard import mask_id_number
from services.kit.protoconv import as_utc


@dataclass(frozen=True, slots=True)
class NewAlarmRow:
    """A ``safety_alarm`` row being ingested, as plain values.

    Ingestion builds thousands a second; an ORM object costs ten times as much to make and to read, and
    these rows are written by a Core insert, never through a session. The fields are the table's
    columns (a test holds them side by side).
    """

    id: str
    vendor: str
    vendor_alarm_id: str
    device_id: str
    elder_id: str
    region_code: str
    device_kind: str
    kind: str
    status: str
    occurred_at: datetime
    received_at: datetime
    detail: str
    town_escalation_at: datetime
    district_escalation_at: datetime
    next_escalation_at: datetime | None
    escalation_level: int = 0
    escalated_at: datetime | None = None
    acknowledged_at: datetime | None = None
    dispatch_target: str | None = None
    resolved_at: datetime | None = None
    outcome: str | None = None
    step_count: int = 1


@dataclass(frozen=True, slots=True)
class NewStepRow:
    """A ``safety_alarm_step`` row being ingested (the first step, RAISE), as plain values."""

    id: str
    alarm_id: str
    sequence: int
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: datetime
    note: str = ""
    dispatch_target: str | None = None
    outcome: str | None = None


@dataclass
class AlarmFile:
    """An alarm with what its responses show: the device serial, the elder's name, masked ID, history."""

    alarm: SafetyAlarm | NewAlarmRow
    device_serial: str
    elder_name: str
    elder_id_masked: str
    steps: Sequence[SafetyAlarmStep | NewStepRow] = field(default_factory=list)


def event_fields(file: AlarmFile, at: datetime) -> dict[str, Any]:
    a = file.alarm
    return {
        "alarm_id": a.id,
        "vendor": a.vendor,
        "vendor_alarm_id": a.vendor_alarm_id,
        "kind": AlarmKind(a.kind),
        "device_id": a.device_id,
        "device_kind": DeviceKind(a.device_kind),
        "device_serial": file.device_serial,
        "elder_id": a.elder_id,
        "elder_id_masked": file.elder_id_masked,
        "region_code": a.region_code,
        "occurred_at": as_utc(a.occurred_at),
        "received_at": as_utc(a.received_at),
        "at": at,
    }


async def visible_alarm(session: AsyncSession, *, scopes: Sequence[str], alarm_id: str) -> SafetyAlarm:
    """One alarm in the caller's scopes; NOT_FOUND otherwise."""
    stmt = select(SafetyAlarm).where(
        SafetyAlarm.id == alarm_id, in_regions(col(SafetyAlarm.region_code), scopes)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"alarm {alarm_id} not found")
    return found


async def assemble(session: AsyncSession, alarms: Sequence[SafetyAlarm]) -> list[AlarmFile]:
    """Files of many alarms in two queries (their devices and elders, their steps)."""
    ids = [a.id for a in alarms]
    if not ids:
        return []
    subjects = await session.exec(
        select(SafetyAlarm.id, SafetyDevice.serial, Elder.name, Elder.id_number)
        .join(SafetyDevice, col(SafetyDevice.id) == col(SafetyAlarm.device_id))
        .join(Elder, col(Elder.id) == col(SafetyAlarm.elder_id))
        .where(col(SafetyAlarm.id).in_(ids))
    )
    about = {alarm_id: (serial, name, id_number) for alarm_id, serial, name, id_number in subjects.all()}
    steps: dict[str, list[SafetyAlarmStep]] = {i: [] for i in ids}
    found = await session.exec(
        select(SafetyAlarmStep)
        .where(col(SafetyAlarmStep.alarm_id).in_(ids))
        .order_by(col(SafetyAlarmStep.alarm_id), col(SafetyAlarmStep.sequence))
    )
    for step in found.all():
        steps[step.alarm_id].append(step)
    files = []
    for a in alarms:
        serial, name, id_number = about[a.id]
        files.append(AlarmFile(a, serial, name, mask_id_number(id_number), steps[a.id]))
    return files


async def list_alarms(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: AlarmStatus | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[SafetyAlarm], int, bool]:
    """A page of alarms (newest first), the total matching, and whether more follow."""
    where = [in_regions(col(SafetyAlarm.region_code), scopes)]
    if status is not None:
        where.append(col(SafetyAlarm.status) == status.value)
    total = (await session.exec(select(sa.func.count()).select_from(SafetyAlarm).where(*where))).one()
    stmt = (
        select(SafetyAlarm)
        .where(*where)
        .order_by(col(SafetyAlarm.received_at).desc(), col(SafetyAlarm.id).desc())
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(sa.tuple_(col(SafetyAlarm.received_at), col(SafetyAlarm.id)) < sa.tuple_(*after))
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit
