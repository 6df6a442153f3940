"""The audit log: who changed which record, and every read of an ID number in clear.

Like every data-access function here, these only add rows to the caller's session; the unit of
work that holds the change (or the read) commits them with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import AuditLog, Bed, Institution
from services.kit.idcard import mask_id_number

READ_ID_NUMBER = "bed.read-id-number"


def record(
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


async def record_id_reads(session: AsyncSession, *, actor: str, beds: Sequence[Bed], now: datetime) -> int:
    """Record each occupant ID number about to be shown in clear (one row per bed); returns how many."""
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": READ_ID_NUMBER,
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
