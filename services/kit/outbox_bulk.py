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


# PostgreSQL: the varying columns as one JSON array of rows, the rest once; psycopg's executemany would
# send one INSERT per row, and text[] parameters make psycopg check every element for characters to
# quote with a regular expression in Python (a sixth of the scan's Python time). json.dumps is C.
_INSERT_PG = sa.text(
    "INSERT INTO outbox (id, subject, region, data, nats_subject, type, source, traceparent, created_at, "
    "published_at, claimed_until, attempts, last_error) "
    "SELECT r.v->>0, r.v->>1, r.v->>2, r.v->>3, CAST(:nats_subject AS varchar), CAST(:type AS varchar), "
    "CAST(:source AS varchar), r.v->>4, CAST(:created_at AS timestamptz), NULL, NULL, 0, NULL "
    "FROM json_array_elements(CAST(:rows AS json)) AS r(v)"
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
        # id, subject, region, data, traceparent: the order of the r.v->>i in _INSERT_PG.
        packed = json.dumps([(row[0], row[4], row[5], row[6], row[7]) for row in rows], ensure_ascii=False)
        await conn.execute(_INSERT_PG, {"rows": packed, **shared, "created_at": now})
    else:
        await sqlite_bulk.insert_rows(conn, OutboxEvent.__table__, _COLUMNS, rows)  # type: ignore[attr-defined]
    return len(rows)
