"""kit.payments: period keys, the standard a month uses, deterministic ids, run summaries in fen."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.kit.money import Money
from services.kit.payments import (
    GroupTotal,
    PaymentRunSummary,
    add_totals,
    insert_for,
    payment_key,
    period_key,
    run_id,
    standard_for,
    standards_for,
)
from services.kit.periods import Month
from services.kit.policy import PolicyEntry, PolicyTable

TABLE: PolicyTable[Money] = PolicyTable(
    "living_allowance",
    [PolicyEntry("orphan_scattered", date(2020, 1, 1), None, Money(205700))],
).supersede("orphan_scattered", date(2025, 8, 15), Money(210000))


def test_a_monthly_period_is_its_yyyy_mm_key() -> None:
    assert period_key(Month(2025, 7)) == "2025-07"
    assert period_key(Month(987, 12)) == "0987-12"


@pytest.mark.parametrize(
    ("month", "fen", "since"),
    [
        (Month(2025, 7), 205700, date(2020, 1, 1)),
        (Month(2025, 8), 205700, date(2020, 1, 1)),  # superseded on the 15th: the 1st decides
        (Month(2025, 9), 210000, date(2025, 8, 15)),
    ],
)
def test_a_month_uses_the_standard_in_force_on_its_first_day(month: Month, fen: int, since: date) -> None:
    entry = standard_for(TABLE, "orphan_scattered", month)
    assert entry is not None and entry.value == Money(fen) and entry.effective_from == since


def test_no_standard_in_force_is_none_not_zero() -> None:
    assert standard_for(TABLE, "orphan_scattered", Month(2019, 12)) is None
    assert standards_for(TABLE, ["left_behind", "orphan_scattered"], Month(2025, 7)) == {
        "left_behind": None,
        "orphan_scattered": TABLE.find_on("orphan_scattered", date(2025, 7, 1)),
    }


def test_ids_are_deterministic_uuids_and_distinct_per_input() -> None:
    key = payment_key("child-1", "living_allowance", "2025-07")
    assert key == payment_key("child-1", "living_allowance", "2025-07")
    assert uuid.UUID(key).version == 5
    assert key != payment_key("child-1", "living_allowance", "2025-08")
    assert key != payment_key("child-2", "living_allowance", "2025-07")
    assert run_id("living_allowance", "2025-07", 1) == run_id("living_allowance", "2025-07", 1)
    assert run_id("living_allowance", "2025-07", 1) != run_id("living_allowance", "2025-07", 2)
    assert run_id("living_allowance", "2025-07", 1) != payment_key("living_allowance", "2025-07", "1")


@pytest.mark.parametrize(
    ("person", "programme", "period"), [("", "p", "2025-07"), ("a|b", "p", "2025-07"), ("a", "p", "")]
)
def test_ambiguous_key_parts_are_refused(person: str, programme: str, period: str) -> None:
    with pytest.raises(ValueError):
        payment_key(person, programme, period)


def test_a_run_sequence_starts_at_one() -> None:
    with pytest.raises(ValueError, match="sequence"):
        run_id("living_allowance", "2025-07", 0)


def test_only_postgresql_and_sqlite_have_an_on_conflict_insert() -> None:
    assert insert_for("postgresql").__module__.startswith("sqlalchemy.dialects.postgresql")
    assert insert_for("sqlite").__module__.startswith("sqlalchemy.dialects.sqlite")
    with pytest.raises(ValueError, match="mysql"):
        insert_for("mysql")


def test_group_totals_are_integer_fen() -> None:
    with pytest.raises(TypeError):
        GroupTotal(1, 2057.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        GroupTotal(-1, 0)
    assert GroupTotal(2, 411400).total == Money(411400)


def test_a_summary_adds_up_its_groups() -> None:
    paid = add_totals({}, "orphan_scattered", 2, 205700)
    paid = add_totals(paid, "orphan_institution", 1, 257100)
    paid = add_totals(paid, "de_facto_unattended", 0, 205700)  # nothing paid: left out
    summary = PaymentRunSummary("living_allowance", "2025-07", "run", paid=paid, skipped={"left_behind": 3})
    assert paid == {"orphan_scattered": GroupTotal(2, 411400), "orphan_institution": GroupTotal(1, 257100)}
    assert summary.persons_paid == 3 and summary.total_fen == 668500 and summary.persons_skipped == 3


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 50), st.integers(0, 10**7)), max_size=20))
def test_totals_are_exact_in_fen(batches: list[tuple[str, int, int]]) -> None:
    paid: dict[str, GroupTotal] = {}
    for group, persons, fen in batches:
        paid = add_totals(paid, group, persons, fen)
    assert sum(t.total_fen for t in paid.values()) == sum(p * f for _, p, f in batches)
    assert sum(t.persons for t in paid.values()) == sum(p for _, p, _ in batches)
