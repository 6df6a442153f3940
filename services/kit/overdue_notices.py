"""The notices of an overdue-visit scan: one row per person, period and escalation level, written once.

Every service whose visits can be overdue (``kit.visits``) keeps a notice table of the same shape:
``id`` (the event id, ``kit.visits.overdue_event_id``), the person's row id, ``period``, ``level``,
``anchor_on``, ``due_on``, ``region_code``, ``notified_at``. The notice id is also the outbox key and
the ``Nats-Msg-Id``, so a scan re-run, a restart or a second replica inserts nothing new (``ON CONFLICT
DO NOTHING … RETURNING id``: the loser gets no id back and stages no event). The notice outlives the
outbox row, which housekeeping prunes days after publishing.

A scan's page query finds the overdue people not yet announced at their level (``level_sql``: the
level as a SQL ``CASE`` over ``OverdueCutoffs``, in an anti-join on the notice table); ``record_new``
then writes their notices and returns those that were new, for the caller to stage their events in the
same transaction (the payloads are the service's own).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Generic, Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import sqlite_bulk
from services.kit.visits import (
    Cadence,
    Escalation,
    OverdueCutoffs,
    VisitStatus,
    overdue_event_id,
    visit_status,
)


class OverdueRow(Protocol):
    """What a scan's page query returns per overdue person (more fields are the caller's own)."""

    @property
    def person_id(self) -> str: ...
    @property
    def anchor(self) -> date: ...
    @property
    def region_code(self) -> str: ...


R = TypeVar("R", bound=OverdueRow)


@dataclass(frozen=True)
class Announced(Generic[R]):
    """A row whose notice was new: its event id (= notice id) and visit status, for its payload."""

    event_id: str
    row: R
    status: VisitStatus


async def record_new(
    session: AsyncSession,
    table: sa.Table,
    person_column: str,
    rows: Sequence[R],
    *,
    event_type: str,
    cadence: Cadence,
    escalation: Escalation,
    today: date,
    now: datetime,
) -> list[Announced[R]]:
    """Write a notice for each overdue row (skipping those already there); the rows that were new.

    ``person_column`` names the table's column for the person (``child_id``, ``elder_id``, …).
    """
    found = candidates(rows, event_type=event_type, cadence=cadence, escalation=escalation, today=today)
    return await insert_new(session, table, person_column, found, now=now)


def candidates(
    rows: Sequence[R], *, event_type: str, cadence: Cadence, escalation: Escalation, today: date
) -> list[Announced[R]]:
    """Each overdue row with its visit status and event id (= notice id), in event-id order.

    The first half of ``record_new``, apart for a scan that builds its payloads before it takes the
    write lock (``insert_new`` is the second half).
    """
    # A page is in anchor order, so its rows share few anchors: one status per anchor.
    status_of: dict[date, VisitStatus] = {}
    found: list[Announced[R]] = []
    for row in rows:
        status = status_of.get(row.anchor)
        if status is None:
            status = status_of[row.anchor] = visit_status(None, row.anchor, cadence, escalation, today=today)
        if status.level is None:
            raise ValueError(
                f"{row.person_id} is not overdue on {today}: the page query and the rules disagree"
            )
        event_id = overdue_event_id(event_type, row.person_id, status.period_key, status.level)
        found.append(Announced(event_id, row, status))
    # One order for every replica, so concurrent inserts take their row locks in the same order.
    found.sort(key=attrgetter("event_id"))
    return found


async def insert_new(
    session: AsyncSession,
    table: sa.Table,
    person_column: str,
    found: Sequence[Announced[R]],
    *,
    now: datetime,
) -> list[Announced[R]]:
    """Write the notices of ``found`` (from ``candidates``), skipping those already there; the new ones."""
    inserted = await _insert_new(session, table, person_column, found, now=now)
    return [a for a in found if a.event_id in inserted]


def level_sql(anchor: sa.ColumnElement[date], cutoffs: OverdueCutoffs) -> sa.ColumnElement[str]:
    """``OverdueCutoffs.level`` in SQL, for rows the query already knows to be overdue."""
    return sa.case(
        (anchor < cutoffs.district, sa.literal("district")),
        (anchor < cutoffs.town, sa.literal("town")),
        else_=sa.literal("village"),
    )


def _columns(person_column: str) -> tuple[str, ...]:
    return ("id", person_column, "period", "level", "anchor_on", "due_on", "region_code", "notified_at")


def _insert_pg(table: sa.Table, person_column: str) -> sa.TextClause:
    # The page's notices as one JSON array of rows in one short statement: an executemany would send a
    # multi-row INSERT of 8,000 placeholders, which psycopg re-parses in Python for every page, and
    # array parameters make psycopg run a regular expression over every element (json.dumps is C).
    return sa.text(
        f"INSERT INTO {table.name} ({', '.join(_columns(person_column))}) "
        "SELECT r.v->>0, r.v->>1, r.v->>2, r.v->>3, CAST(r.v->>4 AS date), CAST(r.v->>5 AS date), "
        "r.v->>6, CAST(:notified_at AS timestamptz) FROM json_array_elements(CAST(:rows AS json)) AS r(v) "
        "ON CONFLICT (id) DO NOTHING RETURNING id"
    )


async def _insert_new(
    session: AsyncSession,
    table: sa.Table,
    person_column: str,
    notices: Sequence[Announced[Any]],
    *,
    now: datetime,
) -> set[str]:
    """Insert the notices into ``table``, skipping ids already there; the ids that were inserted."""
    if not notices:
        return set()
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        packed = json.dumps(
            [
                (
                    n.event_id,
                    n.row.person_id,
                    n.status.period_key,
                    n.status.level,
                    n.row.anchor.isoformat(),
                    n.status.due.isoformat(),
                    n.row.region_code,
                )
                for n in notices
            ],
            ensure_ascii=False,
        )
        params: dict[str, Any] = {"rows": packed, "notified_at": now}
        return {row[0] for row in await conn.execute(_insert_pg(table, person_column), params)}
    rows = [
        (
            n.event_id,
            n.row.person_id,
            n.status.period_key,
            n.status.level,
            n.row.anchor,
            n.status.due,
            n.row.region_code,
            now,
        )
        for n in notices
    ]
    inserted = await sqlite_bulk.insert_new_returning(
        conn, table, _columns(person_column), rows, conflict=("id",), returning="id"
    )
    return set(inserted)
