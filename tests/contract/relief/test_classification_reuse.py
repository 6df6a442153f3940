"""Re-classifying a month after a standard changed, from the month's stored household facts, on SQLite
and PostgreSQL: the rows and the facts are those of a full run on the same data, whatever changed.

Each test runs a month under one book, changes households through relief's own write paths (an income
and an asset recorded, a member's disability changed by leaving and joining again, a death), adds a
household, then runs the month under a changed book twice: deciding again from the first run (the
default) and in full (``reuse_previous=False``), and compares every column of every row and of every
facts row, and every household with the pure engine (no row: the engine's none, no open grant).
"""

from __future__ import annotations

import math
import random
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.db import Database
from services.kit.idcard import make_id_number, parse_id_number
from services.relief import classification, finances, memberships
from services.relief.classification import ClassificationSummary, reclassify
from services.relief.classification_reuse import FACTS_MARGIN
from services.relief.eligibility import ENGINE_VERSION
from services.relief.eligibility_models import LabourCapacity, Relation
from services.relief.household_rules import AssetKind, IncomeKind, LeaveReason
from services.relief.households import HouseholdFile, household_file, visible_household
from services.relief.people import PersonIn
from services.relief.standards import StandardsBook, load_standards
from tests.contract.relief.classification_support import (
    NOW,
    Inc,
    M,
    Val,
    add_household,
    engine_says,
    migrated,
    row_says,
    rows_of,
    rows_with_none,
)
from tests.contract.relief.test_classification import (
    ELDER,
    SEPT,
    VILLAGE,
    WIN,
    D,
    full,
    near_boundary_household,
)

TOWN = "330109002001"  # its income window changes between the books: assessed in full
SCOPES = ["330109"]
KEY = b"k" * 32

BOOK = """
tables:
  dibao_monthly:
    description: test
    unit: yuan
    entries:
      - {{key: "330109", from: 2021-01-01, value: "{dibao}", source: test}}
  dibian:
    description: test
    unit: ratio
    entries:
      - key: "330109"
        from: 2021-01-01
        value: {{multiplier: "{multiplier}", allowance_monthly: {allowance}}}
        source: test
      - {{key: "330109002", from: 2021-01-01, value: {{multiplier: "19/10", allowance_monthly: "50.00"}},
         source: test}}
  tekun:
    description: test
    unit: ratio
    entries:
      - {{key: "330109", from: 2021-01-01, value: {tekun}, source: test}}
  tekun_minor_age_limit:
    description: test
    unit: years
    entries:
      - {{key: "330109", from: 2021-01-01, value: 18, source: test}}
  price_subsidy:
    description: test
    unit: yuan
    entries:
      - {{key: "330109", from: 2021-01-01, value: {subsidy}, source: test}}
      - {{key: "330109002", from: 2021-01-01, value: "20.00", source: test}}
  assessment:
    description: test
    unit: months
    entries:
      - {{key: "330109", from: 2021-01-01, value: {{income_window_months: 12, asset_limit_months: {assets}}},
         source: test}}
      - key: "330109002"
        from: 2021-01-01
        value: {{income_window_months: {town_window}, asset_limit_months: 24}}
        source: test
"""
# The first run's standards; then every figure the re-decision applies changes, and the town's window.
BEFORE = {
    "dibao": "1050.00",
    "multiplier": "2",
    "allowance": "null",
    "tekun": '{ratio_to_dibao: "1210/700"}',
    "subsidy": "null",
    "assets": 24,
    "town_window": 12,
}
AFTER = {
    "dibao": "1102.00",  # = D: the near-boundary households sit at the new standard's boundaries
    "multiplier": "17/10",
    "allowance": '"60.00"',
    "tekun": '{monthly: "1900.00"}',
    "subsidy": '"15.00"',
    "assets": 20,
    "town_window": 6,
}


def book(tmp_path: Path, name: str, figures: dict[str, Any]) -> StandardsBook:
    path = tmp_path / f"{name}.yaml"
    path.write_text(BOOK.format(**figures), encoding="utf-8")
    return load_standards(path)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = await migrated(database_url)
    try:
        yield database
    finally:
        await database.dispose()


IGNORED = {"id", "run_id", "assessed_at"}
# A facts row's run, time and the snapshot it was read under (comparable ones give the same facts).
FACTS_IGNORED = {"run_id", "computed_at", "standards_id"}


async def full_rows(db: Database, run_id: str) -> dict[str, dict[str, Any]]:
    """Every column of a run's rows but their own id, run and time, by household."""
    async with db.read() as session:
        result = await (await session.connection()).execute(
            sa.text("SELECT * FROM relief_assessment WHERE run_id = :run"), {"run": run_id}
        )
        rows = [dict(r._mapping) for r in result]
    return {r["household_id"]: {k: v for k, v in r.items() if k not in IGNORED} for r in rows}


async def facts_rows(db: Database, period: str = "2024-09") -> dict[str, dict[str, Any]]:
    """The month's facts rows by household, without their run, time and snapshot."""
    async with db.read() as session:
        result = await (await session.connection()).execute(
            sa.text("SELECT * FROM relief_household_facts WHERE period = :period"), {"period": period}
        )
        rows = [dict(r._mapping) for r in result]
    return {r["household_id"]: {k: v for k, v in r.items() if k not in FACTS_IGNORED} for r in rows}


async def facts_runs(db: Database) -> dict[str, str]:
    """The run that computed each household's facts of September."""
    async with db.read() as session:
        result = await (await session.connection()).execute(
            sa.text("SELECT household_id, run_id FROM relief_household_facts WHERE period = '2024-09'")
        )
        return {str(h): str(r) for h, r in result.all()}


def assert_same_rows(got: dict[str, dict[str, Any]], want: dict[str, dict[str, Any]]) -> None:
    assert set(got) == set(want)
    for hid, row in want.items():
        other = dict(got[hid])
        # A float sum's last bit may depend on the order SQL added its terms in.
        f, g = row.get("income_f"), other.pop("income_f", None)
        assert (f is None) == (g is None) and (f is None or math.isclose(f, g, abs_tol=1e-9)), hid
        assert other == {k: v for k, v in row.items() if k != "income_f"}, hid


async def assert_as_engine(
    db: Database, summary: ClassificationSummary, book: StandardsBook, households: list[str]
) -> None:
    # Households without a row must be the engine's none without an open grant (rows_with_none).
    rows = await rows_with_none(db, summary.run_id, households, SEPT, book)
    assert set(rows) == set(households)
    for hid, row in rows.items():
        assert row_says(row) == await engine_says(db, hid, SEPT, book), hid


def asset_case(limit_months: int, n: int, over: int) -> tuple[M, ...]:
    head = M(assets=(Val(limit_months * D * n + over, date(2024, 1, 1)),))
    return (head, *(M(relation="child", born=date(2010, 1, 1)) for _ in range(n - 1)))


@pytest.mark.parametrize("by_name", [True, False], ids=["left-by-name", "left-by-range"])
async def test_a_rerun_after_a_standard_change_decides_as_a_full_run_would(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_name: bool
) -> None:
    # The twin reads the households a re-decision left by name when they are few, else by the range.
    monkeypatch.setattr(classification, "_FEW", 1000 if by_name else 0)
    before, after = book(tmp_path, "before", BEFORE), book(tmp_path, "after", AFTER)
    rng = random.Random(20241206)
    village = [await add_household(db, VILLAGE, *near_boundary_household(rng)) for _ in range(120)]
    town = [await add_household(db, TOWN, *near_boundary_household(rng)) for _ in range(20)]
    assets = [
        await add_household(db, VILLAGE, *asset_case(months, n, over))
        for months in (20, 24)
        for n in (1, 3)
        for over in (0, 1)
    ]
    # Two halves of a fen make a whole one: too close to call in floating point, the engine's row.
    halves = await add_household(
        db,
        VILLAGE,
        M(incomes=(*full(12 * D - 12), Inc(101, date(2023, 8, 31), date(2023, 9, 1)))),
        M(relation="spouse", incomes=(Inc(12 * D - 7, *WIN), Inc(3, date(2024, 8, 31), date(2024, 9, 1)))),
    )
    no_income = await add_household(db, VILLAGE, M())
    no_assets = await add_household(db, VILLAGE, M(), M(relation="spouse"))
    spouse_id = make_id_number(birth_date=date(1984, 1, 1), sequence=11)
    disabled = await add_household(
        db,
        VILLAGE,
        M(born=ELDER, capacity="none"),
        M(relation="spouse", born=date(1984, 1, 1), capacity="none", disability=3, id_number=spouse_id),
    )
    widow_id = make_id_number(birth_date=ELDER, sequence=12)
    widowed = await add_household(
        db,
        VILLAGE,
        M(born=ELDER, capacity="none", id_number=widow_id),
        M(relation="spouse", born=date(1990, 1, 1), incomes=full(30 * D)),
    )

    # The first run starts well after the households were written (FACTS_MARGIN before it counts as since).
    first_at = NOW + FACTS_MARGIN + timedelta(minutes=1)
    first = await reclassify(db, book=before, month=SEPT, now=first_at, actor="test", chunk_size=25)
    assert first.engine_households >= 1 and first.redecided == 0
    first_rows = await rows_of(db, first.run_id)
    assert first_rows[halves].engine == ENGINE_VERSION
    first_facts = await facts_runs(db)
    # Every household the twin could aggregate has facts, the engine's too (the engine decides it only
    # because a comparison was too close to call).
    assert halves in first_facts and set(first_facts.values()) == {first.run_id}

    # Between the runs, through relief's own write paths (each moves household.updated_at on).
    later = first_at + timedelta(hours=1)
    await _changes(db, later, no_income, no_assets, disabled, spouse_id, widowed)
    newcomer = await add_household(db, VILLAGE, M(), at=later)
    rerun_at = later + timedelta(minutes=5)

    reused = await reclassify(db, book=after, month=SEPT, now=rerun_at, actor="test", chunk_size=25)
    facts_after_reuse, runs_after_reuse = await facts_rows(db), await facts_runs(db)
    full_run = await reclassify(
        db, book=after, month=SEPT, now=rerun_at, actor="test", chunk_size=25, reuse_previous=False
    )

    assert full_run.redecided == 0
    changed = {no_income, no_assets, disabled, widowed}
    kept = [h for h in [*village, *assets, halves, *changed] if h in first_facts and h not in changed]
    # Everyone unchanged in the village with facts is decided from them (a few may be too close to call
    # under the new figures); nobody changed, new, or in the town (its window changed).
    assert len(kept) - 5 <= reused.redecided <= len(kept)
    assert {h for h, r in runs_after_reuse.items() if r == first.run_id} == set(kept)
    assert {*changed, newcomer, *town} <= {h for h, r in runs_after_reuse.items() if r == reused.run_id}
    # The facts the re-decision kept or upserted are those a full aggregation computes; so are the rows.
    assert_same_rows(facts_after_reuse, await facts_rows(db))
    assert_same_rows(await full_rows(db, reused.run_id), await full_rows(db, full_run.run_id))
    assert (reused.counts, reused.households, reused.engine_households) == (
        full_run.counts,
        full_run.households,
        full_run.engine_households,
    )
    everyone = [*village, *town, *assets, halves, no_income, no_assets, disabled, widowed, newcomer]
    await assert_as_engine(db, reused, after, everyone)

    rows = await rows_with_none(db, reused.run_id, everyone, SEPT, after)
    assert set(town) <= set(rows) and newcomer in rows and halves in rows
    assert (first_rows[no_income].classification, rows[no_income].classification) == ("dibao", "none")
    assert (first_rows[no_assets].classification, rows[no_assets].classification) == ("dibao", "none")
    assert (first_rows[disabled].classification, rows[disabled].classification) == ("dibao", "tekun")
    assert rows[disabled].amount_fen == 2 * (190_000 + 1_500)
    assert (first_rows[widowed].members, rows[widowed].members) == (2, 1)
    assert rows[widowed].classification == "tekun"


async def _file(session: AsyncSession, household_id: str) -> HouseholdFile:
    household = await visible_household(session, scopes=SCOPES, household_id=household_id)
    return await household_file(session, household=household, with_past=False)


async def _changes(
    db: Database,
    now: datetime,
    no_income: str,
    no_assets: str,
    disabled: str,
    spouse_id: str,
    widowed: str,
) -> None:
    async with db.unit_of_work() as session:
        file = await _file(session, no_income)
        await finances.record_income(
            session,
            actor="officer",
            scopes=SCOPES,
            new=finances.IncomeIn(
                household_id=no_income,
                person_id=file.members[0].person.id,
                kind=IncomeKind.WAGES,
                amount_fen=30 * 12 * D,
                start=WIN[0],
                end=WIN[1],
                note="",
            ),
            now=now,
        )
    async with db.unit_of_work() as session:
        file = await _file(session, no_assets)
        await finances.record_asset(
            session,
            actor="officer",
            scopes=SCOPES,
            new=finances.AssetIn(
                household_id=no_assets,
                person_id=file.members[1].person.id,
                kind=AssetKind.DEPOSIT,
                value_fen=100 * D,
                as_of=date(2024, 6, 1),
                note="",
            ),
            now=now,
        )
    # The spouse's disability is re-graded: they leave and join again with the new grade.
    async with db.unit_of_work() as session:
        file = await _file(session, disabled)
        spouse = next(r.person for r in file.members if r.person.id_number == spouse_id)
        await memberships.remove_member(
            session,
            actor="officer",
            scopes=SCOPES,
            leaving=memberships.Leaving(disabled, spouse.id, LeaveReason.OTHER, date(2024, 9, 10), "", None),
            key=KEY,
            now=now,
        )
    async with db.unit_of_work() as session:
        await memberships.add_member(
            session,
            actor="officer",
            scopes=SCOPES,
            household_id=disabled,
            given=PersonIn(
                id_number=parse_id_number(spouse_id),
                name="测试",
                relation=Relation.SPOUSE,
                disability_grade=1,
                labour_capacity=LabourCapacity.NONE,
                employed=False,
            ),
            joined_on=date(2024, 9, 10),
            key=KEY,
            now=now,
        )
    # The earning spouse dies (what the funeral event's handler does: discovery.death_registered).
    async with db.unit_of_work() as session:
        file = await _file(session, widowed)
        spouse = next(r.person for r in file.members if r.membership.relation == "spouse")
        await memberships.remove_member(
            session,
            actor="officer",
            scopes=SCOPES,
            leaving=memberships.Leaving(widowed, spouse.id, LeaveReason.DIED, date(2024, 9, 5), "", None),
            key=KEY,
            now=now,
        )
