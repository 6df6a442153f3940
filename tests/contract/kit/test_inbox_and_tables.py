"""The inbox under concurrency, and the kit tables' migration helpers against the models."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.engine import Connection

from services.kit.audit import AuditLog
from services.kit.db import Database
from services.kit.inbox import ProcessedEvent, is_processed, mark_processed, prune_inbox
from services.kit.kit_tables import create_kit_tables, drop_kit_tables
from services.kit.outbox import OutboxEvent
from tests.contract.kit.support import Effect, count_rows, effects


async def test_an_event_is_new_once_per_consumer(db: Database) -> None:
    async with db.unit_of_work() as session:
        assert await mark_processed(session, "relief-deaths", "ev-1") is True
        assert await mark_processed(session, "relief-deaths", "ev-1") is False  # same transaction
    async with db.unit_of_work() as session:
        assert await mark_processed(session, "relief-deaths", "ev-1") is False
        assert await mark_processed(session, "eldercare-deaths", "ev-1") is True
        assert await is_processed(session, "eldercare-deaths", "ev-1")
        assert not await is_processed(session, "eldercare-deaths", "ev-2")


async def test_a_rolled_back_effect_leaves_the_event_unprocessed(db: Database) -> None:
    try:
        async with db.unit_of_work() as session:
            assert await mark_processed(session, "c", "ev-9")
            raise RuntimeError("handler failed")
    except RuntimeError:
        pass
    async with db.unit_of_work() as session:
        assert await mark_processed(session, "c", "ev-9") is True


async def test_concurrent_deliveries_of_one_event_apply_its_effect_once(
    database_url: str, db: Database
) -> None:
    # Separate engines: as if several replicas of a consumer got the same event at once.
    replicas = [Database(database_url) for _ in range(4)]
    go = asyncio.Event()

    async def deliver(replica: Database) -> bool:
        await go.wait()
        async with replica.unit_of_work() as session:
            new = await mark_processed(session, "charity-grants", "ev-race")
            if new:
                session.add(Effect(event_id="ev-race"))
                await asyncio.sleep(0.05)  # hold the transaction open while the others try
            return new

    try:
        tasks = [asyncio.create_task(deliver(r)) for r in replicas for _ in range(3)]
        await asyncio.sleep(0.05)
        go.set()
        results = await asyncio.gather(*tasks)
    finally:
        for replica in replicas:
            await replica.dispose()
    assert sorted(results) == [False] * 11 + [True]
    assert await effects(db) == ["ev-race"]


async def test_pruning_forgets_old_entries_only(db: Database) -> None:
    now = datetime.now(UTC)
    async with db.unit_of_work() as session:
        await mark_processed(session, "c", "old", now=now - timedelta(days=400))
        await mark_processed(session, "c", "new", now=now)
    async with db.unit_of_work() as session:
        assert await prune_inbox(session, now - timedelta(days=366)) == 1
    assert await count_rows(db, ProcessedEvent) == 1


def _kit_metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    OutboxEvent.__table__.to_metadata(metadata)
    ProcessedEvent.__table__.to_metadata(metadata)
    AuditLog.__table__.to_metadata(metadata)
    return metadata


async def test_the_migration_helpers_build_exactly_the_kit_models(database_url: str) -> None:
    db = Database(database_url)

    def build_and_compare(conn: Connection) -> list[object]:
        create_kit_tables(Operations(MigrationContext.configure(conn)))
        return list(compare_metadata(MigrationContext.configure(conn), _kit_metadata()))

    def drop_and_list(conn: Connection) -> list[str]:
        drop_kit_tables(Operations(MigrationContext.configure(conn)))
        return sa.inspect(conn).get_table_names()

    def partial_index(conn: Connection) -> dict[str, object]:
        (index,) = [i for i in sa.inspect(conn).get_indexes("outbox") if i["name"] == "ix_outbox_unpublished"]
        return dict(index.get("dialect_options", {}))

    try:
        async with db.engine.begin() as conn:
            assert await conn.run_sync(build_and_compare) == []
            options = await conn.run_sync(partial_index)
            where = options.get("postgresql_where") or options.get("sqlite_where")
            assert where is not None and "published_at IS NULL" in str(where)
            assert await conn.run_sync(drop_and_list) == []
    finally:
        await db.dispose()
