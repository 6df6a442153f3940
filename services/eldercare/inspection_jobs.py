"""Scheduled work: report each hazard whose rectification is overdue, once (``hazard-overdue``).

Set-based: one indexed range over ``hazard (status, rectify_by)`` finds the overdue hazards not yet
reported, and one ``UPDATE … WHERE overdue_reported_at IS NULL … RETURNING id`` claims them — a replica
that loses the race gets no rows back and stages nothing. The event id is derived from the hazard id, so
it is the outbox primary key and the ``Nats-Msg-Id`` JetStream de-duplicates on: a hazard is reported
once in its life, even if a rejected rectification makes it overdue again (the list still shows it).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from services.eldercare import inspection_rules as ir
from services.eldercare.community_requests import Clock, china_today
from services.eldercare.events import HAZARD_OVERDUE, HazardOverdue
from services.eldercare.inspections import overdue_where
from services.eldercare.models import Hazard
from services.kit.db import Database
from services.kit.outbox import stage_event
from services.kit.service import Job, ServiceContext, interval_from_env

log = logging.getLogger(__name__)

JOB_NAME = "eldercare-hazard-overdue"
SCAN_INTERVAL_ENV = "ELDERCARE_HAZARD_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 3600.0
PAGE_SIZE = 500
_NAMESPACE = uuid.UUID("0f3c2d8e-5a61-4b7e-9c1d-7e2b4a6f8d30")


def scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$ELDERCARE_HAZARD_SCAN_INTERVAL_S`` or an hour (deadlines are days)."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


def overdue_event_id(hazard_id: str) -> str:
    """The one event id a hazard's overdue report can have (UUID5 of the event type and hazard id)."""
    return str(uuid.uuid5(_NAMESPACE, f"{HAZARD_OVERDUE.type}|{hazard_id}"))


async def report_overdue(db: Database, *, now: datetime) -> int:
    """Stage one ``hazard-overdue`` event per overdue hazard not yet reported; how many were staged."""
    today = china_today(now)
    staged = 0
    while True:
        async with db.unit_of_work() as session:
            pending = (
                select(Hazard.id)
                .where(*overdue_where(today), col(Hazard.overdue_reported_at).is_(None))
                .order_by(col(Hazard.rectify_by), col(Hazard.id))
                .limit(PAGE_SIZE)
            )
            ids = list((await session.exec(pending)).all())
            if not ids:
                return staged
            claim = (
                sa.update(Hazard)
                .where(col(Hazard.id).in_(ids), col(Hazard.overdue_reported_at).is_(None))
                .values(overdue_reported_at=now)
                .returning(col(Hazard.id))
            )
            claimed = list((await session.exec(claim)).scalars().all())  # type: ignore[call-overload]
            rows = (await session.exec(select(Hazard).where(col(Hazard.id).in_(claimed)))).all()
            for hazard in rows:
                status = ir.HazardStatus(hazard.status)
                payload = HazardOverdue(
                    hazard_id=hazard.id,
                    inspection_id=hazard.inspection_id,
                    facility_kind=ir.FacilityKind(hazard.facility_kind),
                    facility_name=hazard.facility_name,
                    region_code=hazard.region_code,
                    severity=ir.Severity(hazard.severity),
                    status=status,
                    rectify_by=hazard.rectify_by,
                    days_overdue=ir.days_overdue(hazard.rectify_by, status, today),
                    at=now,
                )
                stage_event(
                    session,
                    HAZARD_OVERDUE,
                    payload,
                    subject=hazard.id,
                    region=hazard.region_code,
                    now=now,
                    event_id=overdue_event_id(hazard.id),
                )
            staged += len(rows)
        if len(ids) < PAGE_SIZE:
            return staged


def hazard_overdue_job(ctx: ServiceContext, *, clock: Clock, interval_s: float) -> Job:
    """The scheduled scan."""

    async def run() -> int:
        staged = await report_overdue(ctx.db, now=clock())
        if staged:
            log.info("hazard-overdue: %d reported", staged)
            ctx.notify_outbox()
        return staged

    return Job(name=JOB_NAME, interval_s=interval_s, run=run)
