"""Effective-dated policy tables, money in fen, and policy files (no I/O beyond reading a file)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from services.kit.errors import FailedPrecondition
from services.kit.periods import Month
from services.kit.policy import (
    Money,
    NoPolicyInForce,
    PolicyDataError,
    PolicyEntry,
    PolicyTable,
    default_policy_path,
    load_default,
    load_table,
    load_tables,
    parse_tables,
    yuan_to_fen,
)
from services.kit.visits import Cadence, Escalation

D = date.fromisoformat
CHILDWELFARE = {"living_allowance": Money, "visit_cadence": Cadence, "visit_escalation": Escalation}


def entry(key: str, start: str, end: str | None, value: object) -> PolicyEntry:
    return PolicyEntry(key, D(start), D(end) if end else None, value)


# --- money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "fen"),
    [("2571.00", 257100), ("2057", 205700), (" 0.01 ", 1), ("0.5", 50), ("-3.50", -350),
     (Decimal("2571.000"), 257100), (Decimal("14000"), 1400000), (12, 1200)],
)  # fmt: skip
def test_yuan_to_fen_is_exact(amount: str | Decimal | int, fen: int) -> None:
    assert yuan_to_fen(amount) == fen


@pytest.mark.parametrize("amount", [2571.0, 0.1, True])
def test_yuan_to_fen_refuses_floats_and_bools(amount: object) -> None:
    with pytest.raises(TypeError, match="must not be a"):
        yuan_to_fen(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["2571.001", "1,000", "", "¥5", "2e3", Decimal("NaN"), Decimal("0.001")])
def test_yuan_to_fen_refuses_what_is_not_a_whole_number_of_fen(amount: str | Decimal) -> None:
    with pytest.raises(ValueError):
        yuan_to_fen(amount)


def test_money_adds_and_multiplies_in_fen_and_shows_yuan() -> None:
    allowance = Money.from_yuan("2057.00")
    assert allowance * 12 == 12 * allowance == Money(2_468_400)
    assert allowance + Money(1) - Money(2) == Money(205_699)
    assert str(allowance * 12) == "¥24,684.00"
    assert str(-Money(5)) == "-¥0.05"
    assert Money(-350).text == "-3.50"
    assert Money(257100).yuan == Decimal("2571")
    assert Money(1) < Money(2)
    with pytest.raises(TypeError):
        allowance * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(2571.0)  # type: ignore[arg-type]


def test_money_in_a_pydantic_model_is_a_quoted_yuan_amount() -> None:
    class Payment(BaseModel):
        amount: Money

    assert Payment(amount="2571.00").amount == Money(257100)  # type: ignore[arg-type]
    assert Payment(amount=Money(5)).model_dump(mode="json") == {"amount": "0.05"}
    for bare in (2571, 2571.0):
        with pytest.raises(ValueError, match="quoted yuan amount"):
            Payment(amount=bare)  # type: ignore[arg-type]


# --- tables -----------------------------------------------------------------------------------------


@pytest.fixture
def mid_year_change() -> PolicyTable[Money]:
    # A standard raised on 1 July; a second key with a gap before it starts.
    return PolicyTable(
        "allowance",
        [
            entry("scattered", "2024-01-01", "2024-06-30", Money(205_700)),
            entry("scattered", "2024-07-01", None, Money(215_000)),
            entry("institution", "2024-01-01", "2024-12-31", Money(257_100)),
            entry("institution", "2025-03-01", None, Money(270_000)),
        ],
    )


@pytest.mark.parametrize(
    ("day", "fen"),
    [("2024-01-01", 205_700), ("2024-06-30", 205_700), ("2024-07-01", 215_000), ("2030-01-01", 215_000)],
)
def test_the_entry_in_force_on_each_day_when_a_standard_changes_mid_year(
    mid_year_change: PolicyTable[Money], day: str, fen: int
) -> None:
    assert mid_year_change.value_on("scattered", D(day)) == Money(fen)


def test_every_day_of_the_year_has_exactly_one_standard(mid_year_change: PolicyTable[Money]) -> None:
    by_month = {
        month.key: {
            mid_year_change.value_on("scattered", month.first),
            mid_year_change.value_on("scattered", month.last),
        }
        for month in (Month(2024, m) for m in range(1, 13))
    }
    assert by_month["2024-06"] == {Money(205_700)} and by_month["2024-07"] == {Money(215_000)}


def test_no_standard_in_force_is_a_clear_failed_precondition(mid_year_change: PolicyTable[Money]) -> None:
    with pytest.raises(
        NoPolicyInForce, match=r"'scattered' in force on 2023-12-31 \(entries: 2024-01-01\.\.2024-06-30"
    ):
        mid_year_change.value_on("scattered", D("2023-12-31"))
    with pytest.raises(NoPolicyInForce, match="2025-02-01"):  # the gap between two institution entries
        mid_year_change.value_on("institution", D("2025-02-01"))
    with pytest.raises(
        NoPolicyInForce, match=r"no entries for 'left_behind' \(keys: institution, scattered\)"
    ):
        mid_year_change.value_on("left_behind", D("2024-05-01"))
    assert issubclass(NoPolicyInForce, FailedPrecondition)
    assert mid_year_change.find_on("institution", D("2025-02-01")) is None


def test_history_lists_a_keys_entries_oldest_first(mid_year_change: PolicyTable[Money]) -> None:
    assert [e.span for e in mid_year_change.history("scattered")] == [
        "2024-01-01..2024-06-30",
        "2024-07-01..open",
    ]
    assert mid_year_change.history("unknown") == ()
    assert mid_year_change.keys() == ("institution", "scattered")
    assert len(mid_year_change) == 4
    assert mid_year_change.in_force_on(D("2025-02-01")) == {"scattered": Money(215_000)}


@pytest.mark.parametrize(
    "entries",
    [
        [entry("k", "2024-01-01", None, 1), entry("k", "2024-07-01", None, 2)],  # open-ended then later
        [entry("k", "2024-01-01", "2024-07-01", 1), entry("k", "2024-07-01", None, 2)],  # shared day
        [entry("k", "2024-01-01", "2024-12-31", 1), entry("k", "2024-01-01", "2024-03-31", 2)],  # same start
        [entry("k", "2024-03-01", "2024-04-30", 1), entry("k", "2024-01-01", "2024-12-31", 2)],  # nested
    ],
)
def test_overlapping_entries_for_one_key_are_refused(entries: list[PolicyEntry]) -> None:
    with pytest.raises(PolicyDataError, match="entries for 'k' overlap"):
        PolicyTable("t", entries)


def test_entries_of_different_keys_may_share_dates_and_gaps_are_allowed() -> None:
    table = PolicyTable("t", [entry("a", "2024-01-01", None, 1), entry("b", "2024-01-01", None, 2),
                              entry("a", "2023-01-01", "2023-06-30", 0)])  # fmt: skip
    assert table.value_on("a", D("2024-02-01")) == 1


def test_an_entry_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(PolicyDataError, match=r"ends .* before it starts"):
        PolicyTable("t", [entry("k", "2024-07-01", "2024-06-30", 1)])


def test_supersede_closes_the_open_entry_the_day_before_and_keeps_the_past() -> None:
    table = PolicyTable("dibao", [entry("330109", "2021-01-01", None, Money.from_yuan("13224"))])
    raised = table.supersede("330109", D("2025-01-01"), Money.from_yuan("14000"), source="plan 2025")
    assert [e.span for e in raised.history("330109")] == ["2021-01-01..2024-12-31", "2025-01-01..open"]
    assert raised.value_on("330109", D("2024-12-31")) == Money(1_322_400)
    assert raised.entry_on("330109", D("2025-01-01")).source == "plan 2025"
    assert table.value_on("330109", D("2026-01-01")) == Money(1_322_400)  # the original is unchanged


@given(
    starts=st.lists(st.integers(0, 3000), min_size=1, max_size=8, unique=True),
    probe=st.integers(-10, 3100),
)
def test_value_on_returns_the_one_entry_whose_dates_contain_the_day(starts: list[int], probe: int) -> None:
    base = date(2020, 1, 1)
    ordered = sorted(starts)
    entries = [
        PolicyEntry("k", base + timedelta(days=s), base + timedelta(days=e - 1) if e is not None else None, i)
        for i, (s, e) in enumerate(zip(ordered, [*ordered[1:], None], strict=True))
    ]
    table = PolicyTable("t", entries)
    day = base + timedelta(days=probe)
    containing = [e.value for e in entries if e.in_force_on(day)]
    assert len(containing) <= 1
    found = table.find_on("k", day)
    assert (found.value if found else None) == (containing[0] if containing else None)


# --- the default files ------------------------------------------------------------------------------


def test_the_childwelfare_defaults_carry_the_seed_figures() -> None:
    tables = load_default("childwelfare", CHILDWELFARE)
    allowance, cadence, escalation = (tables[n] for n in CHILDWELFARE)
    day = D("2026-11-15")
    assert allowance.value_on("orphan_institution", day) == Money.from_yuan("2571.00")
    assert allowance.value_on("orphan_scattered", day) == Money.from_yuan("2057.00")
    assert allowance.value_on("de_facto_unattended", day) == Money.from_yuan("2057.00")
    assert "left_behind" not in allowance  # no figure in the seeds
    assert allowance.entry_on("orphan_institution", day).source.startswith("seed 000")
    for category in ("orphan_institution", "orphan_scattered", "de_facto_unattended", "left_behind"):
        assert cadence.value_on(category, day) == Cadence.monthly()
    assert "dibao_family" not in cadence
    assert escalation.value_on("default", day) == Escalation(town_after_days=7, district_after_days=14)


def test_default_policy_names_are_plain_file_names() -> None:
    assert default_policy_path("childwelfare").name == "childwelfare.yaml"
    with pytest.raises(ValueError):
        default_policy_path("../secrets")


# --- policy file errors -----------------------------------------------------------------------------

GOOD = """\
tables:
  living_allowance:
    entries:
      - {key: orphan_scattered, from: 2020-01-01, to: 2024-06-30, value: "2057.00"}
      - {key: orphan_scattered, from: 2024-07-01, value: "2100.00"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "childwelfare.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_policy_file_loads_one_typed_table(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, GOOD), "living_allowance", Money)
    assert table.value_on("orphan_scattered", D("2024-07-01")) == Money(210_000)
    assert table.origin and table.origin.endswith("childwelfare.yaml")


def test_a_float_in_a_policy_file_is_refused_naming_file_entry_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('value: "2100.00"', "value: 2100.00"))
    with pytest.raises(PolicyDataError) as caught:
        load_table(path, "living_allowance", Money)
    message = str(caught.value)
    assert f"{path}:5: tables.living_allowance.entries[1] (key 'orphan_scattered')" in message
    assert "quoted yuan amount" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("to: 2024-06-30", "to: 2024-07-01"), "entries for 'orphan_scattered' overlap"),
        (GOOD.replace("from: 2020-01-01", "from: 2020-13-01"), "living_allowance.entries[0].from"),
        (GOOD.replace("key: orphan_scattered, from: 2020", "key: orphan_scattered, form: 2020"), "form"),
        (GOOD.replace("tables:", "tabels:"), "tabels"),
        (GOOD + "  visit_cadenze:\n" + GOOD.split("\n", 2)[2], "unknown table(s) visit_cadenze"),
        (GOOD + "  living_allowance:\n    entries: []\n", "duplicate key 'living_allowance'"),
        (
            GOOD.replace("tables:", "tables:\n  visit_cadence:\n    entries: []"),
            "visit_cadence.entries: List should",
        ),
        ("tables: [unclosed", "not valid YAML"),
        ("", "tables: Field required"),
        ("tables: {}", "missing table(s) living_allowance"),
    ],
)
def test_bad_policy_files_are_refused_with_a_message_naming_the_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyDataError) as caught:
        load_tables(path, {"living_allowance": Money})
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_bad_structured_value_names_its_field(tmp_path: Path) -> None:
    text = """\
tables:
  visit_cadence:
    entries:
      - {key: left_behind, from: 2020-01-01, value: {every: 1, unit: weeks}}
"""
    with pytest.raises(
        PolicyDataError, match=r"entries\[0\] \(key 'left_behind'\): value.unit: Input should be"
    ):
        parse_tables(text, {"visit_cadence": Cadence}, origin="inline.yaml")


def test_a_missing_file_is_a_policy_data_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyDataError, match="cannot read policy file"):
        load_tables(tmp_path / "nope.yaml", {"living_allowance": Money})


def test_numeric_keys_such_as_region_codes_become_strings() -> None:
    text = """\
tables:
  dibao_standard:
    unit: yuan per person-year
    entries:
      - {key: 330109, from: 2021-01-01, to: 2024-12-31, value: "13224"}
      - {key: 330109, from: 2025-01-01, value: "14000"}
"""
    table = parse_tables(text, {"dibao_standard": Money})["dibao_standard"]
    assert table.value_on("330109", D("2025-06-01")) == Money.from_yuan("14000")
