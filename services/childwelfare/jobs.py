"""Scheduled work: the overdue-visit scan that publishes ``civic.childwelfare.child-visit-overdue``.

Set-based (DESIGN §2): per category in the visit programme, one indexed range over
``child.visit_anchor_on`` (``ix_child_category_anchor_id``) below ``kit.visits.overdue_cutoff`` finds the
overdue minors; Python only loops over those rows to build their events. The level (village → town →
district after the policy's days) is a CASE over the same cutoffs, so a child already announced at
its current level is left out by the query (``NOT EXISTS`` on ``overdue_notice``). Each page is read
and its payloads built in a read-only transaction; only the notice and outbox inserts run in the write
transaction (``scan_pages(read_apart=True)``), so a relay in a process of its own is not locked out.

Once per child, period and level, across restarts and replicas: the event id is deterministic
(``kit.visits.overdue_event_id``). It is the primary key of ``overdue_notice`` (written by
``kit.overdue_notices``, shared with eldercare's scan: a replica that loses the race gets no row back
and stages nothing), the outbox primary key, and the ``Nats-Msg-Id`` JetStream de-duplicates on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from operator import attrgetter

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import network, queries, rules
from services.childwelfare.events import CHILD_VISIT_OVERDUE, ChildVisitOverdue
from services.childwelfare.models import Child, OverdueNotice
from services.childwelfare.rules import Clock, OverdueCutoffs, ProtectionCategory, VisitPolicy
from services.kit import overdue_notices
from services.kit.db import Database
from services.kit.idcard import mask_id_number
from services.kit.outbox_bulk import Staged, stage_events
from services.kit.overdue_notices import Announced
from services.kit.overdue_scan import ScanResult, scan_job, scan_pages
from services.kit.service import Job, ServiceContext, interval_from_env
from services.kit.visits import Cadence, Escalation

log = logging.getLogger(__name__)

SCAN_INTERVAL_ENV = "CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 3600.0
# Rows per transaction: bounds lock time and statement size (notice insert: 8 values per row).
PAGE_SIZE = 1000


@dataclass(frozen=True)
class _Overdue:
    """One overdue row of the scan (``kit.overdue_notices.OverdueRow``)."""

    person_id: str  # the child's id
    id_number: str
    region_code: str
    anchor: date


def scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S`` or one hour."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


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
            col(OverdueNotice.level) == overdue_notices.level_sql(anchor, cutoffs),
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


@dataclass(frozen=True)
class _Prepared:
    """An overdue row of a page with the notice and event announcing it would write."""

    person_id: str
    anchor: date
    region_code: str
    announced: Announced[_Overdue]
    staged: Staged


async def _prepared_page(
    session: AsyncSession,
    *,
    category: ProtectionCategory,
    cutoffs: OverdueCutoffs,
    cadence: Cadence,
    escalation: Escalation,
    today: date,
    now: datetime,
    after: tuple[date, str] | None,
    limit: int,
) -> list[_Prepared]:
    """A page of overdue children with their notices and payloads, in page order; read-only.

    Everything but the two inserts happens here, in the page's read transaction, so the write
    transaction (``_announce``) is short: on SQLite the relay, in a process of its own, gets the write
    lock between pages instead of after the scan.
    """
    rows = await _overdue_page(
        session, category=category, cutoffs=cutoffs, today=today, after=after, limit=limit
    )
    if not rows:
        return []
    found = overdue_notices.candidates(
        rows, event_type=CHILD_VISIT_OVERDUE.type, cadence=cadence, escalation=escalation, today=today
    )
    members = await network.current_members(
        session, region_codes=[r.region_code for r in rows] + [r.region_code[:9] for r in rows]
    )
    by_child = {a.row.person_id: a for a in found}
    page = []
    for row in rows:  # page order: the scan's keyset is the last row's (anchor, id)
        notice = by_child[row.person_id]
        status = notice.status
        assert status.level is not None  # candidates() refuses rows that are not overdue
        director, supervisor = members.get(row.region_code), members.get(row.region_code[:9])
        payload = ChildVisitOverdue(
            child_id=row.person_id,
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
        staged = Staged(notice.event_id, payload, subject=row.person_id, region=row.region_code)
        page.append(_Prepared(row.person_id, row.anchor, row.region_code, notice, staged))
    return page


async def _announce(session: AsyncSession, page: Sequence[_Prepared], *, now: datetime) -> int:
    """Record the page's notices, skipping those already there, and stage the new ones' events."""
    table = OverdueNotice.__table__  # type: ignore[attr-defined]
    # Event-id order, as candidates() gives it: concurrent replicas take their row locks in one order.
    found = sorted((p.announced for p in page), key=attrgetter("event_id"))
    new = await overdue_notices.insert_new(session, table, "child_id", found, now=now)
    if not new:
        return 0
    staged_of = {p.announced.event_id: p.staged for p in page}
    # Same transaction as the notices: both commit or neither (the outbox pattern).
    return await stage_events(session, CHILD_VISIT_OVERDUE, [staged_of[a.event_id] for a in new], now=now)


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
    result = ScanResult()
    for category, cadence in policy.cadences_on(today).items():
        escalation = policy.escalation(category, today)
        result += await scan_pages(
            db,
            read_page=partial(
                _prepared_page,
                category=category,
                cutoffs=rules.overdue_cutoffs(today, cadence, escalation),
                cadence=cadence,
                escalation=escalation,
                today=today,
                now=now,
            ),
            announce=partial(_announce, now=now),
            page_size=page_size,
            on_commit=on_commit,
            read_apart=True,
        )
    return result


def overdue_scan_job(ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy, interval_s: float) -> Job:
    """The overdue scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def scan(now: datetime, on_commit: Callable[[], None]) -> ScanResult:
        return await scan_overdue(ctx.db, policy=policy, now=now, on_commit=on_commit)

    return scan_job(ctx, name="childwelfare-overdue-scan", interval_s=interval_s, scan=scan, clock=clock)
