"""Eldercare data access and state changes.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the change, its audit rows and its outbox event together. Region scoping happens in SQL:
``scopes`` are the caller's region prefixes, and a row outside them is reported as not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import rules
from services.eldercare.events import BED_ASSIGNED, BED_RELEASED, BedAssigned, BedReleased
from services.eldercare.models import AuditLog, Bed, BedAssignment, Institution
from services.eldercare.rules import BedAction, BedStatus, BedType, InstitutionKind
from services.kit.errors import AlreadyExists, FailedPrecondition, NotFound
from services.kit.idcard import IdNumber, mask_id_number, parse_id_number
from services.kit.outbox import stage_event


@dataclass(frozen=True)
class BedCounts:
    """Beds of one institution (or one bed type): how many, how many taken."""

    total: int = 0
    occupied: int = 0


def in_regions(column: sa.ColumnElement[str], scopes: Sequence[str]) -> sa.ColumnElement[bool]:
    """Rows whose region code lies under one of the scopes, as ranges an ordinary index serves."""
    if not scopes:
        return sa.false()
    # Codes are ASCII digits and ':' sorts right after '9', so a prefix p covers exactly [p, p + ':').
    return sa.or_(*(sa.and_(column >= scope, column < scope + ":") for scope in scopes))


def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target: Institution | Bed,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Record who did what to which row (never an ID number in clear: ``detail`` gets masked values)."""
    session.add(
        AuditLog(
            at=now,
            actor=actor,
            action=action,
            target=target.id,
            region_code=target.region_code,
            detail=detail,
        )
    )


async def register_institution(
    session: AsyncSession,
    *,
    actor: str,
    name: str,
    kind: InstitutionKind,
    region_code: str,
    star_rating: int,
    now: datetime,
) -> Institution:
    """Create an institution; AlreadyExists when the region already has one of that name."""
    clash = await session.exec(
        select(Institution.id).where(Institution.region_code == region_code, Institution.name == name)
    )
    if clash.first() is not None:
        raise AlreadyExists(f"an institution named {name!r} is already registered in {region_code}")
    institution = Institution(
        id=str(uuid.uuid4()),
        name=name,
        kind=kind.value,
        region_code=region_code,
        star_rating=star_rating,
        created_at=now,
        created_by=actor,
    )
    session.add(institution)
    audit(session, actor=actor, action="institution.register", target=institution, now=now)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same name won the race
        raise AlreadyExists(f"an institution named {name!r} is already registered in {region_code}") from exc
    return institution


async def get_institution(
    session: AsyncSession, *, institution_id: str, scopes: Sequence[str], for_update: bool = False
) -> Institution:
    """One institution inside the scopes; NotFound otherwise (other regions' rows do not exist here)."""
    stmt = select(Institution).where(
        Institution.id == institution_id, in_regions(col(Institution.region_code), scopes)
    )
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"institution {institution_id} not found")
    return found


async def list_institutions(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    kind: InstitutionKind | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[Institution], int, bool]:
    """A page in creation order after the keyset ``after``, the total count, and whether more follow."""
    where = [in_regions(col(Institution.region_code), scopes)]
    if kind is not None:
        where.append(col(Institution.kind) == kind.value)
    total = (await session.exec(select(sa.func.count()).select_from(Institution).where(*where))).one()
    stmt = select(Institution).where(*where)
    if after is not None:
        created, last_id = after
        stmt = stmt.where(
            sa.or_(
                col(Institution.created_at) > created,
                sa.and_(col(Institution.created_at) == created, col(Institution.id) > last_id),
            )
        )
    stmt = stmt.order_by(col(Institution.created_at), col(Institution.id)).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit


async def bed_counts(session: AsyncSession, *, institution_ids: Sequence[str]) -> dict[str, BedCounts]:
    """Total and occupied beds per institution, in one grouped query."""
    if not institution_ids:
        return {}
    occupied = sa.func.sum(sa.case((col(Bed.status) == BedStatus.OCCUPIED.value, 1), else_=0))
    stmt = (
        select(Bed.institution_id, sa.func.count(), occupied)
        .where(col(Bed.institution_id).in_(institution_ids))
        .group_by(col(Bed.institution_id))
    )
    rows = (await session.exec(stmt)).all()
    return {inst: BedCounts(total=int(n), occupied=int(occ or 0)) for inst, n, occ in rows}


async def add_beds(
    session: AsyncSession,
    *,
    actor: str,
    institution_id: str,
    scopes: Sequence[str],
    bed_type: BedType,
    count: int,
    label_prefix: str,
    now: datetime,
) -> list[Bed]:
    """Add ``count`` vacant beds of one type, numbered after the institution's existing labels."""
    # Locking the institution (PostgreSQL; SQLite writers are serial anyway) keeps numbering race-free.
    institution = await get_institution(
        session, institution_id=institution_id, scopes=scopes, for_update=True
    )
    prefix = rules.label_prefix(bed_type, label_prefix)
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    existing = await session.exec(
        select(Bed.label).where(
            Bed.institution_id == institution.id, col(Bed.label).like(f"{escaped}-%", escape="\\")
        )
    )
    start = rules.next_label_number(prefix, list(existing.all()))
    beds = [
        Bed(
            id=str(uuid.uuid4()),
            institution_id=institution.id,
            label=label,
            type=bed_type.value,
            status=BedStatus.VACANT.value,
            region_code=institution.region_code,
            created_at=now,
        )
        for label in rules.bed_labels(prefix, start=start, count=count)
    ]
    session.add_all(beds)
    audit(
        session,
        actor=actor,
        action="beds.add",
        target=institution,
        now=now,
        detail=f"{count} {bed_type.value} beds {beds[0].label}..{beds[-1].label}",
    )
    await session.flush()
    return beds


async def list_beds(
    session: AsyncSession,
    *,
    institution_ids: Sequence[str],
    scopes: Sequence[str],
    status: BedStatus | None,
    bed_type: BedType | None,
) -> list[Bed]:
    """Beds of many institutions in one query (the gateway's DataLoader batches through this)."""
    stmt = select(Bed).where(
        col(Bed.institution_id).in_(institution_ids), in_regions(col(Bed.region_code), scopes)
    )
    if status is not None:
        stmt = stmt.where(Bed.status == status.value)
    if bed_type is not None:
        stmt = stmt.where(Bed.type == bed_type.value)
    stmt = stmt.order_by(col(Bed.institution_id), col(Bed.label))
    return list((await session.exec(stmt)).all())


async def audit_id_reads(session: AsyncSession, *, actor: str, beds: Sequence[Bed], now: datetime) -> int:
    """Record each occupant ID number about to be shown in clear (one row per bed); returns how many."""
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": "bed.read-id-number",
            "target": bed.id,
            "region_code": bed.region_code,
            "detail": mask_id_number(bed.occupant_id_number),
        }
        for bed in beds
        if bed.occupant_id_number
    ]
    if rows:
        # One executemany: a DataLoader batch can reveal thousands of occupants at once.
        await session.exec(sa.insert(AuditLog), params=rows)
    return len(rows)


async def _visible_bed(session: AsyncSession, *, bed_id: str, scopes: Sequence[str]) -> Bed:
    found = (
        await session.exec(select(Bed).where(Bed.id == bed_id, in_regions(col(Bed.region_code), scopes)))
    ).first()
    if found is None:
        raise NotFound(f"bed {bed_id} not found")
    return found


async def _move_bed(session: AsyncSession, bed: Bed, action: BedAction, **values: object) -> None:
    """Apply an allowed transition, conditional on the status just read (then refresh the bed)."""
    current = BedStatus(bed.status)
    target = rules.next_status(current, action)
    if target is None:
        raise FailedPrecondition(f"bed {bed.label}: {rules.refusal(current, action)}")
    # Of two concurrent changes only one finds the row still in `current`; the other updates nothing.
    moved = await session.exec(
        sa.update(Bed)
        .where(col(Bed.id) == bed.id, col(Bed.status) == current.value)
        .values(status=target.value, **values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise FailedPrecondition(f"bed {bed.label}: {rules.refusal(target, action)}")
    await session.refresh(bed)


async def _event_fields(
    session: AsyncSession, bed: Bed, stay: BedAssignment, now: datetime
) -> dict[str, Any]:
    """What bed-assigned and bed-released both say; the ID number only masked."""
    institution = await session.get_one(Institution, bed.institution_id)
    return {
        "assignment_id": stay.id,
        "bed_id": bed.id,
        "bed_label": bed.label,
        "bed_type": BedType(bed.type),
        "institution_id": institution.id,
        "institution_name": institution.name,
        "region_code": bed.region_code,
        "elder_id_masked": mask_id_number(stay.elder_id_number),
        "elder_age": rules.age_on(parse_id_number(stay.elder_id_number), now),
        "at": now,
    }


async def assign_bed(
    session: AsyncSession,
    *,
    actor: str,
    bed_id: str,
    scopes: Sequence[str],
    elder: IdNumber,
    elder_name: str,
    now: datetime,
) -> Bed:
    """Give a vacant bed to an elder who holds none; FailedPrecondition otherwise, with nothing written."""
    bed = await _visible_bed(session, bed_id=bed_id, scopes=scopes)
    held = await session.exec(select(Bed.id).where(Bed.occupant_id_number == elder.value))
    if BedStatus(bed.status) is BedStatus.VACANT and held.first() is not None:
        raise FailedPrecondition("the elder already holds a bed; release it first")
    stay = BedAssignment(
        id=str(uuid.uuid4()),
        bed_id=bed.id,
        institution_id=bed.institution_id,
        region_code=bed.region_code,
        elder_id_number=elder.value,
        elder_name=elder_name,
        assigned_at=now,
        assigned_by=actor,
    )
    try:
        await _move_bed(
            session,
            bed,
            BedAction.ASSIGN,
            occupant_id_number=elder.value,
            occupant_name=elder_name,
            assigned_at=now,
        )
        session.add(stay)
        await session.flush()
    except IntegrityError as exc:  # uq_bed_occupant: the same elder won a concurrent assignment
        raise FailedPrecondition("the elder already holds a bed; release it first") from exc
    audit(session, actor=actor, action="bed.assign", target=bed, now=now, detail=elder.masked)
    payload = BedAssigned(**await _event_fields(session, bed, stay, now))
    stage_event(session, BED_ASSIGNED, payload, subject=bed.id, region=bed.region_code, now=now)
    return bed


async def release_bed(
    session: AsyncSession, *, actor: str, bed_id: str, scopes: Sequence[str], reason: str, now: datetime
) -> Bed:
    """Free an occupied bed and close the stay; FailedPrecondition when the bed is vacant."""
    bed = await _visible_bed(session, bed_id=bed_id, scopes=scopes)
    await _move_bed(
        session, bed, BedAction.RELEASE, occupant_id_number=None, occupant_name=None, assigned_at=None
    )
    open_stay = select(BedAssignment).where(
        BedAssignment.bed_id == bed.id, col(BedAssignment.released_at).is_(None)
    )
    stay = (await session.exec(open_stay)).one()
    stay.released_at, stay.released_by, stay.release_reason = now, actor, reason or None
    session.add(stay)
    fields = await _event_fields(session, bed, stay, now)
    detail = f"{fields['elder_id_masked']} {reason}".strip()
    audit(session, actor=actor, action="bed.release", target=bed, now=now, detail=detail)
    payload = BedReleased(**fields, reason=reason)
    stage_event(session, BED_RELEASED, payload, subject=bed.id, region=bed.region_code, now=now)
    return bed


async def occupancy(session: AsyncSession, *, scopes: Sequence[str]) -> dict[BedType, BedCounts]:
    """Total and occupied beds per type in the scopes, aggregated by the database."""
    occupied = sa.func.sum(sa.case((col(Bed.status) == BedStatus.OCCUPIED.value, 1), else_=0))
    stmt = (
        select(Bed.type, sa.func.count(), occupied)
        .where(in_regions(col(Bed.region_code), scopes))
        .group_by(col(Bed.type))
    )
    counts = {bed_type: BedCounts() for bed_type in BedType}
    for bed_type, total, occ in (await session.exec(stmt)).all():
        counts[BedType(bed_type)] = BedCounts(total=int(total), occupied=int(occ or 0))
    return counts
