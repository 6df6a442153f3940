"""The renovation item catalogue: adding items, deactivating them, listing them.

The catalogue is district-wide (no region); plans copy an item's code, name and area when they choose
it, so deactivating an item never changes a plan. Functions never commit (the unit of work does).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import RenovationItem
from services.eldercare.renovation_rules import RenovationArea
from services.kit import audit
from services.kit.errors import AlreadyExists, FailedPrecondition, NotFound


async def add_item(
    session: AsyncSession,
    *,
    actor: str,
    code: str,
    name: str,
    area: RenovationArea,
    unit: str,
    reference_price_fen: int,
    now: datetime,
) -> RenovationItem:
    """Add a catalogue item; AlreadyExists when the code is taken."""
    message = f"code: item code {code!r} is already in the catalogue"
    if (await session.exec(select(RenovationItem.id).where(RenovationItem.code == code))).first() is not None:
        raise AlreadyExists(message)
    item = RenovationItem(
        id=str(uuid.uuid4()),
        code=code,
        name=name,
        area=area.value,
        unit=unit,
        reference_price_fen=reference_price_fen,
        active=True,
        created_at=now,
        created_by=actor,
    )
    session.add(item)
    audit.record(
        session,
        actor=actor,
        action="renovation-item.add",
        target=item.id,
        region_code=None,
        now=now,
        detail=code,
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_renovation_item_code: a concurrent add won the race
        raise AlreadyExists(message) from exc
    return item


async def deactivate_item(
    session: AsyncSession, *, actor: str, item_id: str, now: datetime
) -> RenovationItem:
    """Stop offering an item to new plans; FailedPrecondition when it is already inactive."""
    item = (
        await session.exec(select(RenovationItem).where(RenovationItem.id == item_id).with_for_update())
    ).first()
    if item is None:
        raise NotFound(f"renovation item {item_id} not found")
    if not item.active:
        raise FailedPrecondition(f"renovation item {item.code} is already inactive")
    item.active = False
    session.add(item)
    audit.record(
        session,
        actor=actor,
        action="renovation-item.deactivate",
        target=item.id,
        region_code=None,
        now=now,
        detail=item.code,
    )
    await session.flush()
    return item


async def list_items(
    session: AsyncSession, *, area: RenovationArea | None, include_inactive: bool
) -> list[RenovationItem]:
    """The catalogue by area and code (small: a few hundred items at most, so one page)."""
    stmt = select(RenovationItem)
    if area is not None:
        stmt = stmt.where(RenovationItem.area == area.value)
    if not include_inactive:
        stmt = stmt.where(col(RenovationItem.active).is_(True))
    return list((await session.exec(stmt.order_by(col(RenovationItem.area), col(RenovationItem.code)))).all())
