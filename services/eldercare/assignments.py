"""Stays: giving a vacant bed to an elder and freeing it again, each with its audit row and event.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the bed's new state, the stay, the audit row and the outbox event together.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import audit, family_care, rules
from services.eldercare.events import BED_ASSIGNED, BED_RELEASED, BedAssigned, BedReleased
from services.eldercare.models import Bed, BedAssignment, Institution
from services.eldercare.rules import BedAction, BedStatus, BedType
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition, NotFound
from services.kit.idcard import IdNumber, mask_id_number, parse_id_number
from services.kit.outbox import stage_event

ALREADY_HOLDS_A_BED = "the elder already holds a bed; release it first"


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
        raise FailedPrecondition(ALREADY_HOLDS_A_BED)
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
        raise FailedPrecondition(ALREADY_HOLDS_A_BED) from exc
    audit.record(session, actor=actor, action="bed.assign", target=bed, now=now, detail=elder.masked)
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
    await family_care.end_with_bed(session, actor=actor, bed_id=bed.id, reason=reason, now=now)
    fields = await _event_fields(session, bed, stay, now)
    detail = f"{fields['elder_id_masked']} {reason}".strip()
    audit.record(session, actor=actor, action="bed.release", target=bed, now=now, detail=detail)
    payload = BedReleased(**fields, reason=reason)
    stage_event(session, BED_RELEASED, payload, subject=bed.id, region=bed.region_code, now=now)
    return bed
