"""Driver-level bulk inserts on SQLite store what the ORM stores, and report exactly the new rows.

SQLite only by nature (PostgreSQL callers insert from arrays); a real database file, no mocks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.kit import sqlite_bulk
from services.kit.db import Database

METADATA = sa.MetaData()
ROWS = sa.Table(
    "bulk_probe",
    METADATA,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("on_day", sa.Date, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("n", sa.Integer, nullable=False),
)
COLUMNS = ("id", "on_day", "at", "note", "n")
AT = datetime(2024, 2, 29, 23, 59, 58, 120000, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'bulk.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(METADATA.create_all)
    try:
        yield database
    finally:
        await database.dispose()


async def _stored(db: Database) -> dict[str, tuple[object, ...]]:
    async with db.engine.connect() as conn:
        result = await conn.exec_driver_sql("SELECT id, on_day, at, note, n FROM bulk_probe")
        return {row[0]: tuple(row[1:]) for row in result}


async def test_rows_are_stored_as_the_orm_stores_them(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(
            sa.insert(ROWS), [{"id": "orm", "on_day": date(2024, 2, 29), "at": AT, "note": '中文"', "n": 1}]
        )
        written = await sqlite_bulk.insert_rows(
            conn, ROWS, COLUMNS, [("bulk", date(2024, 2, 29), AT, '中文"', 1)]
        )
    assert written == 1
    stored = await _stored(db)
    assert stored["bulk"] == stored["orm"]
    async with db.engine.connect() as conn:
        read = (await conn.execute(sa.select(ROWS.c.on_day, ROWS.c.at).where(ROWS.c.id == "bulk"))).one()
    assert read.on_day == date(2024, 2, 29) and read.at.replace(tzinfo=UTC) == AT


async def test_returning_names_only_new_rows_across_statements(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_bulk, "MAX_PARAMETERS", 2 * len(COLUMNS))  # two rows per statement
    async with db.engine.begin() as conn:
        await sqlite_bulk.insert_rows(conn, ROWS, COLUMNS, [("b", date(2025, 1, 1), AT, None, 0)])
    rows = [(key, date(2025, 1, 1), AT, None, i) for i, key in enumerate("abcde")]
    async with db.engine.begin() as conn:
        new = await sqlite_bulk.insert_new_returning(
            conn, ROWS, COLUMNS, rows, conflict=("id",), returning="id"
        )
    assert sorted(new) == ["a", "c", "d", "e"]
    stored = await _stored(db)
    assert len(stored) == 5 and stored["b"][3] == 0  # the existing row is left as it was


async def test_nothing_to_insert_writes_nothing(db: Database) -> None:
    async with db.engine.begin() as conn:
        assert await sqlite_bulk.insert_rows(conn, ROWS, COLUMNS, []) == 0
        assert (
            await sqlite_bulk.insert_new_returning(conn, ROWS, COLUMNS, [], conflict=("id",), returning="id")
            == []
        )
    assert await _stored(db) == {}


async def test_equal_times_in_other_zones_are_each_written_as_the_orm_writes_them(db: Database) -> None:
    shanghai = AT.astimezone(timezone(timedelta(hours=8), "Asia/Shanghai"))
    assert shanghai == AT  # equal instants, so a memo keyed on the value alone would mix them up
    async with db.engine.begin() as conn:
        await conn.execute(
            sa.insert(ROWS), [{"id": "orm", "on_day": date(2024, 3, 1), "at": shanghai, "note": None, "n": 0}]
        )
        await sqlite_bulk.insert_rows(
            conn,
            ROWS,
            COLUMNS,
            [("utc", date(2024, 3, 1), AT, None, 0), ("sh", date(2024, 3, 1), shanghai, None, 0)],
        )
    stored = await _stored(db)
    assert stored["sh"] == stored["orm"] and stored["sh"] != stored["utc"]
