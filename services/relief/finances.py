"""Members' incomes and assets: recording them (audited) and reading them for a household's file.

An income or asset is recorded for a CURRENT member of the household named in the request; anyone
else is a bad ``person_id`` (INVALID_ARGUMENT naming the field), a household outside the caller's
regions is NOT_FOUND. Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.relief import audit
from services.relief.household_rules import AssetKind, IncomeKind
from services.relief.households import household_file, visible_household
from services.relief.memberships import member
from services.relief.models import Asset, Household, Income


@dataclass(frozen=True)
class IncomeIn:
    """A validated income: whose, what kind, how much over which days (inclusive)."""

    household_id: str
    person_id: str
    kind: IncomeKind
    amount_fen: int
    start: date
    end: date
    note: str


@dataclass(frozen=True)
class AssetIn:
    """A validated asset valuation."""

    household_id: str
    person_id: str
    kind: AssetKind
    value_fen: int
    as_of: date
    note: str


async def _member_household(
    session: AsyncSession, *, scopes: Sequence[str], household_id: str, person_id: str
) -> Household:
    """The visible household, once ``person_id`` is known to be a current member of it.

    Its ``updated_at`` moves on: a re-classification run assesses in full the households whose facts
    (incomes, assets) changed since the month's last run (``classification_reuse``).
    """
    household = await visible_household(session, scopes=scopes, household_id=household_id)
    current = await household_file(session, household=household, with_past=False)
    member(current.members, person_id, field="person_id", household_id=household.id)
    return household


def _touch(session: AsyncSession, household: Household, now: datetime) -> None:
    household.updated_at = now
    session.add(household)


async def record_income(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: IncomeIn, now: datetime
) -> Income:
    """Record an income of a current member of the household."""
    household = await _member_household(
        session, scopes=scopes, household_id=new.household_id, person_id=new.person_id
    )
    row = Income(
        id=str(uuid.uuid4()),
        person_id=new.person_id,
        household_id=household.id,
        kind=new.kind.value,
        amount_fen=new.amount_fen,
        period_start=new.start,
        period_end=new.end,
        note=new.note,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(row)
    _touch(session, household, now)
    detail = f"person {new.person_id}: {new.kind.value} {new.amount_fen} fen {new.start}..{new.end}"
    audit.record(
        session, actor=actor, action=audit.RECORD_INCOME, household=household, now=now, detail=detail
    )
    await session.flush()
    return row


async def record_asset(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: AssetIn, now: datetime
) -> Asset:
    """Record an asset valuation of a current member of the household."""
    household = await _member_household(
        session, scopes=scopes, household_id=new.household_id, person_id=new.person_id
    )
    row = Asset(
        id=str(uuid.uuid4()),
        person_id=new.person_id,
        household_id=household.id,
        kind=new.kind.value,
        value_fen=new.value_fen,
        as_of=new.as_of,
        note=new.note,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(row)
    _touch(session, household, now)
    detail = f"person {new.person_id}: {new.kind.value} {new.value_fen} fen as of {new.as_of}"
    audit.record(session, actor=actor, action=audit.RECORD_ASSET, household=household, now=now, detail=detail)
    await session.flush()
    return row


async def incomes_of(
    session: AsyncSession, *, person_ids: Sequence[str], overlapping: tuple[date, date] | None = None
) -> list[Income]:
    """The persons' incomes, newest period first; only those overlapping a window when one is given."""
    if not person_ids:
        return []
    stmt = select(Income).where(col(Income.person_id).in_(list(person_ids)))
    if overlapping is not None:
        start, end = overlapping
        stmt = stmt.where(col(Income.period_end) >= start, col(Income.period_start) <= end)
    stmt = stmt.order_by(col(Income.period_end).desc(), col(Income.period_start).desc(), col(Income.id))
    return list((await session.exec(stmt)).all())


async def assets_of(
    session: AsyncSession, *, person_ids: Sequence[str], as_of: date | None = None
) -> list[Asset]:
    """The persons' asset valuations, newest first (only those on or before ``as_of`` when given)."""
    if not person_ids:
        return []
    stmt = select(Asset).where(col(Asset.person_id).in_(list(person_ids)))
    if as_of is not None:
        stmt = stmt.where(col(Asset.as_of) <= as_of)
    stmt = stmt.order_by(col(Asset.as_of).desc(), col(Asset.recorded_at).desc(), col(Asset.id))
    return list((await session.exec(stmt)).all())


def latest_per_kind(assets: Sequence[Asset]) -> list[Asset]:
    """Of valuations sorted newest first, the latest per person and kind (the one that counts)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for asset in assets:
        if (asset.person_id, asset.kind) not in seen:
            seen.add((asset.person_id, asset.kind))
            kept.append(asset)
    return kept
