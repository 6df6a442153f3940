"""Home visits: recording one (by the responsible director or supervisor), listing them, and compliance.

Recording a visit moves the child's visit clock forward in one conditional UPDATE (a visit entered late
for an earlier day never moves it back). Compliance is counted by the database, grouped by village,
and rolled up to towns and directors from those few hundred rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit, network, queries
from services.childwelfare.children import visible_child
from services.childwelfare.events import CHILD_VISIT_RECORDED, ChildVisitRecorded
from services.childwelfare.models import Child, Visit
from services.childwelfare.rules import ProtectionCategory, RiskLevel, Tally, VisitPolicy
from services.kit.columns import in_regions
from services.kit.errors import InvalidArgument, NotFound, PermissionDenied
from services.kit.idcard import mask_id_number
from services.kit.outbox import stage_event


@dataclass(frozen=True)
class Findings:
    """What the visitor found (already validated)."""

    living_conditions: str
    schooling: str
    guardianship: str
    risk_level: RiskLevel
    notes: str


async def record_visit(
    session: AsyncSession,
    *,
    actor: str,
    child_id: str,
    scopes: Sequence[str],
    visited_on: date,
    findings: Findings,
    now: datetime,
) -> Visit:
    """Record a visit; PermissionDenied unless the caller is the child's director or town supervisor."""
    try:
        child = await visible_child(session, scopes=scopes, child_id=child_id, for_update=True)
    except NotFound:
        child = None
    # Out of scope and not responsible read the same, so the answer does not tell whether the child exists.
    if child is None or not await network.is_responsible(session, child=child, subject=actor):
        raise PermissionDenied(
            f"you are not the child director (or town supervisor) responsible for child {child_id}"
        )
    if visited_on < child.birth_date:
        raise InvalidArgument.field("visited_on", "must not be before the child was born")
    visit = Visit(
        id=str(uuid.uuid4()),
        child_id=child.id,
        region_code=child.region_code,
        visited_on=visited_on,
        visited_by=actor,
        living_conditions=findings.living_conditions,
        schooling=findings.schooling,
        guardianship=findings.guardianship,
        risk_level=findings.risk_level.value,
        notes=findings.notes,
        recorded_at=now,
    )
    session.add(visit)
    later = sa.case((col(Child.visit_anchor_on) < visited_on, visited_on), else_=col(Child.visit_anchor_on))
    last = sa.case(
        (sa.or_(col(Child.last_visit_on).is_(None), col(Child.last_visit_on) < visited_on), visited_on),
        else_=col(Child.last_visit_on),
    )
    await session.exec(
        sa.update(Child)
        .where(col(Child.id) == child.id)
        .values(last_visit_on=last, visit_anchor_on=later)
        .execution_options(synchronize_session=False)
    )
    masked = mask_id_number(child.id_number)
    audit.record(
        session,
        actor=actor,
        action="child.visit",
        target=child.id,
        region_code=child.region_code,
        now=now,
        detail=f"{masked} {visited_on.isoformat()} {findings.risk_level.value}",
    )
    payload = ChildVisitRecorded(
        child_id=child.id,
        child_id_masked=masked,
        region_code=child.region_code,
        category=ProtectionCategory(child.category),
        at=now,
        visit_id=visit.id,
        visited_on=visited_on,
        visited_by=actor,
        risk_level=findings.risk_level,
    )
    stage_event(session, CHILD_VISIT_RECORDED, payload, subject=child.id, region=child.region_code, now=now)
    await session.flush()
    return visit


VISIT_ORDER = (col(Visit.visited_on).desc(), col(Visit.id))


async def list_visits(
    session: AsyncSession,
    *,
    child_id: str,
    scopes: Sequence[str],
    after: tuple[date, str] | None,
    limit: int,
) -> tuple[list[Visit], int, bool]:
    """A child's visits, newest first, after a keyset (visited_on, id); NotFound outside the scopes."""
    child = await visible_child(session, scopes=scopes, child_id=child_id)
    where = col(Visit.child_id) == child.id
    total = (await session.exec(select(sa.func.count()).select_from(Visit).where(where))).one()
    stmt = select(Visit).where(where)
    if after is not None:
        on, last_id = after
        stmt = stmt.where(
            sa.or_(col(Visit.visited_on) < on, sa.and_(col(Visit.visited_on) == on, col(Visit.id) > last_id))
        )
    rows = list((await session.exec(stmt.order_by(*VISIT_ORDER).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def visits_per_child(
    session: AsyncSession, *, child_ids: Sequence[str], scopes: Sequence[str], limit: int
) -> dict[str, tuple[list[Visit], int, bool]]:
    """The first page of each child's visits in one query; children outside the scopes have none."""
    visible = (
        select(Child.id).where(col(Child.id).in_(list(child_ids)), in_regions(col(Child.region_code), scopes))
    ).scalar_subquery()
    rows, totals = await queries.first_per_child(
        session, Visit, col(Visit.child_id), col(Visit.child_id).in_(visible), VISIT_ORDER, limit
    )
    return {c: (rows.get(c, [])[:limit], totals.get(c, 0), len(rows.get(c, [])) > limit) for c in child_ids}


async def village_tallies(
    session: AsyncSession, *, scopes: Sequence[str], policy: VisitPolicy, today: date
) -> dict[str, Tally]:
    """Children in the visit programme and those overdue, per village, counted by the database."""
    overdue = sa.func.sum(sa.case((queries.overdue(policy, today), 1), else_=0))
    stmt = (
        select(Child.region_code, sa.func.count(), overdue)
        .where(in_regions(col(Child.region_code), scopes), queries.in_programme(policy, today))
        .group_by(col(Child.region_code))
    )
    return {code: Tally(int(n), int(late or 0)) for code, n, late in (await session.exec(stmt)).all()}
