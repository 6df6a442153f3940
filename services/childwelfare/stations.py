"""Town minors' protection stations (未成年人保护工作站): one per town, opened and listed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit
from services.childwelfare.models import ProtectionStation
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists

ONE_PER_TOWN = "region_code: this town already has a protection station"


async def open_station(
    session: AsyncSession,
    *,
    actor: str,
    region_code: str,
    name: str,
    opened_on: date,
    staff_count: int,
    contact: str,
    now: datetime,
) -> ProtectionStation:
    """Open the town's station; AlreadyExists when the town has one."""
    clash = select(ProtectionStation.id).where(ProtectionStation.region_code == region_code)
    if (await session.exec(clash)).first() is not None:
        raise AlreadyExists(ONE_PER_TOWN)
    station = ProtectionStation(
        id=str(uuid.uuid4()),
        region_code=region_code,
        name=name,
        opened_on=opened_on,
        staff_count=staff_count,
        contact=contact,
        created_at=now,
        created_by=actor,
    )
    session.add(station)
    audit.record(
        session,
        actor=actor,
        action="protection-station.open",
        target=station.id,
        region_code=region_code,
        now=now,
        detail=f"{name} staff {staff_count}"[:500],
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_protection_station_town: a concurrent opening won the race
        raise AlreadyExists(ONE_PER_TOWN) from exc
    return station


async def list_stations(session: AsyncSession, *, scopes: Sequence[str]) -> list[ProtectionStation]:
    """Stations of the towns inside the scopes, in town order."""
    stmt = (
        select(ProtectionStation)
        .where(in_regions(col(ProtectionStation.region_code), scopes))
        .order_by(col(ProtectionStation.region_code))
    )
    return list((await session.exec(stmt)).all())
