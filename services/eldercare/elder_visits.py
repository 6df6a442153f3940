"""Home visits to vulnerable elders: recording one, listing them, where an elder stands, and compliance.

Recording a visit moves the elder's visit clock forward in one conditional UPDATE (a visit entered late
for an earlier day never moves it back). Overdue is computed for the day asked about, from
``elder.visit_anchor_on`` and the policy's cadence, and never stored; compliance is counted by the
database, grouped by village.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.elder_rules import RiskLevel, VisitPolicy
from services.eldercare.elders import in_programme, visible_elder
from services.eldercare.models import Elder, ElderVisit
from services.kit import audit, visits
from services.kit.columns import in_regions
from services.kit.errors import InvalidArgument
from services.kit.idcard import mask_id_number


@dataclass(frozen=True)
class VisitIn:
    """A validated visit."""

    elder_id: str
    visited_on: date
    visitor_name: str
    visitor_region_code: str
    findings: str
    risk_level: RiskLevel
    notes: str


def visit_status(elder: Elder, policy: VisitPolicy, *, today: date) -> visits.VisitStatus | None:
    """Where the elder stands on ``today``: due date and lateness; None outside the programme."""
    cadence = policy.cadence_on(today)
    if elder.visit_anchor_on is None or elder.deceased_on is not None or cadence is None:
        return None
    return visits.visit_status(None, elder.visit_anchor_on, cadence, policy.escalation_on(today), today=today)


def overdue_before(policy: VisitPolicy, today: date) -> date | None:
    """The anchor below which an elder's visit is overdue on ``today``; None when no programme is in force."""
    cadence = policy.cadence_on(today)
    return visits.overdue_cutoff(today, cadence) if cadence is not None else None


async def record_visit(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: VisitIn, now: datetime
) -> ElderVisit:
    """Record a visit by someone working for the elder's town or village (else a field error)."""
    elder = await visible_elder(session, scopes=scopes, elder_id=new.elder_id, for_update=True)
    if not elder.region_code.startswith(new.visitor_region_code):
        raise InvalidArgument.field(
            "visitor.region_code",
            f"the elder lives in {elder.region_code}, outside the visitor's region {new.visitor_region_code}",
        )
    visit = ElderVisit(
        id=str(uuid.uuid4()),
        elder_id=elder.id,
        region_code=elder.region_code,
        visited_on=new.visited_on,
        visitor_name=new.visitor_name,
        visitor_region_code=new.visitor_region_code,
        findings=new.findings,
        risk_level=new.risk_level.value,
        notes=new.notes,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(visit)
    last = sa.case(
        (
            sa.or_(col(Elder.last_visit_on).is_(None), col(Elder.last_visit_on) < new.visited_on),
            new.visited_on,
        ),
        else_=col(Elder.last_visit_on),
    )
    # Only an elder in the programme has a clock; a visit to anyone else is kept but moves nothing.
    anchor = sa.case(
        (col(Elder.visit_anchor_on) < new.visited_on, new.visited_on), else_=col(Elder.visit_anchor_on)
    )
    await session.exec(
        sa.update(Elder)
        .where(col(Elder.id) == elder.id)
        .values(last_visit_on=last, visit_anchor_on=anchor)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor=actor,
        action="elder.visit",
        target=elder.id,
        region_code=elder.region_code,
        now=now,
        detail=f"{mask_id_number(elder.id_number)} {new.visited_on.isoformat()} {new.risk_level.value}",
    )
    await session.flush()
    return visit


VISIT_ORDER = (col(ElderVisit.visited_on).desc(), col(ElderVisit.id))


async def list_visits(
    session: AsyncSession,
    *,
    elder_id: str,
    scopes: Sequence[str],
    after: tuple[date, str] | None,
    limit: int,
) -> tuple[list[ElderVisit], int, bool]:
    """An elder's visits, newest first, after a keyset (visited_on, id); NotFound outside the scopes."""
    elder = await visible_elder(session, scopes=scopes, elder_id=elder_id)
    where = col(ElderVisit.elder_id) == elder.id
    total = (await session.exec(select(sa.func.count()).select_from(ElderVisit).where(where))).one()
    stmt = select(ElderVisit).where(where)
    if after is not None:
        on, last_id = after
        stmt = stmt.where(
            sa.or_(
                col(ElderVisit.visited_on) < on,
                sa.and_(col(ElderVisit.visited_on) == on, col(ElderVisit.id) > last_id),
            )
        )
    rows = list((await session.exec(stmt.order_by(*VISIT_ORDER).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


@dataclass(frozen=True)
class Tally:
    """Elders in the visit programme in one village, and how many of them are overdue."""

    vulnerable: int
    overdue: int


async def village_tallies(
    session: AsyncSession, *, scopes: Sequence[str], policy: VisitPolicy, today: date
) -> dict[str, Tally]:
    """Vulnerable elders and those overdue on ``today``, per village, counted by the database."""
    cutoff = overdue_before(policy, today)
    if cutoff is None:
        return {}
    late = sa.func.sum(sa.case((col(Elder.visit_anchor_on) < cutoff, 1), else_=0))
    stmt = (
        select(Elder.region_code, sa.func.count(), late)
        .where(in_regions(col(Elder.region_code), scopes), in_programme())
        .group_by(col(Elder.region_code))
        .order_by(col(Elder.region_code))
    )
    return {code: Tally(int(n), int(k or 0)) for code, n, k in (await session.exec(stmt)).all()}
