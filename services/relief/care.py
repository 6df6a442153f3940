"""Care of relief households: recording and listing visits and happiness-list items, the policy file.

Recording a visit moves the household's visit clock (``relief_care_clock``, when it holds a programme)
forward in one conditional UPDATE: a visit entered late for an earlier day never moves it back. The
rates per town are ``care_rates``; the overdue scan is ``care_overdue``. Nothing here commits.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import InvalidArgument
from services.kit.policy import default_policy_path, load_tables
from services.kit.visits import Cadence, Escalation
from services.relief.care_rules import ITEM_SEPARATOR, CarePolicy, ListItemKind, TownCare, on_time_since
from services.relief.households import visible_household
from services.relief.models import (
    AssistanceGrant,
    ReliefApplication,
    ReliefCareClock,
    ReliefListItem,
    ReliefVisit,
)

POLICY_NAME = "relief_visits"
POLICY_ENV = "RELIEF_VISIT_POLICY_FILE"
VALUE_TYPES: dict[str, Any] = {"visit_cadence": Cadence, "visit_escalation": Escalation, "rate_target": int}


@cache
def load_care_policy(path: str | Path | None = None) -> CarePolicy:
    """Cadences, escalation and targets: ``path``, ``$RELIEF_VISIT_POLICY_FILE`` or the packaged file."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    tables = load_tables(chosen, VALUE_TYPES)
    return CarePolicy(
        cadences=tables["visit_cadence"],
        escalations=tables["visit_escalation"],
        targets=tables["rate_target"],
    )


@dataclass(frozen=True)
class VisitIn:
    """A validated care visit."""

    household_id: str
    visited_on: date
    visitor_name: str
    visitor_region_code: str
    findings: str
    needs: str


@dataclass(frozen=True)
class ListItemIn:
    """A validated happiness-list item."""

    household_id: str
    kind: ListItemKind
    delivered_on: date
    delivered_by: str
    note: str


async def record_visit(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: VisitIn, now: datetime
) -> ReliefVisit:
    """Record a visit by someone working for the household's town or village (else a field error)."""
    household = await visible_household(
        session, scopes=scopes, household_id=new.household_id, for_update=True
    )
    if not household.region_code.startswith(new.visitor_region_code):
        raise InvalidArgument.field(
            "visitor.region_code",
            f"the household lives in {household.region_code}, outside the visitor's region "
            f"{new.visitor_region_code}",
        )
    visit = ReliefVisit(
        id=str(uuid.uuid4()),
        household_id=household.id,
        region_code=household.region_code,
        visited_on=new.visited_on,
        visitor_name=new.visitor_name,
        visitor_region_code=new.visitor_region_code,
        findings=new.findings,
        needs=new.needs,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(visit)
    clock = ReliefCareClock
    last = sa.case(
        (
            sa.or_(col(clock.last_visit_on).is_(None), col(clock.last_visit_on) < new.visited_on),
            new.visited_on,
        ),
        else_=col(clock.last_visit_on),
    )
    anchor = sa.case(
        (col(clock.visit_anchor_on) < new.visited_on, new.visited_on), else_=col(clock.visit_anchor_on)
    )
    # A household without a clock (no programme yet) keeps the visit; the clock reads it when created.
    await session.exec(
        sa.update(clock)
        .where(col(clock.household_id) == household.id)
        .values(last_visit_on=last, visit_anchor_on=anchor, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor=actor,
        action="care.visit",
        target=household.id,
        region_code=household.region_code,
        now=now,
        detail=f"visited {new.visited_on.isoformat()} by {new.visitor_region_code}",
    )
    await session.flush()
    return visit


async def record_list_item(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: ListItemIn, now: datetime
) -> ReliefListItem:
    """Record a happiness-list service delivered to a household inside the scopes (NotFound elsewhere)."""
    household = await visible_household(session, scopes=scopes, household_id=new.household_id)
    item = ReliefListItem(
        id=str(uuid.uuid4()),
        household_id=household.id,
        region_code=household.region_code,
        kind=new.kind.value,
        delivered_on=new.delivered_on,
        delivered_by=new.delivered_by,
        note=new.note,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(item)
    audit.record(
        session,
        actor=actor,
        action="care.list_item",
        target=household.id,
        region_code=household.region_code,
        now=now,
        detail=f"{new.kind.value} delivered {new.delivered_on.isoformat()}",
    )
    await session.flush()
    return item


async def list_visits(
    session: AsyncSession,
    *,
    household_id: str,
    scopes: Sequence[str],
    after: tuple[date, str] | None,
    limit: int,
) -> tuple[list[ReliefVisit], int, bool]:
    """A household's visits, newest first, after a keyset (visited_on, id); NotFound outside the scopes."""
    await visible_household(session, scopes=scopes, household_id=household_id)
    return await _page(session, ReliefVisit, ReliefVisit.visited_on, household_id, after, limit)


async def list_list_items(
    session: AsyncSession,
    *,
    household_id: str,
    scopes: Sequence[str],
    after: tuple[date, str] | None,
    limit: int,
) -> tuple[list[ReliefListItem], int, bool]:
    """A household's list items, newest first, after a keyset (delivered_on, id)."""
    await visible_household(session, scopes=scopes, household_id=household_id)
    return await _page(session, ReliefListItem, ReliefListItem.delivered_on, household_id, after, limit)


async def _page(
    session: AsyncSession,
    model: Any,
    day_field: Any,
    household_id: str,
    after: tuple[date, str] | None,
    limit: int,
) -> tuple[list[Any], int, bool]:
    """One household's rows of ``model`` newest first by ``day_field`` then id, and the total."""
    day, ident = col(day_field), col(model.id)
    where = col(model.household_id) == household_id
    total = (await session.exec(select(sa.func.count()).select_from(model).where(where))).one()
    stmt = select(model).where(where)
    if after is not None:
        on, last_id = after
        stmt = stmt.where(sa.or_(day < on, sa.and_(day == on, ident > last_id)))
    rows = list((await session.exec(stmt.order_by(day.desc(), ident).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit


async def care_rates(
    session: AsyncSession, *, scopes: Sequence[str], policy: CarePolicy, reference: date
) -> list[TownCare]:
    """The care counts per town on the reference day, counted by the database (see ``care_rules``)."""
    grant, application = AssistanceGrant, ReliefApplication
    last_visit = (
        select(ReliefVisit.household_id, sa.func.max(ReliefVisit.visited_on).label("last_on"))
        # Only the caller's regions (ix_relief_visit_region), not every visit in the district.
        .where(col(ReliefVisit.visited_on) <= reference, in_regions(col(ReliefVisit.region_code), scopes))
        .group_by(col(ReliefVisit.household_id))
        .subquery()
    )
    start, last_on = col(grant.effective_from), last_visit.c.last_on
    cadences = policy.cadences_on(reference)
    # On time when the clock (the later of the last visit and the grant's start) is recent enough.
    on_time = sa.case(
        *(
            (
                sa.and_(col(grant.programme) == programme, sa.or_(start >= since, last_on >= since)),
                1,
            )
            for programme, since in ((p, on_time_since(c, reference)) for p, c in cadences.items())
        ),
        (col(grant.programme).in_(list(cadences)), 0),
        else_=1,  # no visit duty in force for the programme
    )
    delivered = (
        select(ReliefListItem.id)
        .where(
            col(ReliefListItem.household_id) == col(grant.household_id),
            col(ReliefListItem.delivered_on) >= date(reference.year, 1, 1),
            col(ReliefListItem.delivered_on) <= reference,
        )
        .exists()
    )
    one_thing = col(application.items).like(f"%{ITEM_SEPARATOR}%")
    per_grant = (
        select(
            col(grant.household_id).label("household_id"),
            col(grant.region_code).label("region_code"),
            on_time.label("visited"),
            sa.case((delivered, 1), else_=0).label("delivered"),
            sa.case((one_thing, 1), else_=0).label("one_thing"),
        )
        .select_from(grant)
        .outerjoin(last_visit, last_visit.c.household_id == col(grant.household_id))
        .outerjoin(application, col(application.id) == col(grant.application_id))
        .where(
            start <= reference,
            sa.or_(col(grant.ended_on).is_(None), col(grant.ended_on) > reference),
            in_regions(col(grant.region_code), scopes),
        )
        .subquery()
    )
    per_household = (
        select(
            sa.func.max(per_grant.c.region_code).label("region_code"),
            sa.func.min(per_grant.c.visited).label("visited"),
            sa.func.max(per_grant.c.delivered).label("delivered"),
            sa.func.max(per_grant.c.one_thing).label("one_thing"),
        )
        .group_by(per_grant.c.household_id)
        .subquery()
    )
    town = sa.func.substr(per_household.c.region_code, 1, 9)
    stmt = (
        select(
            town,
            sa.func.count(),
            sa.func.sum(per_household.c.visited),
            sa.func.sum(per_household.c.delivered),
            sa.func.sum(per_household.c.one_thing),
        )
        .group_by(town)
        .order_by(town)
    )
    return [
        TownCare(str(code), int(n), int(v or 0), int(d or 0), int(o or 0))
        for code, n, v, d, o in (await session.exec(stmt)).all()
    ]
