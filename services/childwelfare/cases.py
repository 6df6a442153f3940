"""Protection cases: opening one from a mandatory report, taking steps, recording conferences, reading.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the case, its step, its audit row and its event together. Cases outside the caller's
scopes are NOT_FOUND, as if they did not exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit, case_rules, rules
from services.childwelfare.case_rules import CaseState, ConcernKind, InterventionKind, ReportSource, Step
from services.childwelfare.children import visible_child
from services.childwelfare.events import (
    PROTECTION_CASE_CLOSED,
    PROTECTION_CASE_OPENED,
    ProtectionCaseClosed,
    ProtectionCaseOpened,
)
from services.childwelfare.models import CaseConference, CaseStep, Child, ProtectionCase
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from services.kit.idcard import IdNumber, mask_id_number
from services.kit.outbox import stage_event
from services.kit.protoconv import as_utc


@dataclass(frozen=True)
class NewReport:
    """A validated mandatory report: a registered child, or a name (and maybe an ID number) and village."""

    child_id: str | None
    child_name: str
    id_number: IdNumber | None
    region_code: str | None
    source: ReportSource
    concern: ConcernKind
    description: str
    informant: str
    reported_at: datetime


def _masked(case: ProtectionCase) -> str | None:
    return mask_id_number(case.id_number) if case.id_number else None


async def report_concern(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    report: NewReport,
    rule: case_rules.ResponseRule,
    now: datetime,
) -> ProtectionCase:
    """Open a case in ``reported``, with its first step, audit row and protection-case-opened event."""
    child: Child | None = None
    if report.child_id is not None:
        child = await visible_child(session, scopes=scopes, child_id=report.child_id)
    elif report.id_number is not None:
        # Link a registered child by ID number wherever its file is: the case needs the file's history.
        stmt = select(Child).where(Child.id_number == report.id_number.value)
        child = (await session.exec(stmt)).first()
    region = report.region_code or (child.region_code if child is not None else "")
    if not any(region.startswith(scope) for scope in scopes):
        raise PermissionDenied(f"region_code: {region} is outside your regions")
    id_number = child.id_number if child is not None and report.child_id else None
    case = ProtectionCase(
        id=str(uuid.uuid4()),
        region_code=region,
        child_id=child.id if child is not None else None,
        child_name=child.name if report.child_id and child is not None else report.child_name,
        id_number=id_number or (report.id_number.value if report.id_number is not None else None),
        state=CaseState.REPORTED.value,
        source=report.source.value,
        concern=report.concern.value,
        description=report.description,
        informant=report.informant,
        reported_by=actor,
        reported_at=report.reported_at,
        response_due_at=case_rules.response_due_at(report.reported_at, rule),
        step_count=1,
    )
    session.add(case)
    await session.flush()
    session.add(
        CaseStep(
            id=str(uuid.uuid4()),
            case_id=case.id,
            sequence=1,
            region_code=region,
            to_state=CaseState.REPORTED.value,
            note=report.description,
            actor=actor,
            at=report.reported_at,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="case.report",
        target=case.id,
        region_code=region,
        now=now,
        detail=f"{report.source.value} {report.concern.value} {_masked(case) or ''}".strip(),
    )
    payload = ProtectionCaseOpened(
        case_id=case.id,
        region_code=region,
        town_code=region[:9],
        child_id=case.child_id,
        child_id_masked=_masked(case),
        concern=report.concern,
        at=now,
        source=report.source,
        reported_by=actor,
        response_due_at=case.response_due_at,
    )
    stage_event(session, PROTECTION_CASE_OPENED, payload, subject=case.id, region=region, now=now)
    await session.flush()
    return case


async def visible_case(
    session: AsyncSession, *, scopes: Sequence[str], case_id: str, for_update: bool = False
) -> ProtectionCase:
    """One case inside the scopes; NotFound otherwise (others' cases do not exist)."""
    stmt = select(ProtectionCase).where(
        ProtectionCase.id == case_id, in_regions(col(ProtectionCase.region_code), scopes)
    )
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"protection case {case_id} not found")
    return found


def _reported_on(case: ProtectionCase) -> date:
    return rules.china_today(as_utc(case.reported_at))


async def advance_case(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    case_id: str,
    step: Step,
    now: datetime,
) -> ProtectionCase:
    """Take one step; FailedPrecondition when the case's state does not allow it."""
    case = await visible_case(session, scopes=scopes, case_id=case_id, for_update=True)
    current = CaseState(case.state)
    problem = case_rules.step_problem(current, step)
    if problem is not None:
        raise FailedPrecondition(f"{problem.field}: {problem.description}")
    placement = step.placement
    if placement is not None and placement.start_on < _reported_on(case):
        raise InvalidArgument.field(
            "placement.start_on", f"must not be before the case was reported ({_reported_on(case)})"
        )
    if current is CaseState.REPORTED:
        case.responded_at, case.responded_by = now, actor
    if step.intervention is not None:
        case.intervention = step.intervention.value
        case.placement_kind = placement.kind.value if placement else None
        case.placement_name = placement.name if placement else None
        case.placement_contact = placement.contact if placement else None
        case.placement_start_on = placement.start_on if placement else None
    if step.to_state is CaseState.CLOSED:
        case.closed_at = now
        case.close_reason = step.close_reason.value if step.close_reason else None
    case.state = step.to_state.value
    case.step_count += 1
    session.add(case)
    session.add(
        CaseStep(
            id=str(uuid.uuid4()),
            case_id=case.id,
            sequence=case.step_count,
            region_code=case.region_code,
            from_state=current.value,
            to_state=step.to_state.value,
            note=step.note,
            actor=actor,
            at=now,
            intervention=step.intervention.value if step.intervention else None,
            placement_kind=placement.kind.value if placement else None,
            placement_name=placement.name if placement else None,
            placement_contact=placement.contact if placement else None,
            placement_start_on=placement.start_on if placement else None,
            close_reason=step.close_reason.value if step.close_reason else None,
        )
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_case_step_case_sequence: a concurrent step won the race
        raise FailedPrecondition(f"case {case.id} changed concurrently; reload it and try again") from exc
    audit.record(
        session,
        actor=actor,
        action="case.step",
        target=case.id,
        region_code=case.region_code,
        now=now,
        detail=f"{current.value} -> {step.to_state.value}",
    )
    if step.to_state is CaseState.CLOSED:
        await _stage_closed(session, case, closed_from=current, now=now)
    await session.flush()
    return case


async def _stage_closed(
    session: AsyncSession, case: ProtectionCase, *, closed_from: CaseState, now: datetime
) -> None:
    steps = (
        await session.exec(
            select(CaseStep.intervention).where(CaseStep.case_id == case.id).order_by(col(CaseStep.sequence))
        )
    ).all()
    used = [InterventionKind(s) for s in steps if s]
    count = select(sa.func.count()).select_from(CaseConference).where(col(CaseConference.case_id) == case.id)
    payload = ProtectionCaseClosed(
        case_id=case.id,
        region_code=case.region_code,
        town_code=case.region_code[:9],
        child_id=case.child_id,
        child_id_masked=_masked(case),
        concern=ConcernKind(case.concern),
        at=now,
        closed_from=closed_from,
        close_reason=case_rules.CloseReason(case.close_reason),
        opened_at=as_utc(case.reported_at),
        interventions=used,
        temporary_guardianship=InterventionKind.TEMPORARY_GUARDIANSHIP in used,
        conferences=int((await session.exec(count)).one()),
    )
    stage_event(session, PROTECTION_CASE_CLOSED, payload, subject=case.id, region=case.region_code, now=now)


async def record_conference(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    case_id: str,
    held_on: date,
    participants: Sequence[str],
    decisions: str,
    now: datetime,
) -> ProtectionCase:
    """Record a case conference on an open case."""
    case = await visible_case(session, scopes=scopes, case_id=case_id, for_update=True)
    if case.state == CaseState.CLOSED.value:
        raise FailedPrecondition(f"case {case.id} is closed; conferences are recorded on open cases")
    if held_on < _reported_on(case):
        raise InvalidArgument.field(
            "held_on", f"must not be before the case was reported ({_reported_on(case).isoformat()})"
        )
    conference = CaseConference(
        id=str(uuid.uuid4()),
        case_id=case.id,
        region_code=case.region_code,
        held_on=held_on,
        participants="\n".join(participants),
        decisions=decisions,
        recorded_by=actor,
        recorded_at=now,
    )
    session.add(conference)
    audit.record(
        session,
        actor=actor,
        action="case.conference",
        target=case.id,
        region_code=case.region_code,
        now=now,
        detail=f"{held_on.isoformat()} {len(participants)} participants",
    )
    await session.flush()
    return case
