"""Home-safety devices: installing one for an elder, listing, removing, and recording heartbeats.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the device and its audit row together. Devices outside the caller's scopes are NOT_FOUND.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import Elder, SafetyDevice
from services.eldercare.safety_rules import DeviceKind, DeviceStatus
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, NotFound


@dataclass(frozen=True)
class DeviceRow:
    """A device and the name of the elder it watches over."""

    device: SafetyDevice
    elder_name: str


@dataclass(frozen=True)
class HeartbeatResult:
    """What a heartbeat batch did: devices updated, and (vendor, serial) pairs not installed."""

    accepted: int
    unknown: list[tuple[str, str]]


def _installed(vendor: str, serial: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(SafetyDevice.vendor) == vendor,
        col(SafetyDevice.serial) == serial,
        col(SafetyDevice.status) != DeviceStatus.REMOVED.value,
    )


async def install_device(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    elder_id: str,
    kind: DeviceKind,
    vendor: str,
    serial: str,
    installed_on: date,
    now: datetime,
) -> DeviceRow:
    """Install a device for a living elder the caller can see; ALREADY_EXISTS for an installed serial."""
    elder = (
        await session.exec(
            select(Elder).where(Elder.id == elder_id, in_regions(col(Elder.region_code), scopes))
        )
    ).first()
    if elder is None:
        raise NotFound(f"elder {elder_id} not found")
    if elder.deceased_on is not None:
        raise FailedPrecondition(f"elder {elder_id} is recorded as deceased")
    taken = f"serial: this vendor's device {serial} is already installed"
    if (await session.exec(select(SafetyDevice.id).where(_installed(vendor, serial)))).first() is not None:
        raise AlreadyExists(taken)
    device = SafetyDevice(
        id=str(uuid.uuid4()),
        elder_id=elder.id,
        region_code=elder.region_code,
        kind=kind.value,
        vendor=vendor,
        serial=serial,
        status=DeviceStatus.ACTIVE.value,
        installed_on=installed_on,
        installed_by=actor,
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_safety_device_serial_installed: a concurrent install won
        raise AlreadyExists(taken) from exc
    audit.record(
        session,
        actor=actor,
        action="safety-device.install",
        target=device.id,
        region_code=device.region_code,
        now=now,
        detail=f"{kind.value} {vendor}/{serial} for elder {elder.id}",
    )
    return DeviceRow(device, elder.name)


async def visible_device(session: AsyncSession, *, scopes: Sequence[str], device_id: str) -> DeviceRow:
    """One device in the caller's scopes, with its elder's name; NOT_FOUND otherwise."""
    stmt = (
        select(SafetyDevice, Elder.name)
        .join(Elder, col(Elder.id) == col(SafetyDevice.elder_id))
        .where(SafetyDevice.id == device_id, in_regions(col(SafetyDevice.region_code), scopes))
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"device {device_id} not found")
    return DeviceRow(found[0], found[1])


async def remove_device(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], device_id: str, reason: str, now: datetime
) -> DeviceRow:
    """Mark a device removed (its alarms stay on record); FAILED_PRECONDITION when already removed."""
    row = await visible_device(session, scopes=scopes, device_id=device_id)
    moved = await session.exec(
        sa.update(SafetyDevice)
        .where(col(SafetyDevice.id) == device_id, col(SafetyDevice.status) != DeviceStatus.REMOVED.value)
        .values(
            status=DeviceStatus.REMOVED.value,
            removed_at=now,
            removed_by=actor,
            removal_reason=reason or None,
            offline_since=None,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise FailedPrecondition(f"device {device_id} is already removed")
    await session.refresh(row.device)
    audit.record(
        session,
        actor=actor,
        action="safety-device.remove",
        target=device_id,
        region_code=row.device.region_code,
        now=now,
        detail=reason or None,
    )
    return row


async def list_devices(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: DeviceStatus | None,
    elder_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[DeviceRow], int, bool]:
    """A page of devices (oldest installation first), the total matching, and whether more follow."""
    where = [in_regions(col(SafetyDevice.region_code), scopes)]
    if status is not None:
        where.append(col(SafetyDevice.status) == status.value)
    if elder_id:
        where.append(col(SafetyDevice.elder_id) == elder_id)
    total = (await session.exec(select(sa.func.count()).select_from(SafetyDevice).where(*where))).one()
    stmt = (
        select(SafetyDevice, Elder.name)
        .join(Elder, col(Elder.id) == col(SafetyDevice.elder_id))
        .where(*where)
        .order_by(col(SafetyDevice.created_at), col(SafetyDevice.id))
        .limit(limit + 1)
    )
    if after is not None:
        stmt = stmt.where(sa.tuple_(col(SafetyDevice.created_at), col(SafetyDevice.id)) > sa.tuple_(*after))
    rows = list((await session.exec(stmt)).all())
    return [DeviceRow(d, name) for d, name in rows[:limit]], int(total), len(rows) > limit


async def record_heartbeats(
    session: AsyncSession, *, scopes: Sequence[str], beats: Sequence[tuple[str, str, datetime]]
) -> HeartbeatResult:
    """Record each device's latest heartbeat; an offline device comes back active.

    Two set-based statements whatever the batch size: one read of which devices are installed, one
    executemany update that only ever moves ``last_seen_at`` forward (an old, delayed heartbeat
    changes nothing).
    """
    latest: dict[tuple[str, str], datetime] = {}
    for vendor, serial, at in beats:
        key = (vendor, serial)
        latest[key] = max(at, latest.get(key, at))
    pairs = list(latest)
    installed = await session.exec(
        select(SafetyDevice.id, SafetyDevice.vendor, SafetyDevice.serial).where(
            sa.tuple_(col(SafetyDevice.vendor), col(SafetyDevice.serial)).in_(pairs),
            col(SafetyDevice.status) != DeviceStatus.REMOVED.value,
            in_regions(col(SafetyDevice.region_code), scopes),
        )
    )
    ids = {(vendor, serial): device_id for device_id, vendor, serial in installed.all()}
    if ids:
        table = SafetyDevice.__table__  # type: ignore[attr-defined]
        stmt = (
            sa.update(table)
            .where(
                table.c.id == sa.bindparam("device_id"),
                table.c.last_seen_at < sa.bindparam("at"),
                table.c.status != DeviceStatus.REMOVED.value,
            )
            .values(
                last_seen_at=sa.bindparam("at"),
                last_heartbeat_at=sa.bindparam("at"),
                offline_since=None,
                status=DeviceStatus.ACTIVE.value,
            )
        )
        await session.exec(stmt, params=[{"device_id": ids[p], "at": latest[p]} for p in ids])  # type: ignore[call-overload]
    return HeartbeatResult(accepted=len(ids), unknown=[p for p in pairs if p not in ids])
