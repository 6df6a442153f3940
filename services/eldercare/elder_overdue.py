"""Scheduled work: the overdue-visit scan that publishes ``civic.eldercare.elder-visit-overdue``.

Set-based (DESIGN §2), the same mechanism as child welfare's scan: one indexed range over
``elder.visit_anchor_on`` (``ix_elder_visit_anchor``) below ``kit.visits.overdue_cutoff`` finds the
overdue vulnerable elders; Python only loops over those rows to build their events. The level
(village → town → district after the policy's days) is a CASE over the same cutoffs, so an elder
already announced at the current level is left out by the query (``NOT EXISTS`` on the notices).

Once per elder, period and level, across restarts and replicas: the event id is deterministic
(``kit.visits.overdue_event_id``). It is the primary key of ``elder_overdue_notice`` (written by
``kit.overdue_notices``, as child welfare's: a replica that loses the race gets no row back and stages
nothing), the outbox primary key, and the ``Nats-Msg-Id`` JetStream de-duplicates on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.elder_rules import (
    CapabilityLevel,
    Clock,
    LivingArrangement,
    OverdueCutoffs,
    Situation,
    VisitPolicy,
    overdue_cutoffs,
    vulnerability_reasons,
)
from services.eldercare.events import ELDER_VISIT_OVERDUE, ElderVisitOverdue
from services.eldercare.models import Elder, ElderOverdueNotice
from services.kit import overdue_notices
from services.kit.db import Database
from services.kit.idcard import mask_id_number
from services.kit.outbox_bulk import Staged, stage_events
from services.kit.overdue_scan import ScanResult, scan_job, scan_pages
from services.kit.periods import china_today
from services.kit.service import Job, ServiceContext, interval_from_env
from services.kit.visits import Cadence, Escalation

SCAN_INTERVAL_ENV = "ELDERCARE_OVERDUE_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 3600.0
JOB_NAME = "eldercare-elder-overdue-scan"
# Rows per transaction: bounds lock time and statement size (notice insert: 8 values per row).
PAGE_SIZE = 1000


@dataclass(frozen=True)
class _Overdue:
    """One overdue row of the scan, with what the event says about why the elder is visited."""

    person_id: str  # the elder's id (kit.overdue_notices.OverdueRow)
    id_number: str
    region_code: str
    anchor: date
    living_arrangement: str
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    capability_level: str | None


def scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$ELDERCARE_OVERDUE_SCAN_INTERVAL_S`` or one hour."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


async def _overdue_page(
    session: AsyncSession, *, cutoffs: OverdueCutoffs, after: tuple[date, str] | None, limit: int
) -> list[_Overdue]:
    """Overdue vulnerable elders not yet announced at their current level, in (anchor, id) order."""
    anchor = col(Elder.visit_anchor_on)
    announced = (
        select(ElderOverdueNotice.id)
        .where(
            col(ElderOverdueNotice.elder_id) == col(Elder.id),
            col(ElderOverdueNotice.anchor_on) == anchor,
            col(ElderOverdueNotice.level) == overdue_notices.level_sql(anchor, cutoffs),
        )
        .exists()
    )
    stmt = select(
        Elder.id,
        Elder.id_number,
        Elder.region_code,
        Elder.visit_anchor_on,
        Elder.living_arrangement,
        Elder.widowed_childless,
        Elder.left_behind,
        Elder.special_family,
        Elder.capability_level,
    ).where(anchor < cutoffs.village, col(Elder.deceased_on).is_(None), sa.not_(announced))
    if after is not None:
        # A row-value bound: both databases seek straight to it in ix_elder_visit_anchor.
        stmt = stmt.where(sa.tuple_(anchor, col(Elder.id)) > sa.tuple_(*after))
    stmt = stmt.order_by(anchor, col(Elder.id)).limit(limit)
    return [_Overdue(*row) for row in (await session.exec(stmt)).all()]


def _payload(notice: overdue_notices.Announced[_Overdue], *, now: datetime) -> ElderVisitOverdue:
    row, status = notice.row, notice.status
    assert status.level is not None  # the query selected overdue rows only
    level = row.capability_level
    situation = Situation(
        living_arrangement=LivingArrangement(row.living_arrangement),
        widowed_childless=row.widowed_childless,
        left_behind=row.left_behind,
        special_family=row.special_family,
        capability_level=CapabilityLevel(level) if level else None,
    )
    return ElderVisitOverdue(
        elder_id=row.person_id,
        elder_id_masked=mask_id_number(row.id_number),
        region_code=row.region_code,
        at=now,
        town_code=row.region_code[:9],
        due_on=status.due,
        days_overdue=status.days_overdue,
        escalation_level=status.level,
        period=status.period_key,
        reasons=list(vulnerability_reasons(situation)),
    )


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
    table = ElderOverdueNotice.__table__  # type: ignore[attr-defined]
    new = await overdue_notices.record_new(
        session,
        table,
        "elder_id",
        rows,
        event_type=ELDER_VISIT_OVERDUE.type,
        cadence=cadence,
        escalation=escalation,
        today=today,
        now=now,
    )
    staged = [
        Staged(n.event_id, _payload(n, now=now), subject=n.row.person_id, region=n.row.region_code)
        for n in new
    ]
    # Same transaction as the notices: both commit or neither (the outbox pattern).
    await stage_events(session, ELDER_VISIT_OVERDUE, staged, now=now)
    return len(staged)


async def scan_overdue(
    db: Database,
    *,
    policy: VisitPolicy,
    now: datetime,
    page_size: int = PAGE_SIZE,
    on_commit: Callable[[], None] | None = None,
) -> ScanResult:
    """Publish elder-visit-overdue for every overdue vulnerable elder not yet announced at its level."""
    today = china_today(now)
    cadence = policy.cadence_on(today)
    if cadence is None:
        return ScanResult()
    escalation = policy.escalation_on(today)
    return await scan_pages(
        db,
        read_page=partial(_overdue_page, cutoffs=overdue_cutoffs(today, cadence, escalation)),
        announce=partial(_announce, cadence=cadence, escalation=escalation, today=today, now=now),
        page_size=page_size,
        on_commit=on_commit,
    )


def overdue_scan_job(ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy, interval_s: float) -> Job:
    """The overdue scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def scan(now: datetime, on_commit: Callable[[], None]) -> ScanResult:
        return await scan_overdue(ctx.db, policy=policy, now=now, on_commit=on_commit)

    return scan_job(ctx, name=JOB_NAME, interval_s=interval_s, scan=scan, clock=clock)
