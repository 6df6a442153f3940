"""The audit log every service keeps: who changed which record, and every read of an ID number in
clear (DESIGN §3) — the number itself never, only its masked form.

Like every data-access function, these only add rows to the caller's session; the unit of work
that holds the change (or the read) commits them with it, so nothing is revealed unaudited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import region_code_type, utc_datetime
from services.kit.idcard import mask_id_number


class AuditLog(SQLModel, table=True):
    """One audited action; ``detail`` carries masked values only."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_region_at", "region_code", "at"),
        sa.Index("ix_audit_log_target", "target"),
    )

    id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    )
    at: datetime = Field(sa_column=utc_datetime())
    actor: str = Field(max_length=200)
    action: str = Field(max_length=50)
    target: str = Field(max_length=200)
    region_code: str | None = Field(default=None, sa_column=sa.Column(region_code_type(), nullable=True))
    detail: str | None = Field(default=None, max_length=500)


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
    """Record who did what to which row (``detail`` must hold masked values only)."""
    session.add(
        AuditLog(at=now, actor=actor, action=action, target=target, region_code=region_code, detail=detail)
    )


async def record_id_reads(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    reads: Iterable[tuple[str, str | None, str]],
    now: datetime,
) -> int:
    """Record each (target, region, clear ID number) about to be shown in clear; returns how many."""
    rows = [
        {
            "at": now,
            "actor": actor,
            "action": action,
            "target": target,
            "region_code": region,
            "detail": mask_id_number(id_number),
        }
        for target, region, id_number in reads
    ]
    if rows:
        # One executemany: a DataLoader batch can reveal thousands of records at once.
        await session.exec(sa.insert(AuditLog), params=rows)
    return len(rows)
