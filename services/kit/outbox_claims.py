"""The relay's statements on the outbox table: lease the oldest unpublished rows, record outcomes.

``claim`` is one statement, one round trip: ``UPDATE … SET claimed_until = now + lease WHERE id IN
(SELECT … WHERE published_at IS NULL AND claim free or expired ORDER BY created_at LIMIT n FOR
UPDATE SKIP LOCKED) RETURNING <the columns the relay needs>``, as Core rows (no ORM objects, no
session). ``FOR UPDATE SKIP LOCKED`` is rendered on PostgreSQL only, where replicas then claim
disjoint batches; on SQLite ``BEGIN IMMEDIATE`` (kit.db) keeps other writers out for the statement's
short transaction. ``record`` marks what JetStream acknowledged as published (one UPDATE per batch)
and gives each failed row its error and the time it may be claimed again (its back-off).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

from services.kit.db import Database, commit_without_waiting_for_disk
from services.kit.outbox import OutboxEvent

_OUTBOX = OutboxEvent.__table__
_C = _OUTBOX.c
# What the relay needs of a claimed row: the envelope, where it goes, and its failure count.
CLAIM_COLUMNS = (
    _C.id,
    _C.nats_subject,
    _C.type,
    _C.source,
    _C.subject,
    _C.region,
    _C.data,
    _C.traceparent,
    _C.created_at,
    _C.attempts,
)
ClaimedRow = sa.Row[Any]
"""A claimed outbox row: a Core row with the ``CLAIM_COLUMNS`` as attributes (``row.id``, ``row.data``…)."""
_OLDEST_FIRST = attrgetter("created_at", "id")


async def claim(db: Database, *, limit: int, lease: timedelta, now: datetime) -> list[ClaimedRow]:
    """Lease up to ``limit`` of the oldest free unpublished rows until ``now + lease``; oldest first."""
    oldest_free = (
        sa.select(_C.id)
        .where(_C.published_at.is_(None), sa.or_(_C.claimed_until.is_(None), _C.claimed_until < now))
        .order_by(_C.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    stmt = (
        sa.update(_OUTBOX)
        .where(_C.id.in_(oldest_free.scalar_subquery()))
        .values(claimed_until=now + lease)
        .returning(*CLAIM_COLUMNS)
    )
    # Core on a plain connection: no session, no ORM objects (kit.db's begin hook still makes it
    # BEGIN IMMEDIATE on SQLite).
    async with db.transaction() as conn:
        await commit_without_waiting_for_disk(conn)
        rows = list((await conn.execute(stmt)).all())
    # RETURNING has no order; publish oldest first.
    rows.sort(key=_OLDEST_FIRST)
    return rows


def _ids(db: Database, ids: Collection[str]) -> Any:
    """``ids`` for ``IN``: on PostgreSQL one JSON parameter, not a placeholder per id (a batch's 500 ids
    made SQLAlchemy render and psycopg re-parse a 500-placeholder statement for every batch)."""
    if db.is_sqlite:
        return list(ids)
    packed = sa.bindparam("ids_json", json.dumps(list(ids)), type_=sa.String)
    return sa.select(sa.func.json_array_elements_text(sa.cast(packed, sa.JSON))).scalar_subquery()


async def record(
    db: Database,
    *,
    published: Collection[str],
    failed: Mapping[str, tuple[str, datetime]],
    now: datetime,
) -> None:
    """Mark rows published at ``now``; give each failed row (id → error, retry at) its error and hold."""
    if not published and not failed:
        return
    async with db.transaction() as conn:
        await commit_without_waiting_for_disk(conn)
        if published:
            await conn.execute(
                sa.update(_OUTBOX)
                .where(_C.id.in_(_ids(db, published)))
                .values(published_at=now, claimed_until=None, attempts=_C.attempts + 1)
            )
        if failed:
            params: list[dict[str, Any]] = [
                {"b_id": row_id, "b_error": error, "b_until": retry_at}
                for row_id, (error, retry_at) in failed.items()
            ]
            await conn.execute(
                sa.update(_OUTBOX)
                .where(_C.id == sa.bindparam("b_id"))
                .values(
                    attempts=_C.attempts + 1,
                    last_error=sa.bindparam("b_error"),
                    claimed_until=sa.bindparam("b_until"),
                ),
                params,
            )
