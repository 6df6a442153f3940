"""A relay in a process of its own on SQLite (kit.relay_main) takes turns at the file's write lock.

The service's writes hold the lock batch after batch; SQLite's busy handler would put the relay to
sleep for up to 100 ms at a time, so here its writes fail at once and it tries again every few
milliseconds (``OutboxRelay.lock_poll_s``). Another connection holding the lock stands for the service.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from sqlalchemy.exc import OperationalError

from services.kit.db import Database
from services.kit.local_nats import LocalNats
from services.kit.relay import OutboxRelay
from services.kit.relay_main import SQLITE_LOCK_POLL_S, _fail_fast_on_lock
from services.kit.settings import Settings
from services.kit.stream import ensure_stream
from tests.contract.kit.support import create_tables, read_stream, unpublished, write_events
from tests.contract.kit.test_relay import subject_of


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "relay-lock.db"


@pytest.fixture
async def service_db(db_path: Path) -> AsyncIterator[Database]:
    """The service's side of the file (kit.db as every service opens it)."""
    database = Database(f"sqlite+aiosqlite:///{db_path}")
    await create_tables(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def relay_db(service_db: Database, db_path: Path) -> AsyncIterator[Database]:
    """The relay process's side: as kit.relay_main opens it on SQLite."""
    database = Database(f"sqlite+aiosqlite:///{db_path}")
    _fail_fast_on_lock(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def lock_js(nc: NatsClient, lock_settings: Settings) -> JetStreamContext:
    context = nc.jetstream(timeout=5)
    await ensure_stream(context, lock_settings)
    return context


@pytest.fixture
def lock_settings(nats: LocalNats, db_path: Path) -> Settings:
    return Settings(
        service_name="kittest", environment="test", nats_url=nats.url, database_url=f"sqlite:///{db_path}"
    )


def hold_write_lock(db_path: Path) -> sqlite3.Connection:
    """Another writer on the file, in the middle of its transaction."""
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def test_a_relay_that_finds_the_lock_taken_waits_for_it_and_publishes_every_event_once(
    service_db: Database,
    relay_db: Database,
    lock_js: JetStreamContext,
    lock_settings: Settings,
    service: str,
    db_path: Path,
) -> None:
    ids = await write_events(service_db, service, 40, per_transaction=10)
    relay = OutboxRelay(relay_db, lock_js, lock_settings, batch_size=25, lock_poll_s=SQLITE_LOCK_POLL_S)
    other = hold_write_lock(db_path)
    try:
        publishing = asyncio.create_task(relay.publish_pending())
        await asyncio.sleep(0.05)
        # The lock is still held: the relay cannot have claimed anything, and it has not given up.
        assert not publishing.done()
        assert relay.stats.published == 0
    finally:
        other.execute("COMMIT")
        other.close()
    assert await publishing == 40
    assert await unpublished(service_db) == 0
    msgs = await read_stream(lock_js, lock_settings.stream_name, subject_of(service))
    assert sorted(json.loads(m.data)["id"] for m in msgs) == sorted(ids)
    assert relay.stats.duplicates == 0


async def test_without_polling_the_relay_process_connection_reports_the_taken_lock_at_once(
    service_db: Database,
    relay_db: Database,
    lock_js: JetStreamContext,
    lock_settings: Settings,
    service: str,
    db_path: Path,
) -> None:
    await write_events(service_db, service, 5)
    relay = OutboxRelay(relay_db, lock_js, lock_settings, batch_size=25)
    other = hold_write_lock(db_path)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            await relay.publish_pending()
    finally:
        other.execute("COMMIT")
        other.close()
    # Nothing was claimed: once the lock is free the events go out.
    assert await relay.publish_pending() == 5
