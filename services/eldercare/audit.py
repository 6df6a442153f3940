"""Eldercare's audit actions, recorded in the kit's audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.models import Bed, Institution
from services.kit import audit

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
    """Record who did what to an institution or bed."""
    audit.record(
        session,
        actor=actor,
        action=action,
        target=target.id,
        region_code=target.region_code,
        now=now,
        detail=detail,
    )


async def record_id_reads(session: AsyncSession, *, actor: str, beds: Sequence[Bed], now: datetime) -> int:
    """Record each occupant ID number about to be shown in clear (one row per occupied bed)."""
    reads = ((b.id, b.region_code, b.occupant_id_number) for b in beds if b.occupant_id_number)
    return await audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)
