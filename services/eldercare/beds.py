"""Beds: adding and listing them, and counting them per institution and per type.

Data-access functions take the session and keyword-only arguments and never commit. ``read_beds`` is
the one that opens its own transaction, because showing ID numbers in clear turns a read into a write.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import audit, rules
from services.eldercare.institutions import get_institution
from services.eldercare.models import Bed
from services.eldercare.rules import BedStatus, BedType
from services.kit.columns import in_regions
from services.kit.db import Database


@dataclass(frozen=True)
class BedCounts:
    """Beds of one institution (or one bed type): how many, how many taken."""

    total: int = 0
    occupied: int = 0


def _occupied() -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((col(Bed.status) == BedStatus.OCCUPIED.value, 1), else_=0))


async def bed_counts(session: AsyncSession, *, institution_ids: Sequence[str]) -> dict[str, BedCounts]:
    """Total and occupied beds per institution, in one grouped query."""
    if not institution_ids:
        return {}
    stmt = (
        select(Bed.institution_id, sa.func.count(), _occupied())
        .where(col(Bed.institution_id).in_(institution_ids))
        .group_by(col(Bed.institution_id))
    )
    rows = (await session.exec(stmt)).all()
    return {inst: BedCounts(total=int(n), occupied=int(occ or 0)) for inst, n, occ in rows}


async def occupancy(session: AsyncSession, *, scopes: Sequence[str]) -> dict[BedType, BedCounts]:
    """Total and occupied beds per type in the scopes, aggregated by the database."""
    stmt = (
        select(Bed.type, sa.func.count(), _occupied())
        .where(in_regions(col(Bed.region_code), scopes))
        .group_by(col(Bed.type))
    )
    counts = {bed_type: BedCounts() for bed_type in BedType}
    for bed_type, total, occ in (await session.exec(stmt)).all():
        counts[BedType(bed_type)] = BedCounts(total=int(total), occupied=int(occ or 0))
    return counts


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
    audit.record(
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


async def read_beds(
    db: Database,
    *,
    actor: str,
    reveal: bool,
    institution_ids: Sequence[str],
    scopes: Sequence[str],
    status: BedStatus | None,
    bed_type: BedType | None,
    now: datetime,
) -> list[Bed]:
    """Beds for a caller; with ``reveal`` (ID numbers to be shown in clear) each occupant's read is audited.

    The audit rows commit in the same transaction as the read, before anything is returned: if they
    cannot be written, nothing is revealed. Without ``reveal`` it is a plain read that writes nothing.
    """
    async with db.unit_of_work() if reveal else db.read() as session:
        beds = await list_beds(
            session, institution_ids=institution_ids, scopes=scopes, status=status, bed_type=bed_type
        )
        if reveal:
            await audit.record_id_reads(session, actor=actor, beds=beds, now=now)
        # Detached, the rows stay readable after the session ends (a read session's rollback would
        # otherwise expire them).
        session.expunge_all()
    return beds
