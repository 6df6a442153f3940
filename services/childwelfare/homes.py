"""Children's homes (儿童之家): opening one per village, level changes with history, closing, listing.

A home's current level and tier live on its row (so listings filter on it) and every level it has
held lives in ``children_home_level`` as effective-dated spans, the open one current. Functions never
commit: the caller's unit of work commits the change, its history and its audit row together.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit
from services.childwelfare.adoptions import after_keyset
from services.childwelfare.facility_rules import DemonstrationTier, HomeLevel
from services.childwelfare.models import ChildrenHome, ChildrenHomeLevel
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

ONE_PER_VILLAGE = "region_code: this village already has an open children's home"
Home = tuple[ChildrenHome, list[ChildrenHomeLevel]]


def _period(
    home_id: str,
    level: HomeLevel,
    tier: DemonstrationTier | None,
    start: date,
    *,
    reason: str,
    actor: str,
    now: datetime,
) -> ChildrenHomeLevel:
    return ChildrenHomeLevel(
        id=str(uuid.uuid4()),
        home_id=home_id,
        level=level.value,
        tier=tier.value if tier else None,
        effective_from=start,
        reason=reason,
        recorded_at=now,
        recorded_by=actor,
    )


def _audit(
    session: AsyncSession, home: ChildrenHome, *, actor: str, action: str, now: datetime, detail: str
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=home.id,
        region_code=home.region_code,
        now=now,
        detail=detail[:500],
    )


async def histories(session: AsyncSession, home_ids: Sequence[str]) -> dict[str, list[ChildrenHomeLevel]]:
    """Each home's level spans, oldest first."""
    rows = await session.exec(
        select(ChildrenHomeLevel)
        .where(col(ChildrenHomeLevel.home_id).in_(home_ids))
        .order_by(col(ChildrenHomeLevel.effective_from), col(ChildrenHomeLevel.recorded_at))
    )
    found: dict[str, list[ChildrenHomeLevel]] = defaultdict(list)
    for row in rows.all():
        found[row.home_id].append(row)
    return found


async def open_home(
    session: AsyncSession,
    *,
    actor: str,
    region_code: str,
    name: str,
    level: HomeLevel,
    tier: DemonstrationTier | None,
    opened_on: date,
    now: datetime,
) -> Home:
    """Open a village's children's home; AlreadyExists while the village has an open one."""
    clash = select(ChildrenHome.id).where(
        ChildrenHome.region_code == region_code, col(ChildrenHome.closed_on).is_(None)
    )
    if (await session.exec(clash)).first() is not None:
        raise AlreadyExists(ONE_PER_VILLAGE)
    home = ChildrenHome(
        id=str(uuid.uuid4()),
        region_code=region_code,
        name=name,
        level=level.value,
        tier=tier.value if tier else None,
        opened_on=opened_on,
        created_at=now,
        created_by=actor,
    )
    session.add(home)
    try:
        await session.flush()  # the home first: its level history refers to it
    except IntegrityError as exc:  # uq_children_home_open: a concurrent opening won the race
        raise AlreadyExists(ONE_PER_VILLAGE) from exc
    period = _period(home.id, level, tier, opened_on, reason="opened", actor=actor, now=now)
    session.add(period)
    _audit(session, home, actor=actor, action="children-home.open", now=now, detail=f"{level.value} {name}")
    await session.flush()
    return home, [period]


async def visible_home(
    session: AsyncSession, *, scopes: Sequence[str], home_id: str, for_update: bool = False
) -> ChildrenHome:
    """One home inside the scopes; NotFound otherwise."""
    stmt = select(ChildrenHome).where(
        ChildrenHome.id == home_id, in_regions(col(ChildrenHome.region_code), scopes)
    )
    found = (await session.exec(stmt.with_for_update() if for_update else stmt)).first()
    if found is None:
        raise NotFound(f"children's home {home_id} not found")
    return found


async def _current(session: AsyncSession, home: ChildrenHome) -> ChildrenHomeLevel:
    stmt = select(ChildrenHomeLevel).where(
        ChildrenHomeLevel.home_id == home.id, col(ChildrenHomeLevel.effective_to).is_(None)
    )
    return (await session.exec(stmt)).one()


async def change_level(
    session: AsyncSession,
    *,
    actor: str,
    home_id: str,
    scopes: Sequence[str],
    level: HomeLevel,
    tier: DemonstrationTier | None,
    effective_from: date,
    reason: str,
    now: datetime,
) -> Home:
    """End the current level span and open a new one from ``effective_from``."""
    home = await visible_home(session, scopes=scopes, home_id=home_id, for_update=True)
    if home.closed_on is not None:
        raise FailedPrecondition(f"children's home {home.id} is closed")
    current = await _current(session, home)
    if (current.level, current.tier) == (level.value, tier.value if tier else None):
        raise InvalidArgument.field("level", "the home already has this level and tier")
    if effective_from < current.effective_from:
        raise InvalidArgument.field(
            "effective_from",
            f"must not be before the current level began ({current.effective_from.isoformat()})",
        )
    current.effective_to = effective_from
    session.add(current)
    session.add(_period(home.id, level, tier, effective_from, reason=reason, actor=actor, now=now))
    home.level, home.tier = level.value, tier.value if tier else None
    session.add(home)
    detail = f"{level.value} {tier.value if tier else ''} from {effective_from.isoformat()} {reason}"
    _audit(session, home, actor=actor, action="children-home.level", now=now, detail=detail)
    await session.flush()
    return home, (await histories(session, [home.id]))[home.id]


async def close_home(
    session: AsyncSession,
    *,
    actor: str,
    home_id: str,
    scopes: Sequence[str],
    closed_on: date,
    reason: str,
    now: datetime,
) -> Home:
    """Close a home from ``closed_on`` (its current level span ends then); the village may open another."""
    home = await visible_home(session, scopes=scopes, home_id=home_id, for_update=True)
    if home.closed_on is not None:
        raise FailedPrecondition(f"children's home {home.id} is already closed")
    current = await _current(session, home)
    if closed_on < current.effective_from:
        raise InvalidArgument.field(
            "closed_on", f"must not be before the current level began ({current.effective_from.isoformat()})"
        )
    current.effective_to = closed_on
    home.closed_on, home.close_reason = closed_on, reason
    session.add_all([current, home])
    _audit(session, home, actor=actor, action="children-home.close", now=now, detail=reason)
    await session.flush()
    return home, (await histories(session, [home.id]))[home.id]


async def list_homes(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    level: HomeLevel | None,
    include_closed: bool,
    today: date,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Home], int, bool]:
    """A page of homes in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(ChildrenHome.region_code), scopes)]
    if level is not None:
        where.append(col(ChildrenHome.level) == level.value)
    if not include_closed:
        where.append(sa.or_(col(ChildrenHome.closed_on).is_(None), col(ChildrenHome.closed_on) > today))
    total = (await session.exec(select(func.count()).select_from(ChildrenHome).where(*where))).one()
    stmt = select(ChildrenHome).where(*where)
    if after is not None:
        stmt = stmt.where(after_keyset(col(ChildrenHome.region_code), col(ChildrenHome.id), after))
    stmt = stmt.order_by(col(ChildrenHome.region_code), col(ChildrenHome.id)).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    spans = await histories(session, [r.id for r in rows])
    return [(r, spans[r.id]) for r in rows], int(total), more
