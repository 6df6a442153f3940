"""Household flags: raising one (with its ``household-flagged`` event), the worklist, handling one.

Raising is at most once per source event (``uq_household_flag_source``; the flag and event ids are
UUID5 of the source event, so the outbox row cannot be staged twice either) and at most one OPEN flag
per household, person and fact: the same fact announced again under a new event id adds nothing while
an officer has not handled the first. Handling is a guarded UPDATE (``WHERE status = 'open'``): of two
officers closing one flag, one is refused. Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition, NotFound
from services.kit.outbox import stage_event
from services.relief.discovery_rules import Flag, FlagStatus
from services.relief.events import HOUSEHOLD_FLAGGED, HouseholdFlagged
from services.relief.models import Household, HouseholdFlag

_NAMESPACE = uuid.UUID("0c6e3a52-71d4-4b0e-a3f9-6d2b8e4c1a77")
WORKLIST_ORDER = (col(HouseholdFlag.raised_at), col(HouseholdFlag.id))


def flag_id(source_event_id: str) -> str:
    """The one flag (and ``household-flagged`` event id) a source event can give."""
    return str(uuid.uuid5(_NAMESPACE, source_event_id))


async def raise_flag(
    session: AsyncSession,
    *,
    household: Household,
    person_id: str | None,
    flag: Flag,
    source_event_id: str,
    source_type: str,
    now: datetime,
) -> HouseholdFlag | None:
    """Flag the household and stage ``household-flagged``; None when an open flag says the same already."""
    same = select(HouseholdFlag.id).where(
        HouseholdFlag.household_id == household.id,
        HouseholdFlag.status == FlagStatus.OPEN.value,
        HouseholdFlag.fact == flag.fact.value,
        col(HouseholdFlag.person_id).is_(None) if person_id is None else HouseholdFlag.person_id == person_id,
    )
    if (await session.exec(same)).first() is not None:
        return None
    if await session.get(HouseholdFlag, flag_id(source_event_id)) is not None:
        return None
    row = HouseholdFlag(
        id=flag_id(source_event_id),
        household_id=household.id,
        region_code=household.region_code,
        kind=flag.kind.value,
        fact=flag.fact.value,
        person_id=person_id,
        reason=flag.reason[:500],
        source_event_id=source_event_id,
        source_type=source_type,
        raised_at=now,
        status=FlagStatus.OPEN.value,
    )
    session.add(row)
    payload = HouseholdFlagged(
        flag_id=row.id,
        household_id=household.id,
        region_code=household.region_code,
        town_code=household.region_code[:9],
        kind=flag.kind.value,
        fact=flag.fact.value,
        reason=row.reason,
        at=now,
    )
    stage_event(
        session,
        HOUSEHOLD_FLAGGED,
        payload,
        subject=household.id,
        region=household.region_code,
        now=now,
        event_id=row.id,
    )
    return row


async def list_flags(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: FlagStatus | None,
    household_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[HouseholdFlag], int, bool]:
    """Flags in the scopes (optionally of one status or household), oldest first, a page after a keyset."""
    where = [in_regions(col(HouseholdFlag.region_code), scopes)]
    if status is not None:
        where.append(col(HouseholdFlag.status) == status.value)
    if household_id:
        where.append(col(HouseholdFlag.household_id) == household_id)
    total = (await session.exec(select(sa.func.count()).select_from(HouseholdFlag).where(*where))).one()
    stmt = select(HouseholdFlag).where(*where)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*WORKLIST_ORDER) > sa.tuple_(after[0], after[1]))
    rows = list((await session.exec(stmt.order_by(*WORKLIST_ORDER).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def visible_flag(session: AsyncSession, *, scopes: Sequence[str], flag_id: str) -> HouseholdFlag:
    """One flag inside the scopes; NotFound otherwise."""
    stmt = select(HouseholdFlag).where(
        HouseholdFlag.id == flag_id, in_regions(col(HouseholdFlag.region_code), scopes)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"flag {flag_id} not found")
    return found


async def handle_flag(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], flag_id: str, note: str, now: datetime
) -> HouseholdFlag:
    """An officer closes an open flag with a note; FAILED_PRECONDITION when it is handled already."""
    flag = await visible_flag(session, scopes=scopes, flag_id=flag_id)
    if flag.status != FlagStatus.OPEN.value:
        raise FailedPrecondition(f"flag {flag.id} was handled already by {flag.handled_by}")
    moved = await session.exec(
        sa.update(HouseholdFlag)
        .where(col(HouseholdFlag.id) == flag.id, col(HouseholdFlag.status) == FlagStatus.OPEN.value)
        .values(status=FlagStatus.HANDLED.value, handled_by=actor, handled_at=now, handled_note=note)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise FailedPrecondition(f"flag {flag.id} was handled meanwhile; reload it")
    await session.refresh(flag)
    audit.record(
        session,
        actor=actor,
        action="household.flag-handle",
        target=flag.household_id,
        region_code=flag.region_code,
        now=now,
        detail=f"flag {flag.id} ({flag.kind}, {flag.fact}) handled",
    )
    return flag
