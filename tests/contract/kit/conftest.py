"""Fixtures of the event-backbone tests: a database with the kit tables, a NATS client, settings."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from services.kit.db import Database
from services.kit.local_nats import LocalNats
from services.kit.nats_conn import connect
from services.kit.settings import Settings
from services.kit.stream import ensure_stream
from tests.contract.kit.support import create_tables


@pytest.fixture
def settings(nats: LocalNats, database_url: str) -> Settings:
    """Platform settings pointing at the test's nats-server and database."""
    return Settings(service_name="kittest", environment="test", nats_url=nats.url, database_url=database_url)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A fresh database (both backends) with the outbox, inbox and test tables."""
    database = Database(database_url)
    await create_tables(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def nc(nats: LocalNats) -> AsyncIterator[NatsClient]:
    """A client that reconnects quickly, as services connect (kit.nats_conn)."""
    client = await connect(nats.url, name="kit-test", reconnect_time_wait=0.2)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def js(nc: NatsClient, settings: Settings) -> JetStreamContext:
    """JetStream with the CIVIC and CIVIC_DLQ streams ensured."""
    context = nc.jetstream(timeout=5)
    await ensure_stream(context, settings)
    return context


@pytest.fixture
def service() -> str:
    """A service name of this test only, so its subjects are its own on the shared stream."""
    return f"t{uuid.uuid4().hex[:10]}"
