"""Bulk inserts on SQLite at the driver level, for set-based jobs that write tens of thousands of rows.

SQLAlchemy's executemany runs every bound value through Python (a dict per row, a type processor per
value), which costs about as much as everything else such a job does per row. Here each distinct
value is converted once by the column type's own bind processor (so the stored text is exactly what
the ORM writes: dates and times as SQLAlchemy formats them) and the rows go to the driver as tuples.
PostgreSQL has its own path in the callers (one ``INSERT … SELECT … FROM unnest(<arrays>)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

# SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 is 32766; stay well below it.
MAX_PARAMETERS = 30_000


def _converters(
    conn: AsyncConnection, table: sa.Table, columns: Sequence[str]
) -> list[Callable[[Any], Any] | None]:
    dialect = conn.dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _driver_rows(
    converters: Sequence[Callable[[Any], Any] | None], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    converting = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    if not converting:
        return [tuple(row) for row in rows]
    # Rows of a job repeat the same dates and times: convert each distinct value once per column.
    memos: dict[int, dict[Any, Any]] = {i: {} for i, _ in converting}
    out = []
    for row in rows:
        values = list(row)
        for i, convert in converting:
            value = values[i]
            if value is not None:
                memo = memos[i]
                # Equal aware datetimes in different zones hash alike, but SQLite's processor writes
                # the wall time it is given: the zone is part of the key.
                key = (value, value.tzinfo) if isinstance(value, datetime) else value
                converted = memo.get(key)
                if converted is None:
                    converted = memo[key] = convert(value)
                values[i] = converted
        out.append(tuple(values))
    return out


def _statement_head(table: sa.Table, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "


async def insert_rows(
    conn: AsyncConnection, table: sa.Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert ``rows`` (values in ``columns`` order) with one driver executemany; how many rows."""
    if not rows:
        return 0
    placeholders = "(" + ", ".join("?" * len(columns)) + ")"
    await conn.exec_driver_sql(
        _statement_head(table, columns) + placeholders, _driver_rows(_converters(conn, table, columns), rows)
    )
    return len(rows)


async def insert_new_returning(
    conn: AsyncConnection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str],
    returning: str,
) -> list[Any]:
    """Insert ``rows``, skipping those that conflict on ``conflict``; ``returning`` of the rows inserted.

    Multi-row ``VALUES`` statements (the driver's executemany drops what RETURNING returns), as many
    rows each as the parameter limit allows; the text repeats, so sqlite3 prepares it once.
    """
    driver_rows = _driver_rows(_converters(conn, table, columns), rows)
    group = "(" + ", ".join("?" * len(columns)) + ")"
    tail = f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING {returning}"
    per_statement = max(1, MAX_PARAMETERS // len(columns))
    inserted: list[Any] = []
    for start in range(0, len(driver_rows), per_statement):
        chunk = driver_rows[start : start + per_statement]
        sql = _statement_head(table, columns) + ", ".join([group] * len(chunk)) + tail
        result = await conn.exec_driver_sql(sql, tuple(value for row in chunk for value in row))
        inserted.extend(row[0] for row in result)
    return inserted
