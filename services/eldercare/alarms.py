"""Home-safety alarms: ingesting one from a device, and its lifecycle steps (reading them: ``alarm_files``).

Ingestion is one short transaction (the benchmark wants thousands a second): a read of the vendor's
alarm id, a read of the device with its elder, then the alarm, its first step and its outbox row. A
repeat of a vendor alarm id returns the stored alarm and stages nothing; the unique key on (vendor,
vendor_alarm_id), written with ``ON CONFLICT DO NOTHING``, settles two deliveries racing each other.

Every function takes the session and never commits: the caller's unit of work commits the alarm, its
step, its audit row and its event together. Alarms outside the caller's scopes are NOT_FOUND.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import safety_rules
from services.eldercare.alarm_files import (
    AlarmFile,
    NewAlarmRow,
    NewStepRow,
    assemble,
    event_fields,
    visible_alarm,
)
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
from services.kit import audit, sqlite_bulk
from services.kit.errors import Collector, DomainError, FailedPrecondition, NotFound
from services.kit.idcard import mask_id_number
from services.kit.outbox import stage_event
from services.kit.outbox_bulk import Staged, stage_events

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


@dataclass(frozen=True)
class Ingest:
    """One caller's alarm to store: who sends it, the regions it may reach, when it arrived."""

    actor: str
    scopes: tuple[str, ...]
    new: NewAlarm
    received_at: datetime
    traceparent: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.new.vendor, self.new.vendor_alarm_id


Ingested = tuple[AlarmFile, bool]


def _within(region_code: str, scopes: tuple[str, ...]) -> bool:
    return region_code.startswith(scopes)


async def _stored(session: AsyncSession, keys: set[tuple[str, str]]) -> dict[tuple[str, str], SafetyAlarm]:
    """The stored alarms among these (vendor, vendor alarm id) keys."""
    if not keys:
        return {}
    stmt = select(SafetyAlarm).where(
        col(SafetyAlarm.vendor).in_({v for v, _ in keys}),
        col(SafetyAlarm.vendor_alarm_id).in_({a for _, a in keys}),
    )
    return {
        (a.vendor, a.vendor_alarm_id): a
        for a in (await session.exec(stmt)).all()
        if (a.vendor, a.vendor_alarm_id) in keys
    }


class _Device(NamedTuple):
    """What an alarm needs of its device and elder (plain columns: no ORM objects on this path)."""

    id: str
    vendor: str
    serial: str
    elder_id: str
    region_code: str
    kind: str
    status: str
    elder_name: str
    id_number: str


async def _devices(session: AsyncSession, keys: set[tuple[str, str]]) -> dict[tuple[str, str], list[_Device]]:
    """Devices by (vendor, serial), installed ones before removed ones (a serial may be re-used)."""
    device = SafetyDevice.__table__.c  # type: ignore[attr-defined]
    elder = Elder.__table__.c  # type: ignore[attr-defined]
    stmt = (
        sa.select(
            device.id,
            device.vendor,
            device.serial,
            device.elder_id,
            device.region_code,
            device.kind,
            device.status,
            elder.name,
            elder.id_number,
        )
        .join_from(SafetyDevice.__table__, Elder.__table__, elder.id == device.elder_id)  # type: ignore[attr-defined]
        .where(device.vendor.in_({v for v, _ in keys}), device.serial.in_({s for _, s in keys}))
    )
    found: dict[tuple[str, str], list[_Device]] = {}
    conn = await session.connection()
    for row in await conn.execute(stmt):
        d = _Device(*row)
        found.setdefault((d.vendor, d.serial), []).append(d)
    for candidates in found.values():
        candidates.sort(key=lambda d: d.status == DeviceStatus.REMOVED.value)
    return found


def _device_for(devices: dict[tuple[str, str], list[_Device]], item: Ingest) -> _Device:
    """The device an alarm comes from, as the caller may see it; NOT_FOUND / FAILED_PRECONDITION."""
    new = item.new
    visible = [d for d in devices.get((new.vendor, new.serial), []) if _within(d.region_code, item.scopes)]
    if not visible:
        raise NotFound(f"serial: no device {new.vendor}/{new.serial} is known")
    found = visible[0]
    if found.status == DeviceStatus.REMOVED.value:
        raise FailedPrecondition(f"serial: device {new.vendor}/{new.serial} was removed; it is not installed")
    errors = Collector()
    safety_rules.check_alarm_fits_device(errors, "kind", new.kind, DeviceKind(found.kind))
    errors.raise_if_any()
    return found


@dataclass
class _Fresh:
    """A new alarm built in memory, with its first step and its event."""

    file: AlarmFile
    alarm: NewAlarmRow
    step: NewStepRow
    payload: SafetyAlarmRaised
    traceparent: str | None


def _fresh(item: Ingest, found: _Device, policy: SafetyPolicy) -> _Fresh:
    new, now, device = item.new, item.received_at, found
    start = safety_rules.alarm_clock_start(new.occurred_at, now)
    schedule = safety_rules.escalation_schedule(start, policy.escalation_rule(new.kind, start))
    alarm = NewAlarmRow(
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
    step = NewStepRow(
        id=str(uuid.uuid4()),
        alarm_id=alarm.id,
        sequence=1,
        action=AlarmAction.RAISE.value,
        from_status=None,
        to_status=AlarmStatus.RAISED.value,
        actor=item.actor,
        at=now,
        note="",
    )
    file = AlarmFile(alarm, device.serial, found.elder_name, mask_id_number(found.id_number), [step])
    payload = SafetyAlarmRaised(**event_fields(file, now), acknowledge_due_at=schedule.town_at)
    return _Fresh(file, alarm, step, payload, item.traceparent)


async def ingest_alarms(
    session: AsyncSession, items: Sequence[Ingest], *, policy: SafetyPolicy
) -> list[Ingested | DomainError]:
    """Store and announce new alarms; for a repeated vendor alarm id, the stored alarm.

    One outcome per item, in order: the alarm's file and True when it is new (built in memory, no
    re-read), the stored alarm's file and False for a repeat (also for a repeat within ``items``), or
    the error for that item alone (unknown or removed device, an alarm kind the device cannot raise),
    of which nothing is written. Set-based: a few statements whatever the number of items.
    """
    keys = {item.key for item in items}
    stored = await _stored(session, keys)
    devices = await _devices(session, {(i.new.vendor, i.new.serial) for i in items if i.key not in stored})
    refused: dict[int, DomainError] = {}
    fresh: dict[tuple[str, str], _Fresh] = {}
    for index, item in enumerate(items):
        if item.key in stored or item.key in fresh:
            continue  # answered with the stored (or the batch's first) alarm below
        try:
            fresh[item.key] = _fresh(item, _device_for(devices, item), policy)
        except DomainError as exc:
            refused[index] = exc
    inserted = await _insert(session, list(fresh.values()))
    lost = {key for key, made in fresh.items() if made.alarm.id not in inserted}
    for key in lost:  # the same vendor alarm id won a race a moment ago
        del fresh[key]
    stored.update(await _stored(session, lost))
    files = dict(zip(stored, await assemble(session, list(stored.values())), strict=True))
    outcomes: list[Ingested | DomainError] = []
    announced: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        key = item.key
        if index in refused:
            outcomes.append(refused[index])
        elif key in fresh:
            outcomes.append((fresh[key].file, key not in announced))
            announced.add(key)
        elif _within(stored[key].region_code, item.scopes):
            outcomes.append((files[key], False))
        else:
            outcomes.append(NotFound(f"serial: no device {item.new.vendor}/{item.new.serial} is known"))
    return outcomes


@cache
def _pg_insert(table: sa.Table, conflict: tuple[str, ...] = (), returning: str = "") -> sa.TextClause:
    """PostgreSQL: ``INSERT`` of every column of ``table`` from one JSON array of row objects.

    SQLAlchemy's multi-row insert (insertmanyvalues) sends a statement with a placeholder per value,
    whose text changes with the batch size: psycopg caches no statement that long and re-parses it with
    a regular expression in Python per batch — 40 % of eldercare's CPU at 2,000 alarms/s (py-spy). This
    text never changes (parsed once, prepared by psycopg) and ``json_populate_recordset`` casts each field
    to its column's type.
    """
    name = table.name
    columns = ", ".join(table.c.keys())
    sql = (
        f"INSERT INTO {name} ({columns}) SELECT {columns} "
        f"FROM json_populate_recordset(CAST(NULL AS {name}), CAST(:rows AS json))"
    )
    if conflict:
        sql += f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {returning}"
    return sa.text(sql)


def _json_rows(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> str:
    """Rows as a JSON array of objects (timestamps ISO 8601 with their offset), for ``_pg_insert``."""
    return json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=datetime.isoformat)


async def _insert(session: AsyncSession, fresh: Sequence[_Fresh]) -> set[str]:
    """Insert the alarms (skipping vendor alarm ids stored meanwhile), their steps and events; the ids
    of the alarms inserted."""
    if not fresh:
        return set()
    conn = await session.connection()
    alarms: sa.Table = SafetyAlarm.__table__  # type: ignore[attr-defined]
    steps: sa.Table = SafetyAlarmStep.__table__  # type: ignore[attr-defined]
    alarm_columns, step_columns = list(alarms.c.keys()), list(steps.c.keys())
    alarm_values, step_values = attrgetter(*alarm_columns), attrgetter(*step_columns)
    if conn.dialect.name == "sqlite":  # driver-level rows: SQLAlchemy's executemany costs more than the rest
        inserted = set(
            await sqlite_bulk.insert_new_returning(
                conn,
                alarms,
                alarm_columns,
                [alarm_values(f.alarm) for f in fresh],
                conflict=("vendor", "vendor_alarm_id"),
                returning="id",
            )
        )
    else:
        rows = _json_rows(alarm_columns, [alarm_values(f.alarm) for f in fresh])
        result = await conn.execute(_pg_insert(alarms, ("vendor", "vendor_alarm_id"), "id"), {"rows": rows})
        inserted = {row[0] for row in result}
    kept = [f for f in fresh if f.alarm.id in inserted]
    if not kept:
        return inserted
    if conn.dialect.name == "sqlite":
        await sqlite_bulk.insert_rows(conn, steps, step_columns, [step_values(f.step) for f in kept])
    else:
        await conn.execute(
            _pg_insert(steps), {"rows": _json_rows(step_columns, [step_values(f.step) for f in kept])}
        )
    await stage_events(
        session,
        SAFETY_ALARM_RAISED,
        [
            Staged(
                event_id=event_id(f.alarm.id, "raised"),
                payload=f.payload,
                subject=f.alarm.id,
                region=f.alarm.region_code,
                traceparent=f.traceparent,
            )
            for f in kept
        ],
        now=max(f.alarm.received_at for f in kept),
    )
    return inserted


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
