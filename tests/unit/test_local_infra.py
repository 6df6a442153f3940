"""The test infrastructure itself: real nats-server and both database backends behave as promised."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import nats as nats_client
import psycopg
import pytest
from nats.aio.client import Client as NatsClient
from nats.js.api import StorageType
from nats.js.client import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.kit.local_nats import LocalNats, free_port, jetstream_available
from services.kit.local_postgres import (
    ExternalPostgres,
    LocalPostgres,
    libpq_url_from_sqlalchemy,
    sqlalchemy_url_from_libpq,
)


@asynccontextmanager
async def jetstream(url: str) -> AsyncIterator[tuple[NatsClient, JetStreamContext]]:
    """A short-lived nats-py connection that does not retry forever when the server is gone."""
    nc = await nats_client.connect(url, allow_reconnect=False, connect_timeout=2)
    try:
        yield nc, nc.jetstream(timeout=5)
    finally:
        await nc.close()


async def _make_stream(url: str) -> tuple[str, str]:
    """A throwaway file-backed stream; returns (stream name, subject prefix)."""
    token = uuid.uuid4().hex[:10]
    name, prefix = f"T_{token}", f"test.{token}"
    async with jetstream(url) as (_, js):
        await js.add_stream(name=name, subjects=[f"{prefix}.>"], storage=StorageType.FILE)
    return name, prefix


async def test_nats_accepts_jetstream_publish(nats: LocalNats) -> None:
    name, prefix = await _make_stream(nats.url)
    async with jetstream(nats.url) as (_, js):
        ack = await js.publish(f"{prefix}.hello", b"hi")
        assert (ack.stream, ack.seq) == (name, 1)
        await js.delete_stream(name)


async def test_nats_restart_keeps_stream_data(nats: LocalNats) -> None:
    name, prefix = await _make_stream(nats.url)
    async with jetstream(nats.url) as (_, js):
        for i in range(3):
            await js.publish(f"{prefix}.n", f"m{i}".encode())
    url, pid = nats.url, nats.pid

    nats.restart()

    assert nats.url == url and nats.pid != pid
    async with jetstream(nats.url) as (_, js):
        info = await js.stream_info(name)
        assert info.state.messages == 3
        assert (await js.get_msg(name, 2)).data == b"m1"
        await js.delete_stream(name)


async def test_nats_kill_then_start(nats: LocalNats) -> None:
    name, prefix = await _make_stream(nats.url)
    async with jetstream(nats.url) as (_, js):
        await js.publish(f"{prefix}.before", b"acked before the crash")

    nats.kill()
    assert not nats.running
    assert not await jetstream_available(nats.url)

    nats.start()
    assert nats.running
    async with jetstream(nats.url) as (_, js):
        # The file store writes before acking, so an acked message survives SIGKILL.
        assert (await js.get_msg(name, 1)).data == b"acked before the crash"
        ack = await js.publish(f"{prefix}.after", b"x")
        assert ack.seq == 2
        await js.delete_stream(name)


async def test_nats_fixture_restarts_a_stopped_server(nats_server: LocalNats) -> None:
    # Leave the server down on purpose: the next test taking `nats` must find it running again.
    nats_server.stop()
    assert not nats_server.running


async def test_nats_fixture_found_server_running(nats: LocalNats) -> None:
    assert nats.running
    assert await jetstream_available(nats.url)


async def test_jetstream_available(nats: LocalNats) -> None:
    assert await jetstream_available(nats.url)
    assert not await jetstream_available(f"nats://127.0.0.1:{free_port()}", timeout=0.5)


async def test_database_url_roundtrip(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            assert (await conn.execute(text("select 1"))).scalar_one() == 1
            await conn.execute(text("create table item (id integer primary key, name varchar(50) not null)"))
            await conn.execute(text("insert into item (id, name) values (1, '民政'), (2, 'eldercare')"))
        async with engine.connect() as conn:
            rows = (await conn.execute(text("select id, name from item order by id"))).all()
        assert [tuple(r) for r in rows] == [(1, "民政"), (2, "eldercare")]
    finally:
        await engine.dispose()


async def test_database_url_is_fresh(database_url: str) -> None:
    # Same table name as the roundtrip test: each test must get its own empty database.
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("create table item (id integer primary key)"))
    finally:
        await engine.dispose()


def test_postgres_drop_database(postgres_server: LocalPostgres | ExternalPostgres) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    assert postgres_server.create_database(name) == url  # idempotent
    with psycopg.connect(libpq_url_from_sqlalchemy(url), autocommit=True) as conn:
        assert conn.execute("select current_database()").fetchone() == (name,)
        # An open session must not block the drop (WITH (FORCE)).
        postgres_server.drop_database(name)
    with psycopg.connect(libpq_url_from_sqlalchemy(postgres_server.admin_url())) as admin:
        assert admin.execute("select 1 from pg_database where datname = %s", (name,)).fetchone() is None


def test_the_embedded_server_creates_wal_segments_without_zero_filling(
    postgres_server: LocalPostgres | ExternalPostgres, tmp_path: Path
) -> None:
    # With TEST_DATABASE_URL the session's server is not ours to configure: start an embedded one.
    server = postgres_server if isinstance(postgres_server, LocalPostgres) else LocalPostgres(tmp_path / "pg")
    server.start()
    try:
        with psycopg.connect(libpq_url_from_sqlalchemy(server.admin_url())) as admin:
            assert admin.execute("SHOW wal_init_zero").fetchone() == ("off",)
            assert admin.execute("SHOW fsync").fetchone() == ("on",)  # as durable as before
            assert admin.execute("SHOW synchronous_commit").fetchone() == ("on",)
    finally:
        if server is not postgres_server:
            server.stop()


@pytest.mark.parametrize(
    ("uri", "database", "expected"),
    [
        (
            "postgresql://postgres:@/postgres?host=/tmp/pg/data",
            None,
            "postgresql+psycopg://postgres@/postgres?host=/tmp/pg/data",
        ),
        (
            "postgresql://postgres:@/postgres?host=/tmp/pg/data",
            "t_1",
            "postgresql+psycopg://postgres@/t_1?host=/tmp/pg/data",
        ),
        ("postgresql://u:pw@db:5433/app", None, "postgresql+psycopg://u:pw@db:5433/app"),
    ],
)
def test_sqlalchemy_url_from_libpq(uri: str, database: str | None, expected: str) -> None:
    assert sqlalchemy_url_from_libpq(uri, database) == expected


def test_libpq_url_from_sqlalchemy() -> None:
    assert (
        libpq_url_from_sqlalchemy("postgresql+psycopg://u:p%40ss@h:5433/app")
        == "postgresql://u:p%40ss@h:5433/app"
    )
    assert (
        libpq_url_from_sqlalchemy("postgresql+psycopg://postgres@/postgres?host=/s", "t_1")
        == "postgresql://postgres@/t_1?host=/s"
    )
