"""Housekeeping of the kit tables, so ``outbox`` and ``inbox`` do not grow forever.

- **outbox**: a published row has done its job (JetStream holds the event; the relay never looks at
  it again), so rows published more than ``outbox_retention_days`` ago (0 keeps them)
  are deleted. Unpublished rows are never deleted, however old.
- **inbox**: a row only has to outlive every possible redelivery of its event, and no message is
  older than the stream keeps messages (``stream_max_age_days``; CIVIC_DLQ keeps dead letters as
  long, so a replayed dead letter is no older either). Rows processed before that are deleted; with
  ``stream_max_age_days = 0`` (the stream keeps everything) none are.

Deletes run in bounded batches, one short transaction each, oldest first over an indexed column,
so a first run on a large table neither holds locks for long nor builds one huge transaction. Every
replica of a service may run this; on PostgreSQL ``SKIP LOCKED`` keeps them off each other's rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, delete, select

from services.kit.db import Database
from services.kit.inbox import prune_inbox
from services.kit.outbox import OutboxEvent
from services.kit.settings import Settings

log = logging.getLogger(__name__)

PRUNE_BATCH = 1000
DEFAULT_INTERVAL_S = 3600.0


@dataclass(frozen=True)
class Pruned:
    """Rows one housekeeping pass deleted."""

    outbox: int = 0
    inbox: int = 0


async def prune_outbox(db: Database, *, older_than: datetime, batch_size: int = PRUNE_BATCH) -> int:
    """Delete rows published before ``older_than``, ``batch_size`` per transaction; returns rows deleted."""
    published_long_ago = (
        select(OutboxEvent.id)
        .where(col(OutboxEvent.published_at).is_not(None), col(OutboxEvent.published_at) < older_than)
        .order_by(col(OutboxEvent.published_at))
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    stmt = delete(OutboxEvent).where(col(OutboxEvent.id).in_(published_long_ago.scalar_subquery()))
    total = 0
    while True:
        async with db.unit_of_work() as session:
            deleted = int((await session.exec(stmt)).rowcount or 0)
        total += deleted
        if deleted < batch_size:
            return total


async def prune_inbox_batched(db: Database, *, older_than: datetime, batch_size: int = PRUNE_BATCH) -> int:
    """``kit.inbox.prune_inbox`` in transactions of ``batch_size`` rows; returns rows deleted."""
    total = 0
    while True:
        async with db.unit_of_work() as session:
            deleted = await prune_inbox(session, older_than, limit=batch_size)
        total += deleted
        if deleted < batch_size:
            return total


async def housekeep(
    db: Database, settings: Settings, *, now: datetime, batch_size: int = PRUNE_BATCH
) -> Pruned:
    """One pass: prune the outbox and the inbox by the retention ``settings`` give, as of ``now``."""
    outbox = 0
    if settings.outbox_retention_days > 0:
        cutoff = now - timedelta(days=settings.outbox_retention_days)
        outbox = await prune_outbox(db, older_than=cutoff, batch_size=batch_size)
    inbox = 0
    if settings.stream_max_age_days > 0:
        cutoff = now - timedelta(days=settings.stream_max_age_days)
        inbox = await prune_inbox_batched(db, older_than=cutoff, batch_size=batch_size)
    return Pruned(outbox=outbox, inbox=inbox)


async def run_housekeeping(
    db: Database, settings: Settings, stop: asyncio.Event, *, interval_s: float = DEFAULT_INTERVAL_S
) -> None:
    """Housekeep now and then every ``interval_s`` until ``stop`` is set; a failed pass is logged."""
    log.info("housekeeping started (every %g s)", interval_s)
    while not stop.is_set():
        try:
            pruned = await housekeep(db, settings, now=datetime.now(UTC))
        except Exception:  # the database is away; the next pass tries again
            log.exception("housekeeping pass failed")
        else:
            if pruned.outbox or pruned.inbox:
                log.info("housekeeping: pruned %d outbox and %d inbox rows", pruned.outbox, pruned.inbox)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
    log.info("housekeeping stopped")
