"""Scheduled work: the overdue care-visit scan that publishes ``civic.relief.household-visit-overdue``.

The same mechanism as eldercare's ``elder_overdue`` (DESIGN §2, set-based): first the visit clocks are
brought in step with the grants (``sync_clocks``: a clock for each household holding a programme, none
for the others, the strictest programme's cadence), then per programme one indexed range over
``relief_care_clock`` (``ix_relief_care_clock_anchor``) below ``kit.visits.overdue_cutoff`` finds the
overdue households; Python only loops over those rows to build their events. The level (village → town
→ district after the policy's days) is a CASE over the same cutoffs, so a household already announced
at its current level is left out by the query (``NOT EXISTS`` on the notices).

Once per household, period and level, across restarts and replicas: the event id is deterministic
(``kit.visits.overdue_event_id``); it is the primary key of ``relief_overdue_notice`` (written by
``kit.overdue_notices``: a replica that loses the race gets no row back and stages nothing), the outbox
primary key and the ``Nats-Msg-Id`` JetStream de-duplicates on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import overdue_notices
from services.kit.db import Database
from services.kit.outbox_bulk import Staged, stage_events
from services.kit.overdue_scan import ScanResult, scan_job, scan_pages
from services.kit.periods import china_today
from services.kit.service import Job, ServiceContext, interval_from_env
from services.kit.visits import Cadence, Escalation, OverdueCutoffs, overdue_cutoffs
from services.relief.application_rules import OPEN_GRANT_STATUSES
from services.relief.care_rules import CarePolicy, programme_order
from services.relief.clock import Clock
from services.relief.events import HOUSEHOLD_VISIT_OVERDUE, HouseholdVisitOverdue
from services.relief.models import AssistanceGrant, ReliefCareClock, ReliefOverdueNotice, ReliefVisit

SCAN_INTERVAL_ENV = "RELIEF_CARE_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 3600.0
JOB_NAME = "relief-care-overdue-scan"
# Rows per transaction: bounds lock time and statement size (notice insert: 8 values per row).
PAGE_SIZE = 1000
OPEN = [s.value for s in OPEN_GRANT_STATUSES]


@dataclass(frozen=True)
class _Overdue:
    """One overdue household of the scan (kit.overdue_notices.OverdueRow)."""

    person_id: str  # the household's id
    region_code: str
    anchor: date
    programme: str


def scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$RELIEF_CARE_SCAN_INTERVAL_S`` or one hour."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


async def sync_clocks(session: AsyncSession, *, order: Sequence[str], now: datetime) -> None:
    """Clocks for households holding a programme (the strictest in ``order``), none for the others."""
    clock, grant = ReliefCareClock, AssistanceGrant
    held = sa.and_(col(grant.household_id) == col(clock.household_id), col(grant.status).in_(OPEN))
    await session.exec(
        sa.delete(clock)
        .where(~select(grant.id).where(held).exists())
        .execution_options(synchronize_session=False)
    )
    rank = sa.case(*((col(grant.programme) == p, i) for i, p in enumerate(order)), else_=len(order))

    def programme_of(best: sa.ColumnElement[int]) -> sa.ColumnElement[str]:
        return sa.case(*((best == i, p) for i, p in enumerate(order)), else_=order[-1])

    strictest = select(programme_of(sa.func.min(rank))).where(held).scalar_subquery()
    await session.exec(
        sa.update(clock)
        .where(col(clock.programme) != strictest)
        .values(programme=strictest, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await _insert_new_clocks(session, programme_of=programme_of, rank=rank, now=now)


async def _insert_new_clocks(
    session: AsyncSession,
    *,
    programme_of: Callable[[sa.ColumnElement[int]], sa.ColumnElement[str]],
    rank: sa.ColumnElement[int],
    now: datetime,
) -> None:
    clock, grant = ReliefCareClock, AssistanceGrant
    has_clock = select(clock.household_id).where(col(clock.household_id) == col(grant.household_id)).exists()
    opened = (
        select(
            col(grant.household_id).label("household_id"),
            sa.func.max(grant.region_code).label("region_code"),
            sa.func.min(rank).label("best"),
            sa.func.min(grant.effective_from).label("enrolled_on"),
        )
        .where(col(grant.status).in_(OPEN), ~has_clock)
        .group_by(col(grant.household_id))
        .subquery()
    )
    last = (
        select(sa.func.max(ReliefVisit.visited_on))
        .where(col(ReliefVisit.household_id) == opened.c.household_id)
        .scalar_subquery()
    )
    new = select(
        opened.c.household_id,
        opened.c.region_code,
        programme_of(opened.c.best).label("programme"),
        opened.c.enrolled_on,
        last.label("last_visit_on"),
    ).subquery()
    later = sa.and_(new.c.last_visit_on.is_not(None), new.c.last_visit_on > new.c.enrolled_on)
    rows = select(
        new.c.household_id,
        new.c.region_code,
        new.c.programme,
        new.c.enrolled_on,
        new.c.last_visit_on,
        sa.case((later, new.c.last_visit_on), else_=new.c.enrolled_on),
        sa.literal(now, sa.DateTime(timezone=True)),
    ).where(sa.true())  # SQLite parses INSERT … SELECT … ON CONFLICT only after a WHERE
    names = ["household_id", "region_code", "programme", "enrolled_on", "last_visit_on", "visit_anchor_on"]
    conn = await session.connection()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # Another replica's scan may insert the same clock meanwhile: keep whichever came first.
    stmt = dialect.insert(clock).from_select([*names, "updated_at"], rows).on_conflict_do_nothing()
    await session.exec(stmt)  # type: ignore[call-overload]


async def _overdue_page(
    session: AsyncSession,
    *,
    programme: str,
    cutoffs: OverdueCutoffs,
    after: tuple[date, str] | None,
    limit: int,
) -> list[_Overdue]:
    """A programme's overdue households not yet announced at their current level, in (anchor, id) order."""
    clock, notice = ReliefCareClock, ReliefOverdueNotice
    anchor = col(clock.visit_anchor_on)
    announced = (
        select(notice.id)
        .where(
            col(notice.household_id) == col(clock.household_id),
            col(notice.anchor_on) == anchor,
            col(notice.level) == overdue_notices.level_sql(anchor, cutoffs),
        )
        .exists()
    )
    stmt = select(clock.household_id, clock.region_code, clock.visit_anchor_on, clock.programme).where(
        col(clock.programme) == programme, anchor < cutoffs.village, sa.not_(announced)
    )
    if after is not None:
        stmt = stmt.where(sa.tuple_(anchor, col(clock.household_id)) > sa.tuple_(*after))
    stmt = stmt.order_by(anchor, col(clock.household_id)).limit(limit)
    return [_Overdue(*row) for row in (await session.exec(stmt)).all()]


async def _announce(
    session: AsyncSession,
    rows: Sequence[_Overdue],
    *,
    cadence: Cadence,
    escalation: Escalation,
    today: date,
    now: datetime,
) -> int:
    """Record a notice and stage an event for each row not announced yet; how many were staged."""
    new = await overdue_notices.record_new(
        session,
        ReliefOverdueNotice.__table__,  # type: ignore[attr-defined]
        "household_id",
        rows,
        event_type=HOUSEHOLD_VISIT_OVERDUE.type,
        cadence=cadence,
        escalation=escalation,
        today=today,
        now=now,
    )
    staged = []
    for n in new:
        assert n.status.level is not None  # the query selected overdue rows only
        payload = HouseholdVisitOverdue(
            household_id=n.row.person_id,
            region_code=n.row.region_code,
            town_code=n.row.region_code[:9],
            programme=n.row.programme,  # type: ignore[arg-type]
            due_on=n.status.due,
            days_overdue=n.status.days_overdue,
            escalation_level=n.status.level,
            period=n.status.period_key,
            at=now,
        )
        staged.append(Staged(n.event_id, payload, subject=n.row.person_id, region=n.row.region_code))
    # Same transaction as the notices: both commit or neither (the outbox pattern).
    await stage_events(session, HOUSEHOLD_VISIT_OVERDUE, staged, now=now)
    return len(staged)


async def scan_overdue(
    db: Database,
    *,
    policy: CarePolicy,
    now: datetime,
    page_size: int = PAGE_SIZE,
    on_commit: Callable[[], None] | None = None,
) -> ScanResult:
    """Publish household-visit-overdue for every overdue relief household not yet announced at its level."""
    today = china_today(now)
    cadences = policy.cadences_on(today)
    escalation = policy.escalation_on(today)
    async with db.unit_of_work() as session:
        await sync_clocks(session, order=programme_order(cadences, today), now=now)
    result = ScanResult()
    for programme, cadence in cadences.items():
        result += await scan_pages(
            db,
            read_page=partial(
                _overdue_page, programme=programme, cutoffs=overdue_cutoffs(today, cadence, escalation)
            ),
            announce=partial(_announce, cadence=cadence, escalation=escalation, today=today, now=now),
            page_size=page_size,
            on_commit=on_commit,
        )
    return result


def overdue_scan_job(ctx: ServiceContext, *, clock: Clock, policy: CarePolicy, interval_s: float) -> Job:
    """The overdue scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def scan(now: datetime, on_commit: Callable[[], None]) -> ScanResult:
        return await scan_overdue(ctx.db, policy=policy, now=now, on_commit=on_commit)

    return scan_job(ctx, name=JOB_NAME, interval_s=interval_s, scan=scan, clock=clock)
