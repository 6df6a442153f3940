"""Institutions: registering, reading and listing them, scoped to the caller's regions.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the change and its audit row together. Region scoping happens in SQL: ``scopes`` are the
caller's region prefixes, and a row outside them is reported as not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import audit
from services.eldercare.models import Institution
from services.eldercare.rules import InstitutionKind
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, NotFound


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
    audit.record(session, actor=actor, action="institution.register", target=institution, now=now)
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
