"""Async database engines, the unit of work, and alembic migrations applied at start.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every transaction starts
with ``BEGIN IMMEDIATE``: a deferred transaction that later upgrades to a write ignores the busy
timeout and fails with "database is locked" under concurrent writers. PostgreSQL runs on psycopg 3.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_BEGIN_OPTION = "sqlite_begin"


def is_sqlite(url: str) -> bool:
    """True when the URL names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """An async engine for SQLite (aiosqlite) or PostgreSQL (psycopg 3), configured for this platform."""
    if is_sqlite(url):
        db_path = make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        url,
        echo=echo,
        # Error messages and logs must not carry bound values: they include ID numbers.
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see the "begin" hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front; read-only sessions (Database.read) begin DEFERRED so
        # they read the WAL snapshot without waiting behind writers.
        mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


class Database:
    """One service's engine and sessions; ``unit_of_work`` is the only place that commits."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine = create_engine(url, echo=echo)
        self.sessions = session_factory(self.engine)
        self._write_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    @property
    def is_sqlite(self) -> bool:
        """True on the embedded SQLite default."""
        return is_sqlite(self.url)

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        """On SQLite, wait for this process's other writers here, first come first served.

        SQLite has one writer at a time, and its busy handler sleeps up to 100 ms between attempts
        however soon the lock frees: under load (alarms ingested while the relay claims and marks
        outbox rows) writers spent more time asleep than writing. An asyncio lock hands the turn on
        at once. Other processes on the same file still meet SQLite's busy timeout, and so does a
        writer here after as long a wait.
        """
        if not self.is_sqlite:
            yield
            return
        loop = asyncio.get_running_loop()
        if self._write_lock is None or self._write_lock[0] is not loop:
            self._write_lock = (loop, asyncio.Lock())
        lock = self._write_lock[1]
        async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
            await lock.acquire()
        try:
            yield
        finally:
            lock.release()

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session whose changes (state and outbox rows alike) commit together or not at all."""
        async with self._writer(), self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection in a transaction that commits on success (set-based writes, no ORM)."""
        async with self._writer(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; it never commits (and on SQLite does not wait for writers)."""
        async with self.sessions() as session:
            try:
                if self.is_sqlite:
                    await session.connection(execution_options={SQLITE_BEGIN_OPTION: "DEFERRED"})
                yield session
            finally:
                await session.rollback()

    async def ping(self) -> None:
        """Raise unless the database answers (readiness)."""
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def migrate(self, script_location: Path) -> None:
        """Bring the schema to the newest revision of the service's alembic history."""
        await migrate(self.engine, script_location)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def migrate(
    engine: AsyncEngine, script_location: Path, *, revision: str = "head", downgrade: bool = False
) -> None:
    """Run ``alembic upgrade head`` (or to ``revision``; ``downgrade`` to go back to it) on the engine's
    connection (alembic's connection-sharing recipe)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))

    def _upgrade(sync_conn: Connection) -> None:
        cfg.attributes["connection"] = sync_conn
        (command.downgrade if downgrade else command.upgrade)(cfg, revision)

    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table (create, copy, drop, rename): dropping one that other
            # tables reference fails with foreign keys on, and SQLite ignores the pragma inside a
            # transaction. Off for the migration, checked before it commits (alembic's batch docs).
            await conn.run_sync(_sqlite_foreign_keys, on=False)
        try:
            async with conn.begin():
                if not sqlite:
                    # Replicas starting together must not migrate at once; the lock ends with the
                    # transaction.
                    await conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
                await conn.run_sync(_upgrade)
                if sqlite:
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                await conn.run_sync(_sqlite_foreign_keys, on=True)
    log.info("schema at %s (%s)", revision, script_location)


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """Set SQLite's foreign_keys pragma on the connection's driver connection, outside any transaction."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()


async def plan_each_statement(session: AsyncSession) -> None:
    """PostgreSQL: plan every statement of the session's transaction for its own parameters.

    psycopg prepares a statement once it has run 5 times, and PostgreSQL may then switch to a generic
    plan, made without the parameters: for a statement over one chunk of a keyset range (``id > :after
    AND id <= :upper``) it cannot know the range holds 20,000 rows of 1,000,000 and plans for far more.
    Batch jobs that repeat a statement per chunk call this at the start of each chunk's transaction
    where a generic plan was measured to hurt (relief's re-classification at 1M households: every chunk
    after the 10th ran 2–9× slower); where the generic plan serves, planning every chunk only costs (the
    allowance runs: 1–2 s at a million). SQLite plans every statement anyway: a no-op there.
    """
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


async def commit_without_waiting_for_disk(conn: AsyncConnection) -> None:
    """PostgreSQL: the connection's transaction commits without waiting for its WAL to reach the disk.

    Only for writes that may be lost in a crash of the database server because they are redone anyway
    (the relay's claims and marks: a lost mark republishes the row and JetStream drops the duplicate; a
    lost claim frees the row early). Nothing else waits for their flush, and fewer commits queue on the
    disk's flushes with the ones that must wait (alarms, payments). SQLite: a no-op.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL synchronous_commit = off"))


def insert_ignoring_conflicts(session: AsyncSession, table: Any) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``table`` in the session's dialect (PostgreSQL or SQLite).

    How the platform writes "at most once" rows (escalations, proposals, digests): a unique key decides,
    so concurrent replicas need no lock; add ``.returning(...)`` to learn which rows were new.
    """
    dialect = session.bind.dialect.name if session.bind is not None else ""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing()
