"""Housekeeping keeps the outbox and inbox bounded and never drops an unpublished event."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from services.kit.db import Database
from services.kit.housekeeping import Pruned, housekeep, prune_outbox, run_housekeeping
from services.kit.inbox import ProcessedEvent, mark_processed, prune_inbox
from services.kit.outbox import OutboxEvent
from services.kit.settings import Settings
from tests.contract.kit.support import count_rows, eventually

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


async def add_outbox_rows(
    db: Database, prefix: str, count: int, *, created: datetime, published: datetime | None
) -> None:
    async with db.unit_of_work() as session:
        for n in range(count):
            session.add(
                OutboxEvent(
                    id=f"{prefix}-{n}",
                    nats_subject="civic.test.thing-happened",
                    type="civic.test.thing-happened.v1",
                    source="/minzheng/test",
                    data="{}",
                    created_at=created,
                    published_at=published,
                    attempts=1 if published else 0,
                )
            )


async def add_inbox_rows(db: Database, prefix: str, count: int, *, processed: datetime) -> None:
    async with db.unit_of_work() as session:
        for n in range(count):
            await mark_processed(session, "kit-test", f"{prefix}-{n}", now=processed)


async def outbox_ids(db: Database) -> set[str]:
    async with db.read() as session:
        return set((await session.exec(select(OutboxEvent.id))).all())


async def test_pruning_the_outbox_deletes_old_published_rows_in_batches_and_never_unpublished_ones(
    db: Database,
) -> None:
    await add_outbox_rows(db, "old", 25, created=NOW - timedelta(days=30), published=NOW - timedelta(days=10))
    await add_outbox_rows(db, "recent", 2, created=NOW - timedelta(days=2), published=NOW - timedelta(days=1))
    # Never published (NATS was away for a month, or the row keeps failing): must survive.
    await add_outbox_rows(db, "stuck", 3, created=NOW - timedelta(days=60), published=None)

    assert await prune_outbox(db, older_than=NOW - timedelta(days=7), batch_size=10) == 25
    assert await outbox_ids(db) == {"recent-0", "recent-1", "stuck-0", "stuck-1", "stuck-2"}
    assert await prune_outbox(db, older_than=NOW - timedelta(days=7)) == 0
    # Even a cutoff in the future leaves unpublished rows alone.
    assert await prune_outbox(db, older_than=NOW + timedelta(days=365)) == 2
    assert await count_rows(db, OutboxEvent, sa.column("published_at").is_(None)) == 3


async def test_pruning_the_inbox_in_batches_takes_the_oldest_first(db: Database) -> None:
    await add_inbox_rows(db, "older", 3, processed=NOW - timedelta(days=50))
    await add_inbox_rows(db, "old", 3, processed=NOW - timedelta(days=40))
    await add_inbox_rows(db, "new", 2, processed=NOW - timedelta(days=1))
    async with db.unit_of_work() as session:
        assert await prune_inbox(session, NOW - timedelta(days=30), limit=4) == 4
    async with db.read() as session:
        left = set((await session.exec(select(ProcessedEvent.event_id))).all())
    # All three of the oldest went, then one of the next oldest; nothing newer than the cutoff.
    assert {"new-0", "new-1"} < left and not left & {"older-0", "older-1", "older-2"}
    assert len(left & {"old-0", "old-1", "old-2"}) == 2


async def test_housekeeping_keeps_the_outbox_for_its_retention_and_the_inbox_for_the_streams_max_age(
    db: Database, database_url: str
) -> None:
    settings = Settings(
        environment="test", database_url=database_url, outbox_retention_days=3, stream_max_age_days=30
    )
    await add_outbox_rows(db, "old", 4, created=NOW - timedelta(days=8), published=NOW - timedelta(days=7))
    await add_outbox_rows(db, "fresh", 1, created=NOW - timedelta(days=1), published=NOW - timedelta(days=1))
    await add_outbox_rows(db, "stuck", 1, created=NOW - timedelta(days=90), published=None)
    await add_inbox_rows(db, "gone-from-stream", 5, processed=NOW - timedelta(days=31))
    await add_inbox_rows(db, "still-in-stream", 2, processed=NOW - timedelta(days=29))

    pruned = await housekeep(db, settings, now=NOW, batch_size=2)
    assert (pruned.outbox, pruned.inbox) == (4, 5)
    assert await outbox_ids(db) == {"fresh-0", "stuck-0"}
    assert await count_rows(db, ProcessedEvent) == 2

    # By default the outbox keeps 7 days; a stream that keeps everything keeps every inbox row.
    plain = Settings(environment="test", database_url=database_url, stream_max_age_days=0)
    await add_inbox_rows(db, "ancient", 1, processed=NOW - timedelta(days=3000))
    assert await housekeep(db, plain, now=NOW + timedelta(days=6)) == Pruned(outbox=0, inbox=0)
    assert await outbox_ids(db) == {"fresh-0", "stuck-0"}
    pruned = await housekeep(db, plain, now=NOW + timedelta(days=9))
    assert (pruned.outbox, pruned.inbox) == (1, 0)
    assert await count_rows(db, ProcessedEvent) == 3


async def test_the_housekeeping_loop_prunes_at_once_and_stops_when_asked(
    db: Database, database_url: str
) -> None:
    settings = Settings(environment="test", database_url=database_url, stream_max_age_days=30)
    now = datetime.now(UTC)
    await add_outbox_rows(db, "old", 3, created=now - timedelta(days=9), published=now - timedelta(days=8))
    await add_inbox_rows(db, "old", 3, processed=now - timedelta(days=31))
    stop = asyncio.Event()
    task = asyncio.create_task(run_housekeeping(db, settings, stop, interval_s=3600))
    try:
        await eventually(lambda: _empty(db), what="old rows pruned by the first pass")
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)  # does not sit out the hour


async def _empty(db: Database) -> bool:
    return await count_rows(db, OutboxEvent) == 0 and await count_rows(db, ProcessedEvent) == 0
