"""The audit log: who changed which record, and every read of an ID number in clear.

Like every data-access function here, these only add rows to the caller's session; the unit of
work that holds the change (or the read) commits them with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare.models import AuditLog, Child
from services.kit.idcard import mask_id_number

READ_ID_NUMBER = "child.read-id-number"


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target: str,
    region_code: str | None,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Record who did what to which row (never an ID number in clear: ``detail`` gets masked values)."""
    session.add(
        AuditLog(at=now, actor=actor, action=action, target=target, region_code=region_code, detail=detail)
    )


async def record_id_reads(
    session: AsyncSession, *, actor: str, children: Sequence[Child], now: datetime
) -> int:
    """Record each child's ID number about to be shown in clear (one row per child); returns how many."""
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": READ_ID_NUMBER,
            "target": child.id,
            "region_code": child.region_code,
            "detail": mask_id_number(child.id_number),
        }
        for child in children
    ]
    if rows:
        await session.exec(sa.insert(AuditLog), params=rows)
    return len(rows)
