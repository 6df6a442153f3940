"""Households written straight into relief's tables for the re-classification tests, and the check that
every row of a run says what the pure engine says.

The run is a job over the whole table, not a request: the tests build many boundary households at once
(rows as the household service writes them, on a database relief's own migrations built) and compare
each ``relief_assessment`` row with ``assessment.assess_household`` for the same household and month.
"""

from __future__ import annotations

import itertools
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import col, select

from services.kit.db import Database
from services.kit.periods import Month
from services.relief.assessment import assess_household
from services.relief.classification import snapshot_id, snapshot_json
from services.relief.models import (
    Asset,
    AssistanceGrant,
    Household,
    Income,
    Membership,
    Person,
    ReliefAssessment,
)
from services.relief.standards import StandardsBook

MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "relief" / "migrations"
NOW = datetime(2024, 9, 15, 2, 0, tzinfo=UTC)
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Inc:
    """An income: fen over start..end (inclusive)."""

    fen: int
    start: date
    end: date
    kind: str = "wages"


@dataclass(frozen=True)
class Val:
    """An asset valuation."""

    fen: int
    as_of: date
    kind: str = "deposit"


@dataclass(frozen=True)
class M:
    """A member as the tests describe them."""

    born: date = date(1980, 5, 1)
    relation: str = "head"
    capacity: str = "full"
    disability: int | None = None
    employed: bool = False
    incomes: tuple[Inc, ...] = ()
    assets: tuple[Val, ...] = ()
    id_number: str | None = None  # a valid one when a test changes the person through relief's code


@dataclass
class Built:
    """Households written, by a test's name for each."""

    ids: dict[str, str] = field(default_factory=dict)


async def migrated(url: str) -> Database:
    """relief's schema on a fresh database."""
    db = Database(url)
    await db.migrate(MIGRATIONS)
    return db


async def add_household(
    db: Database, region: str, *members: M, since: date = date(2020, 1, 1), at: datetime = NOW
) -> str:
    """Write a household with its members, their incomes and assets (registered ``at``); its id."""
    hid = str(uuid.uuid4())
    async with db.unit_of_work() as session:
        session.add(
            Household(id=hid, region_code=region, registered_at=at, registered_by="test", updated_at=at)
        )
        await session.flush()
        for m in members:
            pid = str(uuid.uuid4())
            session.add(
                Person(
                    id=pid,
                    id_number=m.id_number or f"T{next(_numbers):017d}",
                    name="测试",
                    sex="F",
                    birth_date=m.born,
                    disability_grade=m.disability,
                    labour_capacity=m.capacity,
                    employed=m.employed,
                    registered_at=NOW,
                    updated_at=NOW,
                )
            )
            await session.flush()
            session.add(
                Membership(
                    id=str(uuid.uuid4()),
                    household_id=hid,
                    person_id=pid,
                    relation=m.relation,
                    joined_on=since,
                    recorded_at=NOW,
                    recorded_by="test",
                )
            )
            for i in m.incomes:
                session.add(
                    Income(
                        id=str(uuid.uuid4()),
                        person_id=pid,
                        household_id=hid,
                        kind=i.kind,
                        amount_fen=i.fen,
                        period_start=i.start,
                        period_end=i.end,
                        recorded_at=NOW,
                        recorded_by="test",
                    )
                )
            for a in m.assets:
                session.add(
                    Asset(
                        id=str(uuid.uuid4()),
                        person_id=pid,
                        household_id=hid,
                        kind=a.kind,
                        value_fen=a.fen,
                        as_of=a.as_of,
                        recorded_at=NOW,
                        recorded_by="test",
                    )
                )
    return hid


async def add_grant(db: Database, household_id: str, programme: str, *, status: str = "active") -> str:
    """An open grant of ``programme`` for the household."""
    gid = str(uuid.uuid4())
    async with db.unit_of_work() as session:
        household = await session.get(Household, household_id)
        assert household is not None
        session.add(
            AssistanceGrant(
                id=gid,
                household_id=household_id,
                region_code=household.region_code,
                programme=programme,
                status=status,
                effective_from=date(2024, 1, 1),
                monthly_amount_fen=100,
                assessment_snapshot="{}",
                recheck_due_on=date(2025, 1, 1),
                granted_by="test",
                granted_at=NOW,
                updated_by="test",
                updated_at=NOW,
            )
        )
    return gid


@dataclass(frozen=True)
class Row:
    """A run's assessment as read back (plain values, usable after the session closed)."""

    household_id: str
    classification: str
    amount_fen: int
    members: int
    household_monthly_income_fen: int
    assets_fen: int
    standards_id: str
    engine: str
    snapshot: str | None


async def rows_of(db: Database, run_id: str) -> dict[str, Row]:
    """A run's assessments by household."""
    async with db.read() as session:
        stmt = select(ReliefAssessment).where(col(ReliefAssessment.run_id) == run_id)
        return {
            r.household_id: Row(
                r.household_id,
                r.classification,
                r.amount_fen,
                r.members,
                r.household_monthly_income_fen,
                r.assets_fen,
                r.standards_id,
                r.engine,
                r.snapshot,
            )
            for r in (await session.exec(stmt)).all()
        }


async def engine_says(
    db: Database, household_id: str, month: Month, book: StandardsBook
) -> tuple[str, int, int, int, int, str]:
    """(classification, amount, members, household monthly income, assets, standards id) by the engine."""
    async with db.read() as session:
        result, standards = await assess_household(
            session, scopes=["33"], household_id=household_id, month=month, book=book
        )
    per_capita = next(r for r in result.reasons if r.rule == "income.per_capita").figures
    members = result.snapshot["household"]["members"]
    assets = sum(a["value_fen"] for m in members for a in m["assets"])
    return (
        result.classification.value,
        result.amount_fen,
        len(members),
        per_capita["household_monthly_fen"],
        assets,
        snapshot_id(snapshot_json(standards)),
    )


# ``Row.engine`` of a household a run wrote no row for (``rows_with_none``).
NO_ROW = "no row"


async def open_grant_holders(db: Database) -> set[str]:
    """Households holding an open (active or suspended) grant."""
    async with db.read() as session:
        stmt = select(AssistanceGrant.household_id).where(
            col(AssistanceGrant.status).in_(("active", "suspended"))
        )
        return set((await session.exec(stmt)).all())


async def rows_with_none(
    db: Database, run_id: str, households: list[str], month: Month, book: StandardsBook
) -> dict[str, Row]:
    """A run's rows by household, with a row made up from the engine for each of ``households`` the run
    wrote none for, after checking that the engine classifies it ``none`` and that it holds no open grant
    (a run writes rows only for the households that matter: ``models.payments``)."""
    rows = await rows_of(db, run_id)
    holders = await open_grant_holders(db)
    for hid in households:
        if hid in rows:
            continue
        says = await engine_says(db, hid, month, book)
        assert says[0] == "none" and hid not in holders, (hid, says)
        rows[hid] = Row(hid, says[0], says[1], says[2], says[3], says[4], says[5], NO_ROW, None)
    return rows


def row_says(row: Row) -> tuple[str, int, int, int, int, str]:
    """The same figures from a run's row."""
    return (
        row.classification,
        row.amount_fen,
        row.members,
        row.household_monthly_income_fen,
        row.assets_fen,
        row.standards_id,
    )


def engine_snapshot(row: Row) -> dict[str, object] | None:
    """The engine's snapshot on a row it made (None on the SQL twin's rows)."""
    return None if row.snapshot is None else json.loads(row.snapshot)
