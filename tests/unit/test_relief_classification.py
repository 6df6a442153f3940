"""The set-based re-classification's pure parts: age cutoffs as birth dates, the figures handed to SQL,
the exact-or-undecided comparisons (evaluated by SQLite in memory against exact fractions), and when a
previous run's rows may be decided again."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, timedelta
from fractions import Fraction

import pytest

from services.kit.fields import age_on
from services.kit.periods import Month
from services.relief.classification import figures_for, latest_birth_at_age, snapshot_id, snapshot_json
from services.relief.classification_flags import Finding, reason, source_event_id
from services.relief.classification_reuse import comparable
from services.relief.classification_sql import UNKNOWN, Dialect, below, every_member_tekun, floor_of
from services.relief.discovery_rules import FlagKind
from services.relief.models import ReliefAssessment
from services.relief.standards import load_standards


@pytest.mark.parametrize("age", [0, 1, 17, 18, 59, 60, 61, 100])
def test_the_latest_birth_at_an_age_agrees_with_age_on_every_day_around_29_february(age: int) -> None:
    days = [date(2023, 1, 1) + timedelta(days=i) for i in range(0, 3 * 366)]  # 2023, leap 2024, 2025
    for day in days:
        cutoff = latest_birth_at_age(age, day)
        assert age_on(cutoff, day) >= age, (age, day)
        assert age_on(cutoff + timedelta(days=1), day) < age, (age, day)


def test_the_figures_carry_the_window_the_age_cutoffs_and_the_exact_multiplier() -> None:
    month = Month(2024, 9)
    standards = load_standards().for_month("330109001001", month)
    figures = figures_for(standards, month, snapshot_id(snapshot_json(standards)))
    assert (figures.window_start, figures.window_end) == (date(2023, 9, 1), date(2024, 8, 31))
    assert (figures.dibian_numerator, figures.dibian_denominator) == (2, 1)
    assert figures.elder_born_by == date(1964, 9, 30)  # 60 on the month's last day
    assert figures.minor_born_after == date(2006, 9, 1)  # 18 on its first day: no longer a minor
    assert figures.asset_limit_per_person_fen == 24 * 110_200
    assert figures.standards_id == snapshot_id(
        snapshot_json(load_standards().for_month("330109001001", month))
    )


def _parts(terms: list[tuple[int, int]]) -> tuple[int, int, int, int | None, float]:
    """What the SQL sums over incomes (numerator, period): q, r, kf, p1, f."""
    q = sum(n // p for n, p in terms)
    r = sum(n % p for n, p in terms)
    fractional = [p for n, p in terms if n % p]
    return q, r, len(fractional), (fractional[0] if fractional else None), sum((n % p) / p for n, p in terms)


def _sql_value(expr: str, **values: object) -> object:
    with sqlite3.connect(":memory:") as conn:
        return conn.execute(f"SELECT {expr}", values).fetchone()[0]


def _random_terms(rng: random.Random) -> list[tuple[int, int]]:
    terms = []
    for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
        period = rng.choice([1, 2, 3, 7, 30, 31, 365, 366, rng.randint(1, 800)])
        terms.append((rng.randint(0, 10**9), period))
    return terms


def test_comparisons_are_exact_or_left_undecided_never_wrong() -> None:
    rng = random.Random(6)
    sql = Dialect("sqlite")
    decided = undecided = 0
    for _ in range(3000):
        terms = _random_terms(rng)
        exact = sum((Fraction(n, p) for n, p in terms), Fraction(0))
        q, r, kf, p1, f = _parts(terms)
        frac = exact - q
        denominator = rng.choice([1, 1, 10, 700])
        # A boundary right at, or a hair from, the fractional part: the hard cases.
        numerator = math_floor(frac * denominator) + rng.choice([-1, 0, 0, 1, 2])
        got = _sql_value(
            below(":kf", ":r", ":p1", ":f", ":num", ":den"),
            kf=kf,
            r=r,
            p1=p1,
            f=f,
            num=numerator,
            den=denominator,
        )
        if got is None:
            undecided += 1
            assert kf >= 2  # only float sums can be too close to call
            assert abs(frac * denominator - numerator) < Fraction(1, 10**6)
        else:
            decided += 1
            assert got == (1 if frac < Fraction(numerator, denominator) else 0), (
                terms,
                numerator,
                denominator,
            )
        for times in (1, 2):
            floored = _sql_value(floor_of(sql, ":kf", ":r", ":p1", ":f", times), kf=kf, r=r, p1=p1, f=f)
            assert floored is None or floored == math_floor(frac * times), terms
            assert floored is not None or kf >= 2  # exact unless a float sum
    assert decided > 2500 and undecided < 100


def math_floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def test_a_findings_reason_and_source_say_what_and_when() -> None:
    finding = Finding("h1", "330109001001", "none", FlagKind.REASSESS, "dibao")
    assert "低保" in reason(finding, "2024-09") and "none" in reason(finding, "2024-09")
    qualifies = Finding("h2", "330109001001", "tekun", FlagKind.MAY_QUALIFY, None)
    assert "特困" in reason(qualifies, "2024-09") and "no grant" in reason(qualifies, "2024-09")
    assert source_event_id("2024-09", "h1", "reassess") == "relief-classification/2024-09/h1/reassess"


def test_rows_are_decided_again_only_under_standards_with_the_same_window_and_age_limit() -> None:
    month = Month(2024, 9)
    standards = load_standards().for_month("330109001001", month)
    before = json.loads(snapshot_json(standards))
    assert comparable(before, standards)
    # Every figure the decision applies to the aggregates may differ.
    other_figures = before | {"dibao_monthly_fen": 1, "tekun_monthly_fen": 2, "dibian_multiplier": "3/2"}
    assert comparable(other_figures | {"asset_limit_months": 6, "price_subsidy_monthly_fen": 5}, standards)
    # What the aggregates themselves depend on may not.
    assert not comparable(before | {"income_window_months": 6}, standards)
    assert not comparable(before | {"tekun_minor_age_limit": 16}, standards)
    assert not comparable(before | {"region": "330109002001"}, standards)
    assert not comparable(before | {"day": "2024-08-01"}, standards)


@pytest.mark.parametrize(("others", "own_max", "limit", "expected"), [
    (1, 99, 100, 2),  # every member 特困: the largest own income below the limit
    (1, 100, 100, 0),  # at the limit: not 特困
    (1, None, 100, 1),  # too close to call: left to the engine
    (1, int(UNKNOWN), 100, 1),
    (0, 5, 100, 0),  # someone fails a condition other than income
])  # fmt: skip
def test_every_member_is_tekun_only_when_the_largest_own_income_is_below_the_limit(
    others: int, own_max: int | None, limit: int, expected: int
) -> None:
    expr = every_member_tekun(":others", ":own_max", ":limit")
    assert _sql_value(expr, others=others, own_max=own_max, limit=limit) == expected


def test_assessments_carry_no_foreign_keys_and_keep_their_indexes() -> None:
    table = ReliefAssessment.__table__  # type: ignore[attr-defined]
    assert not table.foreign_keys  # append-only, written by the run alone: no per-row key checks
    assert {i.name for i in table.indexes} == {"ix_relief_assessment_household"}
    assert "uq_relief_assessment_run_household" in {c.name for c in table.constraints}
