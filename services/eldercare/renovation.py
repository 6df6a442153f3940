"""Renovation plans (一户一策): creating one per household, moving it through its steps, reading them.

At most one open plan per elder: checked first for a clear error, and guarded by the partial unique
index ``uq_renovation_plan_open_elder`` against a concurrent creation. Functions never commit.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import renovation_rules as rr
from services.eldercare.community_lookup import visible_elder
from services.eldercare.community_requests import Listing, after_keyset
from services.eldercare.models import RenovationItem, RenovationPlan, RenovationPlanLine
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, FieldViolation, InvalidArgument, NotFound

Plan = tuple[RenovationPlan, list[RenovationPlanLine]]


@dataclass(frozen=True)
class LineIn:
    """A requested line: the item, how many, and a unit price (0: the item's reference price)."""

    item_id: str
    quantity: int
    unit_price_fen: int


@dataclass(frozen=True)
class NewPlan:
    """A validated plan."""

    elder_id: str
    surveyed_on: date
    lines: tuple[LineIn, ...]
    subsidy_percent: int
    notes: str


@dataclass(frozen=True)
class Step:
    """A validated step of a plan."""

    plan_id: str
    to_status: rr.PlanStatus
    on: date
    reason: str


async def _lines(session: AsyncSession, plan_ids: Sequence[str]) -> dict[str, list[RenovationPlanLine]]:
    rows = await session.exec(
        select(RenovationPlanLine)
        .where(col(RenovationPlanLine.plan_id).in_(plan_ids))
        .order_by(col(RenovationPlanLine.area), col(RenovationPlanLine.item_code))
    )
    found: dict[str, list[RenovationPlanLine]] = defaultdict(list)
    for row in rows.all():
        found[row.plan_id].append(row)
    return found


async def _chosen_items(session: AsyncSession, lines: Sequence[LineIn]) -> dict[str, RenovationItem]:
    """The items the lines choose; InvalidArgument naming each unknown or inactive one."""
    ids = [line.item_id for line in lines]
    items = {
        i.id: i
        for i in (await session.exec(select(RenovationItem).where(col(RenovationItem.id).in_(ids)))).all()
    }
    problems = []
    for n, line in enumerate(lines):
        item = items.get(line.item_id)
        if item is None:
            problems.append(FieldViolation(f"lines[{n}].item_id", "no such catalogue item"))
        elif not item.active:
            problems.append(FieldViolation(f"lines[{n}].item_id", f"item {item.code} is no longer offered"))
    if problems:
        raise InvalidArgument(problems)
    return items


def _no_open_plan(elder_id: str) -> AlreadyExists:
    return AlreadyExists(f"elder_id: elder {elder_id} already has an open renovation plan (一户一策)")


async def create_plan(
    session: AsyncSession, *, actor: str, new: NewPlan, scopes: Sequence[str], now: datetime
) -> Plan:
    """Create a surveyed plan; AlreadyExists while the elder has an open one."""
    elder = await visible_elder(session, elder_id=new.elder_id, scopes=scopes)
    if elder.deceased_on is not None:
        raise FailedPrecondition(f"elder {elder.id} died on {elder.deceased_on.isoformat()}")
    items = await _chosen_items(session, new.lines)
    open_plan = select(RenovationPlan.id).where(
        RenovationPlan.elder_id == elder.id,
        col(RenovationPlan.status).in_([s.value for s in rr.OPEN_STATUSES]),
    )
    if (await session.exec(open_plan)).first() is not None:
        raise _no_open_plan(elder.id)
    priced = [
        (items[line.item_id], line.quantity, line.unit_price_fen or items[line.item_id].reference_price_fen)
        for line in new.lines
    ]
    totals = rr.plan_totals([rr.Line(q, price) for _, q, price in priced], new.subsidy_percent)
    plan = RenovationPlan(
        id=str(uuid.uuid4()),
        elder_id=elder.id,
        elder_name=elder.name,
        region_code=elder.region_code,
        status=rr.PlanStatus.SURVEYED.value,
        total_fen=totals.total_fen,
        subsidy_percent=new.subsidy_percent,
        subsidy_fen=totals.subsidy_fen,
        surveyed_on=new.surveyed_on,
        notes=new.notes,
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    session.add(plan)
    try:
        await session.flush()  # the plan first: its lines refer to it
    except IntegrityError as exc:  # uq_renovation_plan_open_elder: a concurrent plan won the race
        raise _no_open_plan(elder.id) from exc
    lines = [
        RenovationPlanLine(
            plan_id=plan.id,
            item_id=item.id,
            item_code=item.code,
            item_name=item.name,
            area=item.area,
            quantity=quantity,
            unit_price_fen=price,
        )
        for item, quantity, price in priced
    ]
    session.add_all(lines)
    audit.record(
        session,
        actor=actor,
        action="renovation-plan.create",
        target=plan.id,
        region_code=plan.region_code,
        now=now,
        detail=f"{len(lines)} items, total {totals.total_fen} fen",
    )
    await session.flush()
    return plan, (await _lines(session, [plan.id]))[plan.id]


async def visible_plan(
    session: AsyncSession, *, plan_id: str, scopes: Sequence[str], for_update: bool = False
) -> RenovationPlan:
    """One plan inside the scopes; NotFound otherwise."""
    stmt = select(RenovationPlan).where(
        RenovationPlan.id == plan_id, in_regions(col(RenovationPlan.region_code), scopes)
    )
    found = (await session.exec(stmt.with_for_update() if for_update else stmt)).first()
    if found is None:
        raise NotFound(f"renovation plan {plan_id} not found")
    return found


async def get_plan(session: AsyncSession, *, plan_id: str, scopes: Sequence[str]) -> Plan:
    """One plan with its lines."""
    plan = await visible_plan(session, plan_id=plan_id, scopes=scopes)
    return plan, (await _lines(session, [plan.id])).get(plan.id, [])


async def advance_plan(
    session: AsyncSession, *, actor: str, step: Step, scopes: Sequence[str], now: datetime
) -> Plan:
    """Take a plan one step; FailedPrecondition for a step its status does not allow."""
    plan = await visible_plan(session, plan_id=step.plan_id, scopes=scopes, for_update=True)
    problem = rr.step_problem(rr.PlanStatus(plan.status), step.to_status)
    if problem is not None:
        raise FailedPrecondition(problem)
    previous = rr.last_step_on(plan.surveyed_on, plan.approved_on, plan.started_on)
    if step.on < previous:
        raise InvalidArgument.field(
            "on", f"must not be before the plan's previous step ({previous.isoformat()})"
        )
    match step.to_status:
        case rr.PlanStatus.APPROVED:
            plan.approved_on = step.on
        case rr.PlanStatus.IN_PROGRESS:
            plan.started_on = step.on
        case rr.PlanStatus.COMPLETED:
            plan.completed_on = step.on
        case rr.PlanStatus.CANCELLED:
            plan.cancelled_on = step.on
            if step.reason:  # kept with the plan: the audit log is not where a reader looks for it
                plan.notes = f"{plan.notes}\ncancelled: {step.reason}".strip()[: rr.MAX_NOTES_LENGTH]
    plan.status, plan.updated_at = step.to_status.value, now
    session.add(plan)
    audit.record(
        session,
        actor=actor,
        action=f"renovation-plan.{step.to_status.value}",
        target=plan.id,
        region_code=plan.region_code,
        now=now,
        detail=f"{step.on.isoformat()} {step.reason}"[:500],
    )
    await session.flush()
    return plan, (await _lines(session, [plan.id])).get(plan.id, [])


async def list_plans(
    session: AsyncSession, *, listing: Listing, status: rr.PlanStatus | None
) -> tuple[list[Plan], int, bool]:
    """A page of plans in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(RenovationPlan.region_code), listing.scopes)]
    if status is not None:
        where.append(col(RenovationPlan.status) == status.value)
    total = (await session.exec(select(func.count()).select_from(RenovationPlan).where(*where))).one()
    stmt = select(RenovationPlan).where(*where)
    if listing.after is not None:
        stmt = stmt.where(
            after_keyset(col(RenovationPlan.region_code), col(RenovationPlan.id), listing.after)
        )
    stmt = stmt.order_by(col(RenovationPlan.region_code), col(RenovationPlan.id)).limit(listing.limit + 1)
    rows = list((await session.exec(stmt)).all())
    more = len(rows) > listing.limit
    rows = rows[: listing.limit]
    lines = await _lines(session, [r.id for r in rows])
    return [(r, lines.get(r.id, [])) for r in rows], int(total), more
