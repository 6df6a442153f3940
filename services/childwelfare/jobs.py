"""Scheduled work: the overdue-visit scan that publishes ``civic.childwelfare.child-visit-overdue``.

Set-based (DESIGN §2): per category in the visit programme, one indexed range over
``child.visit_anchor_on`` (``ix_child_category_anchor_id``) below ``kit.visits.overdue_cutoff`` finds the
overdue minors; Python only loops over those rows to build their events. The level (village → town →
district after the policy's days) is a CASE over the same cutoffs, so a child already announced at
its current level is left out by the query (``NOT EXISTS`` on ``overdue_notice``).

Once per child, period and level, across restarts and replicas: the event id is deterministic
(``kit.visits.overdue_event_id``). It is the primary key of ``overdue_notice`` (inserted with
``ON CONFLICT DO NOTHING … RETURNING``: a replica that loses the race gets no row back and stages
nothing), the outbox primary key, and the ``Nats-Msg-Id`` JetStream de-duplicates on. The notice
outlives the outbox row, which housekeeping prunes days after publishing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import network, queries, rules
from services.childwelfare.events import CHILD_VISIT_OVERDUE, ChildVisitOverdue
from services.childwelfare.models import Child, OverdueNotice
from services.childwelfare.rules import Clock, OverdueCutoffs, ProtectionCategory, VisitPolicy
from services.kit import sqlite_bulk, visits
from services.kit.db import Database
from services.kit.idcard import mask_id_number
from services.kit.outbox_bulk import Staged, stage_events
from services.kit.service import Job, ServiceContext, interval_from_env
from services.kit.visits import Cadence, Escalation

log = logging.getLogger(__name__)

SCAN_INTERVAL_ENV = "CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 3600.0
# Rows per transaction: bounds lock time and statement size (notice insert: 8 values per row).
PAGE_SIZE = 1000


@dataclass(frozen=True)
class ScanResult:
    """What one scan did: overdue children not yet announced at their level, and events staged."""

    found: int = 0
    published: int = 0


@dataclass(frozen=True)
class _Overdue:
    """One overdue row of the scan."""

    child_id: str
    id_number: str
    region_code: str
    anchor: date


def scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S`` or one hour."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


def _level_of(anchor: sa.ColumnElement[date], cutoffs: OverdueCutoffs) -> sa.ColumnElement[str]:
    """``OverdueCutoffs.level`` in SQL (for rows already known to be overdue)."""
    return sa.case(
        (anchor < cutoffs.district, sa.literal("district")),
        (anchor < cutoffs.town, sa.literal("town")),
        else_=sa.literal("village"),
    )


async def _overdue_page(
    session: AsyncSession,
    *,
    category: ProtectionCategory,
    cutoffs: OverdueCutoffs,
    today: date,
    after: tuple[date, str] | None,
    limit: int,
) -> list[_Overdue]:
    """Overdue minors of one category not yet announced at their current level, in (anchor, id) order."""
    anchor = col(Child.visit_anchor_on)
    announced = (
        select(OverdueNotice.id)
        .where(
            col(OverdueNotice.child_id) == col(Child.id),
            col(OverdueNotice.anchor_on) == anchor,
            col(OverdueNotice.level) == _level_of(anchor, cutoffs),
        )
        .exists()
    )
    stmt = select(Child.id, Child.id_number, Child.region_code, Child.visit_anchor_on).where(
        col(Child.category) == category.value,
        anchor < cutoffs.village,
        queries.is_minor(today),
        sa.not_(announced),
    )
    if after is not None:
        # A row-value bound, not "a > x OR (a = x AND id > y)": both databases seek straight to it in
        # ix_child_category_anchor_id, where the OR made every page rescan the category from the start.
        stmt = stmt.where(sa.tuple_(anchor, col(Child.id)) > sa.tuple_(*after))
    stmt = stmt.order_by(anchor, col(Child.id)).limit(limit)
    return [_Overdue(*row) for row in (await session.exec(stmt)).all()]


# PostgreSQL: the page's notices as arrays, one short statement. The executemany below would send a
# multi-row INSERT of 8,000 placeholders, which psycopg re-parses in Python for every page.
_INSERT_NOTICES_PG = sa.text(
    "INSERT INTO overdue_notice (id, child_id, period, level, anchor_on, due_on, region_code, notified_at) "
    "SELECT n.*, CAST(:notified_at AS timestamptz) FROM unnest(CAST(:id AS varchar[]), "
    "CAST(:child_id AS varchar[]), CAST(:period AS varchar[]), CAST(:level AS varchar[]), "
    "CAST(:anchor_on AS date[]), CAST(:due_on AS date[]), CAST(:region_code AS varchar[])) AS n "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)
_NOTICE_COLUMNS = ("id", "child_id", "period", "level", "anchor_on", "due_on", "region_code", "notified_at")


@dataclass(frozen=True)
class _Notice:
    """An overdue row with its status and the id of its notice (= its event)."""

    event_id: str
    row: _Overdue
    status: visits.VisitStatus

    def values(self, now: datetime) -> tuple[Any, ...]:
        """In ``_NOTICE_COLUMNS`` order."""
        s, r = self.status, self.row
        return (self.event_id, r.child_id, s.period_key, s.level, r.anchor, s.due, r.region_code, now)


async def _insert_new_notices(
    session: AsyncSession, notices: Sequence[_Notice], *, now: datetime
) -> set[str]:
    """Insert the notices, skipping ids already there (another scan or replica); the ids inserted."""
    conn = await session.connection()
    values = [n.values(now) for n in notices]
    if conn.dialect.name == "postgresql":
        params: dict[str, Any] = {
            name: [v[i] for v in values] for i, name in enumerate(_NOTICE_COLUMNS) if name != "notified_at"
        }
        return {row[0] for row in await conn.execute(_INSERT_NOTICES_PG, {**params, "notified_at": now})}
    table = OverdueNotice.__table__  # type: ignore[attr-defined]
    return set(
        await sqlite_bulk.insert_new_returning(
            conn, table, _NOTICE_COLUMNS, values, conflict=("id",), returning="id"
        )
    )


async def _announce(
    session: AsyncSession,
    rows: Sequence[_Overdue],
    *,
    category: ProtectionCategory,
    cadence: Cadence,
    escalation: Escalation,
    today: date,
    now: datetime,
) -> int:
    """Record a notice and stage an event for each row not announced yet; how many were staged."""
    # A page is in anchor order, so its rows share few anchors: one status per anchor.
    status_of: dict[date, visits.VisitStatus] = {}
    notices: list[_Notice] = []
    event_type = CHILD_VISIT_OVERDUE.type
    for row in rows:
        status = status_of.get(row.anchor)
        if status is None:
            status = status_of[row.anchor] = visits.visit_status(
                None, row.anchor, cadence, escalation, today=today
            )
        assert status.level is not None  # the query selected overdue rows only
        event_id = visits.overdue_event_id(event_type, row.child_id, status.period_key, status.level)
        notices.append(_Notice(event_id, row, status))
    # One order for every replica, so concurrent inserts take their row locks in the same order.
    notices.sort(key=attrgetter("event_id"))
    inserted = await _insert_new_notices(session, notices, now=now)
    if not inserted:
        return 0
    members = await network.current_members(
        session, region_codes=[r.region_code for r in rows] + [r.region_code[:9] for r in rows]
    )
    staged: list[Staged] = []
    for notice in notices:
        if notice.event_id not in inserted:
            continue
        row, status = notice.row, notice.status
        director, supervisor = members.get(row.region_code), members.get(row.region_code[:9])
        payload = ChildVisitOverdue(
            child_id=row.child_id,
            child_id_masked=mask_id_number(row.id_number),
            region_code=row.region_code,
            category=category,
            at=now,
            town_code=row.region_code[:9],
            due_on=status.due,
            days_overdue=status.days_overdue,
            escalation_level=status.level,
            director_subject=director.subject if director is not None else None,
            supervisor_subject=supervisor.subject if supervisor is not None else None,
            period=status.period_key,
        )
        staged.append(Staged(notice.event_id, payload, subject=row.child_id, region=row.region_code))
    # Same transaction as the notices: both commit or neither (the outbox pattern).
    await stage_events(session, CHILD_VISIT_OVERDUE, staged, now=now)
    return len(inserted)


async def scan_overdue(
    db: Database,
    *,
    policy: VisitPolicy,
    now: datetime,
    page_size: int = PAGE_SIZE,
    on_commit: Callable[[], None] | None = None,
) -> ScanResult:
    """Publish child-visit-overdue for every overdue child not yet announced at its level, as of ``now``."""
    today = rules.china_today(now)
    found = published = 0
    for category, cadence in policy.cadences_on(today).items():
        escalation = policy.escalation(category, today)
        cutoffs = rules.overdue_cutoffs(today, cadence, escalation)
        after: tuple[date, str] | None = None
        while True:
            async with db.unit_of_work() as session:
                rows = await _overdue_page(
                    session, category=category, cutoffs=cutoffs, today=today, after=after, limit=page_size
                )
                staged = 0
                if rows:
                    staged = await _announce(
                        session,
                        rows,
                        category=category,
                        cadence=cadence,
                        escalation=escalation,
                        today=today,
                        now=now,
                    )
            found, published = found + len(rows), published + staged
            if staged and on_commit is not None:
                on_commit()
            if len(rows) < page_size:
                break
            after = (rows[-1].anchor, rows[-1].child_id)
    return ScanResult(found=found, published=published)


def overdue_scan_job(ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy, interval_s: float) -> Job:
    """The overdue scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def run() -> ScanResult:
        result = await scan_overdue(ctx.db, policy=policy, now=clock(), on_commit=ctx.notify_outbox)
        if result.published:
            log.info("overdue scan: %d overdue, %d events staged", result.found, result.published)
        return result

    return Job(name="childwelfare-overdue-scan", interval_s=interval_s, run=run)
