"""The relay's statements on the outbox table: lease the oldest unpublished rows, record outcomes.

``claim`` is one statement, one round trip: ``UPDATE … SET claimed_until = now + lease WHERE id IN
(SELECT … WHERE published_at IS NULL AND claim free or expired ORDER BY created_at LIMIT n FOR
UPDATE SKIP LOCKED) RETURNING *``. ``FOR UPDATE SKIP LOCKED`` is rendered on PostgreSQL only, where
replicas then claim disjoint batches; on SQLite ``BEGIN IMMEDIATE`` (kit.db) keeps other writers
out for the statement's short transaction. ``record`` marks what JetStream acknowledged as published
and gives each failed row its error and the time it may be claimed again (its back-off).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from services.kit.db import Database
from services.kit.outbox import OutboxEvent

_OUTBOX = OutboxEvent.__table__


async def claim(db: Database, *, limit: int, lease: timedelta, now: datetime) -> list[OutboxEvent]:
    """Lease up to ``limit`` of the oldest free unpublished rows until ``now + lease``; oldest first."""
    oldest_free = (
        select(OutboxEvent.id)
        .where(
            col(OutboxEvent.published_at).is_(None),
            sa.or_(col(OutboxEvent.claimed_until).is_(None), col(OutboxEvent.claimed_until) < now),
        )
        .order_by(col(OutboxEvent.created_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    stmt = (
        sa.update(OutboxEvent)
        .where(col(OutboxEvent.id).in_(oldest_free.scalar_subquery()))
        .values(claimed_until=now + lease)
        .returning(OutboxEvent)
        .execution_options(synchronize_session=False)
    )
    async with db.unit_of_work() as session:
        rows = list((await session.exec(stmt)).scalars().all())
    # RETURNING has no order; publish oldest first.
    rows.sort(key=lambda row: (row.created_at, row.id))
    return rows


async def record(
    db: Database,
    *,
    published: Collection[str],
    failed: Mapping[str, tuple[str, datetime]],
    now: datetime,
) -> None:
    """Mark rows published at ``now``; give each failed row (id → error, retry at) its error and hold."""
    async with db.unit_of_work() as session:
        if published:
            await session.exec(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id.in_(list(published)))
                .values(published_at=now, claimed_until=None, attempts=_OUTBOX.c.attempts + 1)
            )
        if failed:
            params: list[dict[str, Any]] = [
                {"b_id": row_id, "b_error": error, "b_until": retry_at}
                for row_id, (error, retry_at) in failed.items()
            ]
            await session.exec(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id == sa.bindparam("b_id"))
                .values(
                    attempts=_OUTBOX.c.attempts + 1,
                    last_error=sa.bindparam("b_error"),
                    claimed_until=sa.bindparam("b_until"),
                ),
                params=params,
            )
