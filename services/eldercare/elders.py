"""Elders' files: registering an elder, changing how they live, finding and listing them.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the change and its audit row together. Whether an elder is vulnerable (in the
monthly visit programme) is re-decided by ``elder_rules`` on every change of the facts it reads, in
the same transaction, and the visit clock follows (``elder_rules.visit_clock``).
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

from services.eldercare.elder_rules import (
    CapabilityLevel,
    ContactRelation,
    LivingArrangement,
    Situation,
    is_vulnerable,
    visit_clock,
)
from services.eldercare.models import Elder, ElderContact
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, NotFound
from services.kit.idcard import IdNumber

ALREADY_REGISTERED = "an elder with this ID number is already registered"
READ_ID_NUMBER = "elder.read-id-number"


@dataclass(frozen=True)
class ContactIn:
    """A contact as given by the caller (already validated)."""

    name: str
    relation: ContactRelation
    phone: str


@dataclass(frozen=True)
class Living:
    """The mutable part of an elder's file (already validated)."""

    living_arrangement: LivingArrangement
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    phone: str | None
    address: str | None
    contacts: tuple[ContactIn, ...]


@dataclass(frozen=True)
class NewElder:
    """A validated registration."""

    id_number: IdNumber
    name: str
    region_code: str
    living: Living
    # Since when the living situation has held (the visit clock of a vulnerable elder starts here).
    since: date


@dataclass(frozen=True)
class ElderFilter:
    """What a listing keeps: vulnerable elders only, overdue ones only (anchor before ``overdue_before``)."""

    vulnerable_only: bool = False
    overdue_only: bool = False
    # None with overdue_only: no visit programme is in force, so nobody is overdue.
    overdue_before: date | None = None


def situation_of(elder: Elder) -> Situation:
    """The facts of the elder's row that the vulnerability rule reads."""
    return Situation(
        living_arrangement=LivingArrangement(elder.living_arrangement),
        widowed_childless=elder.widowed_childless,
        left_behind=elder.left_behind,
        special_family=elder.special_family,
        capability_level=CapabilityLevel(elder.capability_level) if elder.capability_level else None,
        deceased=elder.deceased_on is not None,
    )


def restart_clock(elder: Elder, *, today: date) -> None:
    """Start, keep or clear the visit clock after the facts changed."""
    clock = visit_clock(
        vulnerable=is_vulnerable(situation_of(elder)),
        vulnerable_since=elder.vulnerable_since,
        last_visit_on=elder.last_visit_on,
        today=today,
    )
    elder.vulnerable_since, elder.visit_anchor_on = clock.vulnerable_since, clock.anchor


def _contact_rows(elder_id: str, contacts: Sequence[ContactIn]) -> list[ElderContact]:
    return [
        ElderContact(
            id=str(uuid.uuid4()),
            elder_id=elder_id,
            name=c.name,
            relation=c.relation.value,
            phone=c.phone,
            priority=i + 1,
        )
        for i, c in enumerate(contacts)
    ]


def _apply(elder: Elder, living: Living) -> None:
    elder.living_arrangement = living.living_arrangement.value
    elder.widowed_childless = living.widowed_childless
    elder.left_behind = living.left_behind
    elder.special_family = living.special_family
    elder.phone = living.phone
    elder.address = living.address


async def register_elder(session: AsyncSession, *, actor: str, new: NewElder, now: datetime) -> Elder:
    """Open an elder's file; AlreadyExists when the ID number already has one (anywhere)."""
    clash = await session.exec(select(Elder.id).where(Elder.id_number == new.id_number.value))
    if clash.first() is not None:
        raise AlreadyExists(ALREADY_REGISTERED)
    elder = Elder(
        id=str(uuid.uuid4()),
        id_number=new.id_number.value,
        name=new.name,
        sex=new.id_number.sex,
        birth_date=new.id_number.birth_date,
        region_code=new.region_code,
        living_arrangement=new.living.living_arrangement.value,
        registered_at=now,
        registered_by=actor,
        updated_at=now,
    )
    _apply(elder, new.living)
    restart_clock(elder, today=new.since)
    session.add(elder)
    try:
        await session.flush()  # the elder row first: contacts refer to it
    except IntegrityError as exc:  # uq_elder_id_number: a concurrent registration won the race
        raise AlreadyExists(ALREADY_REGISTERED) from exc
    session.add_all(_contact_rows(elder.id, new.living.contacts))
    audit.record(
        session,
        actor=actor,
        action="elder.register",
        target=elder.id,
        region_code=elder.region_code,
        now=now,
        detail=new.id_number.masked,
    )
    await session.flush()
    return elder


async def visible_elder(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    elder_id: str | None = None,
    id_number: str | None = None,
    for_update: bool = False,
) -> Elder:
    """One elder inside the scopes, by id or ID number; NotFound otherwise (others' rows do not exist)."""
    stmt = select(Elder).where(in_regions(col(Elder.region_code), scopes))
    stmt = stmt.where(Elder.id == elder_id) if elder_id else stmt.where(Elder.id_number == id_number)
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"elder {elder_id or 'with this ID number'} not found")
    return found


async def update_elder(
    session: AsyncSession,
    *,
    actor: str,
    elder_id: str,
    scopes: Sequence[str],
    living: Living,
    today: date,
    now: datetime,
) -> Elder:
    """Replace how the elder lives, their phone, address and contacts; the visit clock follows."""
    elder = await visible_elder(session, scopes=scopes, elder_id=elder_id, for_update=True)
    before = situation_of(elder)
    _apply(elder, living)
    restart_clock(elder, today=today)
    elder.updated_at = now
    session.add(elder)
    await session.exec(
        sa.delete(ElderContact)
        .where(col(ElderContact.elder_id) == elder.id)
        .execution_options(synchronize_session=False)
    )
    session.add_all(_contact_rows(elder.id, living.contacts))
    after = situation_of(elder)
    flags = [f for f in ("widowed_childless", "left_behind", "special_family") if getattr(after, f)]
    detail = (
        f"{before.living_arrangement.value}->{after.living_arrangement.value} "
        f"flags={','.join(flags) or '-'} contacts={len(living.contacts)}"
    )
    audit.record(
        session,
        actor=actor,
        action="elder.update",
        target=elder.id,
        region_code=elder.region_code,
        now=now,
        detail=detail,
    )
    await session.flush()
    return elder


ELDER_ORDER = (col(Elder.region_code), col(Elder.id))


def in_programme() -> sa.ColumnElement[bool]:
    """Elders in the visit programme: a running clock, and alive (a death may be recorded elsewhere)."""
    return sa.and_(col(Elder.visit_anchor_on).is_not(None), col(Elder.deceased_on).is_(None))


def _filter(where: ElderFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if where.vulnerable_only or where.overdue_only:
        conditions.append(in_programme())
    if where.overdue_only:
        before = where.overdue_before
        conditions.append(col(Elder.visit_anchor_on) < before if before is not None else sa.false())
    return conditions


async def list_elders(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    where: ElderFilter,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Elder], int, bool]:
    """Elders in the scopes matching the filter, by (region_code, id) after a keyset; total and more."""
    conditions = [in_regions(col(Elder.region_code), scopes), *_filter(where)]
    total = (await session.exec(select(sa.func.count()).select_from(Elder).where(*conditions))).one()
    stmt = select(Elder).where(*conditions)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*ELDER_ORDER) > sa.tuple_(*after))
    rows = list((await session.exec(stmt.order_by(*ELDER_ORDER).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def contacts_of(session: AsyncSession, *, elder_ids: Sequence[str]) -> dict[str, list[ElderContact]]:
    """Each elder's contacts in calling order, in one query."""
    if not elder_ids:
        return {}
    stmt = (
        select(ElderContact)
        .where(col(ElderContact.elder_id).in_(list(elder_ids)))
        .order_by(col(ElderContact.elder_id), col(ElderContact.priority))
    )
    found: dict[str, list[ElderContact]] = {}
    for row in (await session.exec(stmt)).all():
        found.setdefault(row.elder_id, []).append(row)
    return found


async def record_id_reads(
    session: AsyncSession, *, actor: str, elders: Sequence[Elder], now: datetime
) -> int:
    """Audit each elder's ID number about to be shown in clear (one row per elder)."""
    reads = ((e.id, e.region_code, e.id_number) for e in elders)
    return await audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)
