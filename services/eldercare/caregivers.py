"""Certified caregivers: registering one, recording that they left, listing and counting by level.

Functions never commit (the caller's unit of work does). The certificate number is unique, checked
first for a clear error and guarded by ``uq_caregiver_certificate`` against a concurrent registration.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.caregiver_rules import CaregiverLevel
from services.eldercare.community_requests import Listing, after_keyset
from services.eldercare.institutions import get_institution
from services.eldercare.models import Caregiver
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied


@dataclass(frozen=True)
class NewCaregiver:
    """A validated registration: an institution employer, or an organisation's name and region."""

    certificate_number: str
    name: str
    level: CaregiverLevel
    certified_on: date
    employer_institution_id: str | None
    employer_name: str
    region_code: str


async def register_caregiver(
    session: AsyncSession, *, actor: str, new: NewCaregiver, scopes: Sequence[str], now: datetime
) -> Caregiver:
    """Register a caregiver; AlreadyExists when the certificate number is already registered."""
    name, region = new.employer_name, new.region_code
    if new.employer_institution_id:
        try:
            institution = await get_institution(
                session, institution_id=new.employer_institution_id, scopes=scopes
            )
        except NotFound as exc:
            raise NotFound(
                f"employer_institution_id: institution {new.employer_institution_id} not found"
            ) from exc
        name, region = institution.name, institution.region_code
    elif not any(region.startswith(s) for s in scopes):
        raise PermissionDenied(f"region_code: {region} is outside your regions")
    message = f"certificate_number: certificate {new.certificate_number} is already registered"
    clash = select(Caregiver.id).where(Caregiver.certificate_number == new.certificate_number)
    if (await session.exec(clash)).first() is not None:
        raise AlreadyExists(message)
    caregiver = Caregiver(
        id=str(uuid.uuid4()),
        certificate_number=new.certificate_number,
        name=new.name,
        level=new.level.value,
        certified_on=new.certified_on,
        employer_institution_id=new.employer_institution_id,
        employer_name=name,
        region_code=region,
        active=True,
        created_at=now,
        created_by=actor,
    )
    session.add(caregiver)
    audit.record(
        session,
        actor=actor,
        action="caregiver.register",
        target=caregiver.id,
        region_code=region,
        now=now,
        detail=f"{new.level.value} {new.certificate_number}",
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same certificate won the race
        raise AlreadyExists(message) from exc
    return caregiver


async def record_left(
    session: AsyncSession,
    *,
    actor: str,
    caregiver_id: str,
    left_on: date,
    reason: str,
    scopes: Sequence[str],
    now: datetime,
) -> Caregiver:
    """Mark a caregiver as having left; FailedPrecondition when they already have."""
    stmt = select(Caregiver).where(
        Caregiver.id == caregiver_id, in_regions(col(Caregiver.region_code), scopes)
    )
    caregiver = (await session.exec(stmt.with_for_update())).first()
    if caregiver is None:
        raise NotFound(f"caregiver {caregiver_id} not found")
    if not caregiver.active:
        raise FailedPrecondition(f"caregiver {caregiver.id} already left")
    if left_on < caregiver.certified_on:
        raise InvalidArgument.field("left_on", "must not be before the certification")
    caregiver.active, caregiver.left_on, caregiver.left_reason = False, left_on, reason
    session.add(caregiver)
    audit.record(
        session,
        actor=actor,
        action="caregiver.left",
        target=caregiver.id,
        region_code=caregiver.region_code,
        now=now,
        detail=f"{left_on.isoformat()} {reason}"[:500],
    )
    await session.flush()
    return caregiver


async def list_caregivers(
    session: AsyncSession, *, listing: Listing, level: CaregiverLevel | None, include_left: bool
) -> tuple[list[Caregiver], int, bool]:
    """A page in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(Caregiver.region_code), listing.scopes)]
    if level is not None:
        where.append(col(Caregiver.level) == level.value)
    if not include_left:
        where.append(col(Caregiver.active).is_(True))
    total = (await session.exec(select(func.count()).select_from(Caregiver).where(*where))).one()
    stmt = select(Caregiver).where(*where)
    if listing.after is not None:
        stmt = stmt.where(after_keyset(col(Caregiver.region_code), col(Caregiver.id), listing.after))
    stmt = stmt.order_by(col(Caregiver.region_code), col(Caregiver.id)).limit(listing.limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[: listing.limit], int(total), len(rows) > listing.limit


async def counts_by_level(session: AsyncSession, *, scopes: Sequence[str]) -> dict[CaregiverLevel, int]:
    """Active caregivers per level inside the scopes (every level present, zeros included)."""
    rows = await session.exec(
        select(Caregiver.level, func.count())
        .where(col(Caregiver.active).is_(True), in_regions(col(Caregiver.region_code), scopes))
        .group_by(col(Caregiver.level))
    )
    counts = dict.fromkeys(CaregiverLevel, 0)
    for level, count in rows.all():
        counts[CaregiverLevel(level)] = int(count)
    return counts
