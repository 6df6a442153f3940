"""Scheduled work: escalating mandatory reports nobody responded to in time (the 24 h rule).

Set-based (DESIGN §2): one indexed range over ``protection_case (state, response_due_at)`` finds the
reports still in ``reported`` past their deadline and not yet escalated (``NOT EXISTS`` on
``case_escalation``); Python only loops over those rows to build their events.

Once per case, across restarts and replicas: the event id is derived from the case id. It is the
primary key of ``case_escalation`` (whose ``case_id`` is also unique), inserted with ``ON CONFLICT DO
NOTHING … RETURNING`` — a replica that loses the race gets no row back and stages nothing — and it is
the outbox primary key and the ``Nats-Msg-Id`` JetStream de-duplicates on.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import case_files, case_rules, network
from services.childwelfare.case_rules import ConcernKind, ReportSource
from services.childwelfare.events import PROTECTION_CASE_ESCALATED, ProtectionCaseEscalated
from services.childwelfare.models import CaseEscalation, ProtectionCase
from services.childwelfare.rules import Clock
from services.kit.db import Database, insert_ignoring_conflicts
from services.kit.idcard import mask_id_number
from services.kit.outbox import stage_event
from services.kit.protoconv import as_utc
from services.kit.service import Job, ServiceContext, interval_from_env

log = logging.getLogger(__name__)

JOB_NAME = "childwelfare-case-escalation"
SCAN_INTERVAL_ENV = "CHILDWELFARE_CASE_SCAN_INTERVAL_S"
DEFAULT_SCAN_INTERVAL_S = 300.0
PAGE_SIZE = 500
_NAMESPACE = uuid.UUID("5b0e3c52-6c1e-4d8e-9a57-2f4a1d0c7e11")


@dataclass(frozen=True)
class EscalationResult:
    """What one scan did: unanswered reports found, and escalations staged."""

    found: int = 0
    escalated: int = 0


def case_scan_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between scans: ``$CHILDWELFARE_CASE_SCAN_INTERVAL_S`` or five minutes."""
    return interval_from_env(SCAN_INTERVAL_ENV, DEFAULT_SCAN_INTERVAL_S, environ)


def escalation_event_id(case_id: str) -> str:
    """The one event id a case's escalation can have (UUID5 of the event type and case id)."""
    return str(uuid.uuid5(_NAMESPACE, f"{PROTECTION_CASE_ESCALATED.type}|{case_id}"))


async def _unanswered(session: AsyncSession, *, now: datetime, limit: int) -> list[ProtectionCase]:
    escalated = (
        select(CaseEscalation.id).where(col(CaseEscalation.case_id) == col(ProtectionCase.id)).exists()
    )
    stmt = (
        select(ProtectionCase)
        .where(case_files.response_overdue(now), ~escalated)
        .order_by(col(ProtectionCase.response_due_at), col(ProtectionCase.id))
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def _insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert escalation rows, skipping those already there (another scan or replica); the ids inserted."""
    stmt = (
        insert_ignoring_conflicts(session, CaseEscalation)
        .values(list(rows))
        .returning(col(CaseEscalation.id))
    )
    return {row[0] for row in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def _escalate(session: AsyncSession, found: Sequence[ProtectionCase], *, now: datetime) -> int:
    rows = sorted(
        (
            {
                "id": escalation_event_id(c.id),
                "case_id": c.id,
                "region_code": c.region_code,
                "response_due_at": as_utc(c.response_due_at),
                "escalated_at": now,
            }
            for c in found
        ),
        key=lambda r: r["id"],  # one lock order for every replica
    )
    inserted = await _insert_new(session, rows)
    if not inserted:
        return 0
    supervisors = await network.current_members(session, region_codes=[c.region_code[:9] for c in found])
    for case in found:
        event_id = escalation_event_id(case.id)
        if event_id not in inserted:
            continue
        due = as_utc(case.response_due_at)
        supervisor = supervisors.get(case.region_code[:9])
        payload = ProtectionCaseEscalated(
            case_id=case.id,
            region_code=case.region_code,
            town_code=case.region_code[:9],
            child_id=case.child_id,
            child_id_masked=mask_id_number(case.id_number) if case.id_number else None,
            concern=ConcernKind(case.concern),
            at=now,
            source=ReportSource(case.source),
            reported_at=as_utc(case.reported_at),
            response_due_at=due,
            hours_overdue=case_rules.hours_overdue(due, now),
            supervisor_subject=supervisor.subject if supervisor is not None else None,
        )
        stage_event(
            session,
            PROTECTION_CASE_ESCALATED,
            payload,
            subject=case.id,
            region=case.region_code,
            now=now,
            event_id=event_id,
        )
    await session.flush()
    return len(inserted)


async def escalate_unanswered(
    db: Database, *, now: datetime, page_size: int = PAGE_SIZE, on_commit: Callable[[], None] | None = None
) -> EscalationResult:
    """Escalate every report still unanswered after its deadline and not escalated yet, as of ``now``."""
    found = escalated = 0
    while True:
        async with db.unit_of_work() as session:
            rows = await _unanswered(session, now=now, limit=page_size)
            staged = await _escalate(session, rows, now=now) if rows else 0
        found, escalated = found + len(rows), escalated + staged
        if staged and on_commit is not None:
            on_commit()
        # Escalated rows drop out of the query, so the next page starts from the top; a page that
        # escalated nothing (another replica took it) ends the scan rather than spin on it.
        if len(rows) < page_size or not staged:
            return EscalationResult(found=found, escalated=escalated)


def case_escalation_job(ctx: ServiceContext, *, clock: Clock, interval_s: float) -> Job:
    """The escalation scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def run() -> EscalationResult:
        result = await escalate_unanswered(ctx.db, now=clock(), on_commit=ctx.notify_outbox)
        if result.escalated:
            log.info("case escalation: %d unanswered reports, %d escalated", result.found, result.escalated)
        return result

    return Job(name=JOB_NAME, interval_s=interval_s, run=run)
