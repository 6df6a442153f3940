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
    # A page is in anchor order, so its rows share few anchors: one status per anchor.
    status_of: dict[date, VisitStatus] = {}
    candidates: list[Announced[R]] = []
    for row in rows:
        status = status_of.get(row.anchor)
        if status is None:
            status = status_of[row.anchor] = visit_status(None, row.anchor, cadence, escalation, today=today)
        if status.level is None:
            raise ValueError(
                f"{row.person_id} is not overdue on {today}: the page query and the rules disagree"
            )
        event_id = overdue_event_id(event_type, row.person_id, status.period_key, status.level)
        candidates.append(Announced(event_id, row, status))
    # One order for every replica, so concurrent inserts take their row locks in the same order.
    candidates.sort(key=attrgetter("event_id"))
    inserted = await _insert_new(session, table, person_column, candidates, now=now)
    return [a for a in candidates if a.event_id in inserted]


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
    # The page's notices as one array per column in one short statement: an executemany would send a
    # multi-row INSERT of 8,000 placeholders, which psycopg re-parses in Python for every page.
    return sa.text(
        f"INSERT INTO {table.name} ({', '.join(_columns(person_column))}) "
        "SELECT n.*, CAST(:notified_at AS timestamptz) FROM unnest(CAST(:id AS varchar[]), "
        "CAST(:person AS varchar[]), CAST(:period AS varchar[]), CAST(:level AS varchar[]), "
        "CAST(:anchor_on AS date[]), CAST(:due_on AS date[]), CAST(:region_code AS varchar[])) AS n "
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
        params: dict[str, Any] = {
            "id": [n.event_id for n in notices],
            "person": [n.row.person_id for n in notices],
            "period": [n.status.period_key for n in notices],
            "level": [n.status.level for n in notices],
            "anchor_on": [n.row.anchor for n in notices],
            "due_on": [n.status.due for n in notices],
            "region_code": [n.row.region_code for n in notices],
            "notified_at": now,
        }
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
