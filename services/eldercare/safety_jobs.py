"""Scheduled home-safety work: escalating unacknowledged alarms, reporting devices that went silent.

Both scans are set-based over indexed columns (DESIGN §2): ``safety_alarm (status, next_escalation_at)``
finds raised alarms whose next level is due; ``safety_device (status, kind, last_seen_at)`` finds
active devices of a kind not seen since the policy's cutoff. Python only loops over the rows found to
build their events.

Once per alarm and level, across restarts and replicas: the event id is derived from the alarm id
and level. It is the primary key of ``safety_alarm_escalation`` (unique on alarm and level too),
inserted with ``ON CONFLICT DO NOTHING … RETURNING`` — a replica that loses the race gets no row
back and stages nothing — and it is the outbox key and the ``Nats-Msg-Id``. Once per outage: the
device's flip from active to offline is a conditional ``UPDATE … RETURNING``, and the event id is
derived from the device and the moment it was last seen.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import alarm_files, safety_rules
from services.eldercare.events import (
    DEVICE_OFFLINE,
    SAFETY_ALARM_ESCALATED,
    DeviceOffline,
    SafetyAlarmEscalated,
)
from services.eldercare.models import Elder, SafetyAlarm, SafetyAlarmEscalation, SafetyDevice
from services.eldercare.safety_policy import SafetyPolicy
from services.eldercare.safety_rules import AlarmStatus, DeviceKind, DeviceStatus, EscalationLevel
from services.kit.db import Database, insert_ignoring_conflicts
from services.kit.idcard import mask_id_number
from services.kit.outbox import stage_event
from services.kit.periods import Clock
from services.kit.protoconv import as_utc
from services.kit.service import Job, ServiceContext, interval_from_env

log = logging.getLogger(__name__)

ESCALATION_JOB = "eldercare-safety-escalation"
OFFLINE_JOB = "eldercare-device-offline"
ESCALATION_INTERVAL_ENV = "ELDERCARE_SAFETY_ESCALATION_INTERVAL_S"
OFFLINE_INTERVAL_ENV = "ELDERCARE_DEVICE_OFFLINE_INTERVAL_S"
# Escalation counts in minutes, so the scan runs often; it reads one short index range.
DEFAULT_ESCALATION_INTERVAL_S = 10.0
DEFAULT_OFFLINE_INTERVAL_S = 60.0
PAGE_SIZE = 500
_NAMESPACE = uuid.UUID("2f6b1c8d-7a3e-4b52-9c0d-1e8f4a6b3c27")


@dataclass(frozen=True)
class ScanResult:
    """What one scan did: rows found due, and events staged."""

    found: int = 0
    announced: int = 0


def escalation_event_id(alarm_id: str, level: EscalationLevel) -> str:
    """The one event id an alarm's escalation to ``level`` can have."""
    return str(uuid.uuid5(_NAMESPACE, f"{SAFETY_ALARM_ESCALATED.type}|{alarm_id}|{level.name.lower()}"))


def offline_event_id(device_id: str, last_seen_at: datetime) -> str:
    """The one event id an outage can have: the device and when it was last seen before it."""
    return str(
        uuid.uuid5(_NAMESPACE, f"{DEVICE_OFFLINE.type}|{device_id}|{as_utc(last_seen_at).isoformat()}")
    )


def _schedule(alarm: SafetyAlarm) -> safety_rules.EscalationSchedule:
    return safety_rules.EscalationSchedule(
        town_at=as_utc(alarm.town_escalation_at), district_at=as_utc(alarm.district_escalation_at)
    )


async def _due_alarms(session: AsyncSession, *, now: datetime, limit: int) -> list[SafetyAlarm]:
    stmt = (
        select(SafetyAlarm)
        .where(
            col(SafetyAlarm.status) == AlarmStatus.RAISED.value,
            col(SafetyAlarm.next_escalation_at) <= now,
        )
        .order_by(col(SafetyAlarm.next_escalation_at), col(SafetyAlarm.id))
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def _insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert escalation rows, skipping those already there (another scan or replica); the ids inserted."""
    stmt = (
        insert_ignoring_conflicts(session, SafetyAlarmEscalation)
        .values(list(rows))
        .returning(col(SafetyAlarmEscalation.id))
    )
    return {row[0] for row in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def _escalate(session: AsyncSession, due: Sequence[SafetyAlarm], *, now: datetime) -> int:
    rows: list[dict[str, Any]] = []
    levels: dict[str, list[EscalationLevel]] = {}
    for alarm in due:
        schedule = _schedule(alarm)
        levels[alarm.id] = schedule.levels_due(after_level=alarm.escalation_level, now=now)
        rows.extend(
            {
                "id": escalation_event_id(alarm.id, level),
                "alarm_id": alarm.id,
                "level": int(level),
                "region_code": alarm.region_code,
                "due_at": schedule.due_at(level),
                "escalated_at": now,
            }
            for level in levels[alarm.id]
        )
    rows.sort(key=lambda r: r["id"])  # one lock order for every replica
    inserted = await _insert_new(session, rows) if rows else set()
    files = {f.alarm.id: f for f in await alarm_files.assemble(session, due)} if inserted else {}
    for alarm in due:
        schedule = _schedule(alarm)
        reached = max((int(lvl) for lvl in levels[alarm.id]), default=alarm.escalation_level)
        # Move the alarm past what is announced (whoever inserted the rows): it leaves the range.
        await session.exec(
            sa.update(SafetyAlarm)
            .where(
                col(SafetyAlarm.id) == alarm.id,
                col(SafetyAlarm.status) == AlarmStatus.RAISED.value,
                col(SafetyAlarm.escalation_level) < reached,
            )
            .values(
                escalation_level=reached,
                escalated_at=now,
                next_escalation_at=schedule.next_due(after_level=reached),
            )
            .execution_options(synchronize_session=False)
        )
        for level in levels[alarm.id]:
            event_id = escalation_event_id(alarm.id, level)
            if event_id not in inserted:
                continue
            start = safety_rules.alarm_clock_start(as_utc(alarm.occurred_at), as_utc(alarm.received_at))
            payload = SafetyAlarmEscalated(
                **alarm_files.event_fields(files[alarm.id], now),
                level=level.name.lower(),
                level_number=int(level),
                due_at=schedule.due_at(level),
                minutes_unacknowledged=safety_rules.minutes_between(start, now),
            )
            stage_event(
                session,
                SAFETY_ALARM_ESCALATED,
                payload,
                subject=alarm.id,
                region=alarm.region_code,
                now=now,
                event_id=event_id,
            )
    return len(inserted)


async def escalate_unacknowledged(
    db: Database, *, now: datetime, page_size: int = PAGE_SIZE, on_commit: Callable[[], None] | None = None
) -> ScanResult:
    """Escalate every raised alarm whose next level is due by ``now``, once per alarm and level."""
    found = announced = 0
    while True:
        async with db.unit_of_work() as session:
            due = await _due_alarms(session, now=now, limit=page_size)
            staged = await _escalate(session, due, now=now) if due else 0
        found, announced = found + len(due), announced + staged
        if staged and on_commit is not None:
            on_commit()
        # Escalated alarms leave the range (their next level is later, or none is left).
        if len(due) < page_size:
            return ScanResult(found=found, announced=announced)


async def _flip_offline(
    session: AsyncSession, *, kind: DeviceKind, cutoff: datetime, now: datetime, limit: int
) -> list[Any]:
    page = (
        select(SafetyDevice.id)
        .where(
            col(SafetyDevice.status) == DeviceStatus.ACTIVE.value,
            col(SafetyDevice.kind) == kind.value,
            col(SafetyDevice.last_seen_at) < cutoff,
        )
        .limit(limit)
        .scalar_subquery()
    )
    stmt = (
        sa.update(SafetyDevice)
        .where(col(SafetyDevice.id).in_(page), col(SafetyDevice.status) == DeviceStatus.ACTIVE.value)
        .values(status=DeviceStatus.OFFLINE.value, offline_since=now)
        .returning(
            col(SafetyDevice.id),
            col(SafetyDevice.elder_id),
            col(SafetyDevice.region_code),
            col(SafetyDevice.vendor),
            col(SafetyDevice.serial),
            col(SafetyDevice.last_seen_at),
        )
        .execution_options(synchronize_session=False)
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def report_offline(
    db: Database,
    *,
    policy: SafetyPolicy,
    now: datetime,
    page_size: int = PAGE_SIZE,
    on_commit: Callable[[], None] | None = None,
) -> ScanResult:
    """Mark devices silent past their kind's threshold offline, one device-offline event per outage."""
    total = 0
    for kind in DeviceKind:
        rule = policy.offline_rule(kind, now)
        cutoff = safety_rules.offline_cutoff(rule, now)
        while True:
            async with db.unit_of_work() as session:
                flipped = await _flip_offline(session, kind=kind, cutoff=cutoff, now=now, limit=page_size)
                if flipped:
                    elders = await session.exec(
                        select(Elder.id, Elder.id_number).where(
                            col(Elder.id).in_({row.elder_id for row in flipped})
                        )
                    )
                    numbers = dict(elders.all())
                    for row in flipped:
                        payload = DeviceOffline(
                            device_id=row.id,
                            device_kind=kind,
                            vendor=row.vendor,
                            serial=row.serial,
                            elder_id=row.elder_id,
                            elder_id_masked=mask_id_number(numbers[row.elder_id]),
                            region_code=row.region_code,
                            last_seen_at=as_utc(row.last_seen_at),
                            offline_after_minutes=rule.offline_after_minutes,
                            at=now,
                        )
                        stage_event(
                            session,
                            DEVICE_OFFLINE,
                            payload,
                            subject=row.id,
                            region=row.region_code,
                            now=now,
                            event_id=offline_event_id(row.id, row.last_seen_at),
                        )
            total += len(flipped)
            if flipped and on_commit is not None:
                on_commit()
            if len(flipped) < page_size:
                break
    return ScanResult(found=total, announced=total)


def escalation_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between escalation scans: ``$ELDERCARE_SAFETY_ESCALATION_INTERVAL_S`` or ten."""
    return interval_from_env(ESCALATION_INTERVAL_ENV, DEFAULT_ESCALATION_INTERVAL_S, environ)


def offline_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between offline scans: ``$ELDERCARE_DEVICE_OFFLINE_INTERVAL_S`` or sixty."""
    return interval_from_env(OFFLINE_INTERVAL_ENV, DEFAULT_OFFLINE_INTERVAL_S, environ)


def safety_jobs(ctx: ServiceContext, *, clock: Clock, policy: SafetyPolicy) -> list[Job]:
    """The two scans as service jobs, "now" from the service's clock."""

    async def escalate() -> ScanResult:
        result = await escalate_unacknowledged(ctx.db, now=clock(), on_commit=ctx.notify_outbox)
        if result.announced:
            log.info("safety escalation: %d alarms due, %d escalations", result.found, result.announced)
        return result

    async def offline() -> ScanResult:
        result = await report_offline(ctx.db, policy=policy, now=clock(), on_commit=ctx.notify_outbox)
        if result.announced:
            log.info("device offline: %d devices reported", result.announced)
        return result

    return [
        Job(name=ESCALATION_JOB, interval_s=escalation_interval_s(), run=escalate),
        Job(name=OFFLINE_JOB, interval_s=offline_interval_s(), run=offline),
    ]
