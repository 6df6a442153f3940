"""Child welfare's audit actions, recorded in the kit's audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare.models import Child
from services.kit import audit
from services.kit.audit import record

__all__ = ["READ_ID_NUMBER", "record", "record_id_reads"]

READ_ID_NUMBER = "child.read-id-number"


async def record_id_reads(
    session: AsyncSession, *, actor: str, children: Sequence[Child], now: datetime
) -> int:
    """Record each child's ID number about to be shown in clear (one row per child)."""
    reads = ((c.id, c.region_code, c.id_number) for c in children)
    return await audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)
