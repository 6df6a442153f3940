"""Reading protection cases: one or a page, each with its steps, conferences and escalation.

A page is assembled with one query per kind of row, never one per case. Showing ID numbers in clear
turns a read into a write (the audit log), so the servicer reads in a unit of work then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare.case_rules import CaseState
from services.childwelfare.models import CaseConference, CaseEscalation, CaseStep, Child, ProtectionCase
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.protoconv import as_utc

READ_ID_NUMBER = "case.read-id-number"


@dataclass(frozen=True)
class CaseFile:
    """Everything the API shows about one case."""

    case: ProtectionCase
    steps: list[CaseStep]
    conferences: list[CaseConference]
    escalated_at: datetime | None
    # The linked child's village: the link is shown only to callers who may see that child's file.
    child_region: str | None = None


async def assemble(session: AsyncSession, cases: Sequence[ProtectionCase]) -> list[CaseFile]:
    """Files for the given cases: steps, conferences and escalations in one query per kind."""
    ids = [c.id for c in cases]
    if not ids:
        return []
    steps: dict[str, list[CaseStep]] = {i: [] for i in ids}
    stmt = select(CaseStep).where(col(CaseStep.case_id).in_(ids)).order_by(col(CaseStep.sequence))
    for s in (await session.exec(stmt)).all():
        steps[s.case_id].append(s)
    conferences: dict[str, list[CaseConference]] = {i: [] for i in ids}
    c_stmt = (
        select(CaseConference)
        .where(col(CaseConference.case_id).in_(ids))
        .order_by(col(CaseConference.held_on), col(CaseConference.recorded_at))
    )
    for k in (await session.exec(c_stmt)).all():
        conferences[k.case_id].append(k)
    e_stmt = select(CaseEscalation.case_id, CaseEscalation.escalated_at).where(
        col(CaseEscalation.case_id).in_(ids)
    )
    escalated = {case_id: as_utc(at) for case_id, at in (await session.exec(e_stmt)).all()}
    linked = sorted({c.child_id for c in cases if c.child_id})
    regions: dict[str, str] = {}
    if linked:
        r_stmt = select(Child.id, Child.region_code).where(col(Child.id).in_(linked))
        regions = {child_id: region for child_id, region in (await session.exec(r_stmt)).all()}
    return [
        CaseFile(c, steps[c.id], conferences[c.id], escalated.get(c.id), regions.get(c.child_id or ""))
        for c in cases
    ]


def response_overdue(now: datetime) -> sa.ColumnElement[bool]:
    """Reports still unanswered after their deadline (``ix_protection_case_state_due``)."""
    return sa.and_(
        col(ProtectionCase.state) == CaseState.REPORTED.value, col(ProtectionCase.response_due_at) < now
    )


async def list_cases(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    state: CaseState | None,
    overdue_only: bool,
    now: datetime,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[ProtectionCase], int, bool]:
    """A page newest report first after the keyset ``after``, the total, and whether more follow."""
    conditions = [in_regions(col(ProtectionCase.region_code), scopes)]
    if state is not None:
        conditions.append(col(ProtectionCase.state) == state.value)
    if overdue_only:
        conditions.append(response_overdue(now))
    total = (await session.exec(select(sa.func.count()).select_from(ProtectionCase).where(*conditions))).one()
    stmt = select(ProtectionCase).where(*conditions)
    if after is not None:
        at, last_id = after
        reported = col(ProtectionCase.reported_at)
        stmt = stmt.where(sa.or_(reported < at, sa.and_(reported == at, col(ProtectionCase.id) < last_id)))
    order = (col(ProtectionCase.reported_at).desc(), col(ProtectionCase.id).desc())
    rows = list((await session.exec(stmt.order_by(*order).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def reveal(
    session: AsyncSession, *, actor: str, cases: Sequence[ProtectionCase], now: datetime
) -> None:
    """Audit the clear ID numbers about to be shown (call inside a unit of work)."""
    reads = ((c.id, c.region_code, c.id_number) for c in cases if c.id_number)
    await audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)


def cursor_time(case: ProtectionCase) -> str:
    """The keyset time of a case as a page token key (UTC ISO)."""
    return as_utc(case.reported_at).isoformat()
