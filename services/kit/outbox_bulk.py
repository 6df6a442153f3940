"""Staging many events of one type at once: the outbox rows ``stage_event`` would write, in one insert.

``stage_event`` builds a CloudEvent and an ORM object per event, which costs more than everything
else a set-based job does per row; a job that stages tens of thousands (the overdue scan) inserts
plain rows instead (through ``kit.sqlite_bulk`` on SQLite). The rows are column for column what
``stage_event`` writes (a test holds them side by side), so the relay cannot tell them apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import sqlite_bulk
from services.kit.event_catalog import EventDef, declared_events
from services.kit.outbox import OutboxEvent, payload_json
from services.kit.telemetry import current_traceparent


@dataclass(frozen=True)
class Staged:
    """One event to stage: its (deterministic) id, payload, CloudEvent subject and region.

    ``traceparent``: the trace the event continues, when it is not the current one (a batch written
    for many callers carries each caller's); by default the current span's.
    """

    event_id: str
    payload: BaseModel
    subject: str | None = None
    region: str | None = None
    traceparent: str | None = None


# PostgreSQL: the varying columns as arrays and the rest once; psycopg's executemany would send one
# INSERT per row. The payloads travel as one JSON array: a text[] literal would make psycopg escape
# every quote of every payload in Python.
_INSERT_PG = sa.text(
    "INSERT INTO outbox (id, subject, region, data, nats_subject, type, source, traceparent, created_at, "
    "published_at, claimed_until, attempts, last_error) "
    "SELECT o.id, o.subject, o.region, d.value, CAST(:nats_subject AS varchar), CAST(:type AS varchar), "
    "CAST(:source AS varchar), o.traceparent, CAST(:created_at AS timestamptz), "
    "NULL, NULL, 0, NULL "
    "FROM unnest(CAST(:id AS varchar[]), CAST(:subject AS varchar[]), CAST(:region AS varchar[]), "
    "CAST(:traceparent AS varchar[])) "
    "WITH ORDINALITY AS o(id, subject, region, traceparent, i) "
    "JOIN json_array_elements_text(CAST(:data AS json)) WITH ORDINALITY AS d(value, i) ON d.i = o.i"
)


# The outbox columns a staged row sets; the others are NULL (not published, not claimed, no error).
_COLUMNS = (
    "id",
    "nats_subject",
    "type",
    "source",
    "subject",
    "region",
    "data",
    "traceparent",
    "created_at",
    "attempts",
)


def _rows(event: EventDef, items: Sequence[Staged], now: datetime) -> list[tuple[Any, ...]]:
    """Rows in ``_COLUMNS`` order."""
    if declared_events().get(event.subject) != event:
        raise ValueError(f"{event.subject} is not a declared event (kit.event_catalog.define_event)")
    traceparent = current_traceparent()
    source = f"/minzheng/{event.service}"
    subject, event_type = event.subject, event.type  # computed properties: once, not per row
    payload_type = event.payload
    rows = []
    for item in items:
        if not isinstance(item.payload, payload_type):
            raise TypeError(f"{event.subject} takes a {payload_type.__name__} payload")
        data = payload_json(item.payload)
        rows.append(
            (
                item.event_id,
                subject,
                event_type,
                source,
                item.subject,
                item.region,
                data,
                item.traceparent or traceparent,
                now,
                0,
            )
        )
    return rows


async def stage_events(
    session: AsyncSession, event: EventDef, items: Sequence[Staged], *, now: datetime
) -> int:
    """Add the events to the session's transaction (published only if it commits); how many."""
    rows = _rows(event, items, now)
    if not rows:
        return 0
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        first = dict(zip(_COLUMNS, rows[0], strict=True))
        shared = {name: first[name] for name in ("nats_subject", "type", "source")}
        arrays: dict[str, Any] = {
            "id": [row[0] for row in rows],
            "subject": [row[4] for row in rows],
            "region": [row[5] for row in rows],
            "traceparent": [row[7] for row in rows],
        }
        arrays["data"] = json.dumps([row[6] for row in rows], ensure_ascii=False)
        await conn.execute(_INSERT_PG, {**arrays, **shared, "created_at": now})
    else:
        await sqlite_bulk.insert_rows(conn, OutboxEvent.__table__, _COLUMNS, rows)  # type: ignore[attr-defined]
    return len(rows)
