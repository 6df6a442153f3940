"""The relief eligibility rules and standards as tables of cases: pure, no I/O but the real YAML's read."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from services.kit.errors import FailedPrecondition, InvalidArgument
from services.kit.money import Money
from services.kit.periods import Month
from services.kit.policy import NoPolicyInForce, parse_tables
from services.relief.eligibility import assess, counted_amount
from services.relief.eligibility_models import (
    Assessment,
    Asset,
    Classification,
    Household,
    Income,
    LabourCapacity,
    Member,
    Relation,
)
from services.relief.standards import VALUE_TYPES, StandardsBook, load_standards

D = date.fromisoformat
REGION = "330109003"  # a town with no entries of its own: every figure from the district
SEPT = Month(2024, 9)  # window 2023-09-01..2024-08-31; 低保 1200.00, 低边 line 2400.00, minors under 18

BOOK_YAML = """
tables:
  dibao_monthly:
    entries:
      - {key: "330109", from: 2024-01-01, to: 2024-06-30, value: "1000.00"}
      - {key: "330109", from: 2024-07-01, value: "1200.00"}
      - {key: "330109001", from: 2024-01-01, value: "1050.00"}
      - {key: "330109002", from: 2024-07-01, value: "1300.00"}
  dibian:
    entries: [{key: "330109", from: 2024-01-01, value: {multiplier: "2", allowance_monthly: null}}]
  tekun:
    entries:
      - {key: "330109", from: 2024-01-01, value: {monthly: "1700.00"}}
      - {key: "330109001001", from: 2024-01-01, value: {ratio_to_dibao: "3/2"}}
  tekun_minor_age_limit:
    entries:
      - {key: "330109", from: 2024-01-01, to: 2024-06-30, value: 16}
      - {key: "330109", from: 2024-07-01, value: 18}
  price_subsidy:
    entries: [{key: "330109", from: 2024-01-01, value: null}]
  assessment:
    entries: [{key: "330109", from: 2024-01-01, value: {income_window_months: 12, asset_limit_months: 24}}]
"""
BOOK = StandardsBook(parse_tables(BOOK_YAML, VALUE_TYPES, origin="test"))


# --- building households ------------------------------------------------------------------------------


def monthly(
    fen: int, first: Month = SEPT.shift(-12), count: int = 12, kind: str = "wages"
) -> tuple[Income, ...]:
    """``count`` monthly incomes of ``fen`` each, from ``first``."""
    return tuple(Income(kind, m.first, m.last, fen) for m in (first.shift(i) for i in range(count)))


def person(
    member_id: str = "a",
    born: str = "1984-05-01",
    relation: Relation = Relation.HEAD,
    capacity: LabourCapacity = LabourCapacity.FULL,
    incomes: tuple[Income, ...] = (),
    **extra: object,
) -> Member:
    return Member(member_id, D(born), relation, capacity, incomes=incomes, **extra)  # type: ignore[arg-type]


def dependant(member_id: str, born: str, relation: Relation = Relation.HEAD, **extra: object) -> Member:
    """A member with no labour capacity (child, elder, disabled); the head unless told otherwise."""
    return person(member_id, born, relation, LabourCapacity.NONE, **extra)  # type: ignore[arg-type]


def household(*members: Member, region: str = REGION) -> Household:
    return Household("h1", region, members)


def run(home: Household, month: Month = SEPT) -> Assessment:
    return assess(home, BOOK.for_month(home.region, month), month)


# --- the rules as a table -----------------------------------------------------------------------------

# fmt: off
CASES = [
    # Boundaries at the standard (1200.00) and at 2× (2400.00), one adult able to work.
    ("income_exactly_at_the_standard_is_not_dibao_but_dibian", household(person(incomes=monthly(120000))),
     SEPT, Classification.DIBIAN, 0),
    ("one_fen_below_the_standard_is_dibao_paid_the_gap", household(person(incomes=monthly(119999))),
     SEPT, Classification.DIBAO, 1),
    ("no_income_is_dibao_paid_the_whole_standard", household(person()), SEPT, Classification.DIBAO, 120000),
    ("income_exactly_at_twice_the_standard_is_none", household(person(incomes=monthly(240000))),
     SEPT, Classification.NONE, 0),
    ("one_fen_below_twice_the_standard_is_dibian_with_no_allowance_set",
     household(person(incomes=monthly(239999))), SEPT, Classification.DIBIAN, 0),
    # Several members and periods add up: (60000×12 + 30000×6 + 40000×6) / 12 = 95000 for two persons;
    # gap × members = 2 × 120000 − 95000.
    ("incomes_of_several_members_and_periods_add_up",
     household(person(incomes=monthly(60000)),
               person("b", relation=Relation.SPOUSE,
                      incomes=(*monthly(30000, SEPT.shift(-12), 6, "pension"),
                               *monthly(40000, SEPT.shift(-6), 6, "pension")))),
     SEPT, Classification.DIBAO, 145000),
    # 610000 fen over 2024-08-01..2024-09-30 (61 days): 31 days in the window count 310000;
    # 310000 / 12 = 25833.33…; the gap 94166.67 is rounded up. Incomes outside the window count nothing.
    ("an_income_partly_in_the_window_counts_by_its_days",
     household(person(incomes=(Income("contract", D("2024-08-01"), D("2024-09-30"), 610000),
                               Income("wages", D("2022-01-01"), D("2022-12-31"), 9_000_000),
                               Income("wages", D("2024-09-01"), D("2024-12-31"), 9_000_000)))),
     SEPT, Classification.DIBAO, 94167),
    # A minor alone, no income: 特困 while under the limit on the month's first day.
    ("a_minor_turning_18_during_the_month_is_tekun_for_it", household(dependant("c", "2006-09-15")),
     SEPT, Classification.TEKUN, 170000),
    ("a_minor_turning_18_on_the_first_is_no_longer_tekun", household(dependant("c", "2006-09-01")),
     SEPT, Classification.DIBAO, 120000),
    ("a_17_year_old_is_not_tekun_under_the_old_limit_of_16", household(dependant("c", "2007-01-10")),
     Month(2024, 6), Classification.DIBAO, 100000),
    ("the_same_17_year_old_is_tekun_once_the_limit_is_18", household(dependant("c", "2007-01-10")),
     Month(2024, 7), Classification.TEKUN, 170000),
    ("a_minor_turning_16_during_the_month_is_tekun_under_the_old_limit",
     household(dependant("c", "2008-06-30")), Month(2024, 6), Classification.TEKUN, 170000),
    ("a_minor_turning_16_on_the_first_is_not_tekun_under_the_old_limit",
     household(dependant("c", "2008-06-01")), Month(2024, 6), Classification.DIBAO, 100000),
    # 60 by the month's last day counts for the month.
    ("an_elder_turning_60_during_the_month_is_tekun", household(dependant("e", "1964-09-30")),
     SEPT, Classification.TEKUN, 170000),
    ("someone_turning_60_next_month_is_not_tekun", household(dependant("e", "1964-10-01")),
     SEPT, Classification.DIBAO, 120000),
    ("severe_disability_grade_2_with_no_labour_capacity_is_tekun",
     household(dependant("d", "1990-01-01", disability_grade=2)), SEPT, Classification.TEKUN, 170000),
    ("disability_grade_3_is_not_severe", household(dependant("d", "1990-01-01", disability_grade=3)),
     SEPT, Classification.DIBAO, 120000),
    ("an_elder_who_is_employed_is_not_tekun", household(dependant("e", "1950-01-01", employed=True)),
     SEPT, Classification.DIBAO, 120000),
    ("an_elder_with_own_income_at_the_standard_is_not_tekun",
     household(dependant("e", "1950-01-01", incomes=monthly(120000, kind="pension"))),
     SEPT, Classification.DIBIAN, 0),
    ("two_tekun_members_are_each_paid_the_support_standard",
     household(dependant("e", "1950-01-01"), dependant("c", "2015-01-01", Relation.GRANDCHILD)),
     SEPT, Classification.TEKUN, 340000),
    ("a_tekun_member_with_an_able_member_makes_the_household_dibao",
     household(person(incomes=monthly(50000)), dependant("e", "1950-01-01", relation=Relation.PARENT)),
     SEPT, Classification.DIBAO, 190000),
    # Assets: 24 months × 1200.00 × members.
    ("assets_exactly_at_the_limit_are_within_it",
     household(person(assets=(Asset("deposit", 24 * 120000),))), SEPT, Classification.DIBAO, 120000),
    ("assets_over_the_limit_make_the_household_none",
     household(person(assets=(Asset("deposit", 24 * 120000 + 1),))), SEPT, Classification.NONE, 0),
    ("assets_over_the_limit_refuse_tekun_too",
     household(dependant("e", "1950-01-01", assets=(Asset("deposit", 3_000_000),))),
     SEPT, Classification.NONE, 0),
    # The standard rises from 1000.00 to 1200.00 on 2024-07-01: 1100.00 a month is 低边 in June, 低保 in July.
    ("before_a_mid_year_rise_the_old_standard_applies",
     household(person(incomes=monthly(110000, Month(2023, 6), 14, "pension"))),
     Month(2024, 6), Classification.DIBIAN, 0),
    ("from_a_mid_year_rise_the_new_standard_applies",
     household(person(incomes=monthly(110000, Month(2023, 6), 14, "pension"))),
     Month(2024, 7), Classification.DIBAO, 10000),
]

# fmt: on


@pytest.mark.parametrize(
    ("home", "month", "classification", "amount"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_eligibility_rules(
    home: Household, month: Month, classification: Classification, amount: int
) -> None:
    result = run(home, month)
    assert (result.classification, result.amount_fen) == (classification, amount), [
        r.text for r in result.reasons
    ]
    assert result.amount_fen == sum(line.amount_fen for line in result.lines)


# --- bad input ----------------------------------------------------------------------------------------

# fmt: off
BAD = [
    ("negative_income", household(person(incomes=(Income("wages", D("2024-01-01"), D("2024-01-31"), -1),))),
     "members[0].incomes[0].amount_fen"),
    ("no_members", household(), "members"),
    ("two_heads", household(person(), person("b")), "members"),
    ("no_head", household(person(relation=Relation.SPOUSE)), "members"),
    ("repeated_member", household(person(), person(relation=Relation.CHILD)), "members[1].member_id"),
    ("income_ending_before_it_starts",
     household(person(incomes=(Income("wages", D("2024-02-01"), D("2024-01-31"), 100),))),
     "members[0].incomes[0].end"),
    ("negative_asset", household(person(assets=(Asset("deposit", -5),))), "members[0].assets[0].value_fen"),
    ("born_after_the_month", household(person(born="2024-10-01")), "members[0].birth_date"),
    ("disability_grade_5", household(person(disability_grade=5)), "members[0].disability_grade"),
    ("money_as_float", household(person(incomes=(Income("wages", D("2024-01-01"), D("2024-01-31"), 1.5),))),
     "members[0].incomes[0].amount_fen"),
]
# fmt: on


@pytest.mark.parametrize(("home", "field"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_refused_naming_the_field(home: Household, field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        run(home)
    assert field in [v.field for v in caught.value.violations]


def test_standards_for_another_month_or_region_are_refused() -> None:
    home = household(person())
    with pytest.raises(InvalidArgument, match=r"standards\.day"):
        assess(home, BOOK.for_month(REGION, SEPT.shift(-1)), SEPT)
    with pytest.raises(InvalidArgument, match=r"standards\.region"):
        assess(home, BOOK.for_month("330109001", SEPT), SEPT)


# --- reasons, amounts and the snapshot ----------------------------------------------------------------


def test_reasons_name_each_income_the_rule_and_the_figures_used() -> None:
    home = household(
        person(incomes=(*monthly(60000, count=2), Income("rent", D("2021-01-01"), D("2021-12-31"), 5)))
    )
    result = run(home)
    rules = [r.rule for r in result.reasons]
    assert rules.count("income.counted") == 2 and "income.outside_window" in rules
    final = result.reasons[-1]
    assert final.rule == "dibao.below_standard"
    expected = {
        "household_monthly_fen": 10000,
        "dibao_monthly_fen": 120000,
        "members": 1,
        "amount_fen": 110000,
    }
    assert final.figures == expected


def test_the_snapshot_is_plain_json_with_inputs_standard_and_result() -> None:
    result = run(household(dependant("e", "1950-01-01", incomes=monthly(1000, kind="pension"))))
    snapshot = json.loads(json.dumps(result.snapshot, ensure_ascii=False))
    assert snapshot["month"] == "2024-09"
    assert snapshot["household"]["members"][0]["incomes"][0]["amount_fen"] == 1000
    assert snapshot["standards"]["dibao_monthly_fen"] == 120000
    assert snapshot["standards"]["tekun_monthly_fen"] == 170000
    assert snapshot["result"]["classification"] == "tekun"
    assert snapshot["result"]["amount_fen"] == result.amount_fen == 170000


def test_a_fixed_dibian_allowance_and_a_price_subsidy_are_paid_per_member_when_policy_sets_them() -> None:
    home = household(person(incomes=monthly(300000)), person("b", relation=Relation.SPOUSE))
    standards = replace(
        BOOK.for_month(REGION, SEPT), dibian_allowance_monthly_fen=20000, price_subsidy_monthly_fen=3000
    )
    result = assess(home, standards, SEPT)
    assert result.classification is Classification.DIBIAN
    lines = [(line.item, line.amount_fen) for line in result.lines]
    assert lines == [("dibian_allowance", 20000)] * 2 + [("price_subsidy", 3000)] * 2
    assert result.amount_fen == 46000


def test_counted_amount_prorates_by_days_exactly() -> None:
    income = Income("contract", D("2024-08-01"), D("2024-09-30"), 610000)
    assert counted_amount(income, D("2023-09-01"), D("2024-08-31")) == 310000
    assert counted_amount(income, D("2024-10-01"), D("2024-10-31")) == 0


# --- standards: region fallback, dates, errors ---------------------------------------------------------

FALLBACK = [
    ("district_itself", "330109", "2024-03-01", 100000, 170000),
    ("a_town_with_no_entry_uses_the_district", "330109003", "2024-03-01", 100000, 170000),
    ("a_town_uses_its_own_entry", "330109001", "2024-03-01", 105000, 170000),
    ("a_village_falls_back_to_its_town_then_the_district", "330109003001", "2024-03-01", 100000, 170000),
    ("a_village_with_its_own_tekun_ratio_uses_its_towns_dibao", "330109001001", "2024-03-01", 105000, 157500),
    ("a_town_entry_not_yet_in_force_falls_back_to_the_district", "330109002", "2024-03-01", 100000, 170000),
    ("a_town_entry_in_force_wins", "330109002", "2024-08-01", 130000, 170000),
    ("the_district_after_its_own_rise", "330109", "2024-07-01", 120000, 170000),
]


@pytest.mark.parametrize(
    ("region", "day", "dibao", "tekun"), [c[1:] for c in FALLBACK], ids=[c[0] for c in FALLBACK]
)
def test_region_fallback(region: str, day: str, dibao: int, tekun: int) -> None:
    standards = BOOK.on(region, D(day))
    found = (standards.region, standards.dibao_monthly_fen, standards.tekun_monthly_fen)
    assert found == (region, dibao, tekun)


@pytest.mark.parametrize(
    ("region", "day"),
    [("330109", "2023-12-31"), ("330110", "2024-03-01"), ("330110001", "2024-03-01")],
    ids=["before_any_standard", "another_district", "a_town_of_another_district"],
)
def test_no_standard_in_force_is_a_failed_precondition(region: str, day: str) -> None:
    with pytest.raises(NoPolicyInForce, match="no relief standard") as caught:
        BOOK.on(region, D(day))
    assert isinstance(caught.value, FailedPrecondition)


def test_a_malformed_region_is_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="region"):
        BOOK.on("33010", D("2024-03-01"))


def test_a_standard_changing_mid_month_applies_from_the_next_month() -> None:
    tables = parse_tables(BOOK_YAML, VALUE_TYPES, origin="test")
    rise = Money.from_yuan("1250.00")
    tables["dibao_monthly"] = tables["dibao_monthly"].supersede("330109", D("2024-10-15"), rise)
    book = StandardsBook(tables)
    assert book.for_month(REGION, Month(2024, 10)).dibao_monthly_fen == 120000
    assert book.for_month(REGION, Month(2024, 11)).dibao_monthly_fen == 125000


# --- the packaged file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "dibao", "tekun", "minor_limit"),
    [
        ("2021-01-01", 110200, 190489, 16),  # 13224 / 12; × 1210/700 rounded up
        ("2022-02-28", 110200, 190489, 16),
        ("2022-03-01", 110200, 190489, 18),
        ("2024-12-31", 110200, 190489, 18),
        ("2025-01-01", 116667, 201668, 18),  # the plan's ≥ 14000 / year target (assumption)
    ],
)
def test_the_real_standards_file(day: str, dibao: int, tekun: int, minor_limit: int) -> None:
    standards = load_standards().on("330109001001", D(day))
    assert (standards.dibao_monthly_fen, standards.tekun_monthly_fen) == (dibao, tekun)
    assert standards.tekun_minor_age_limit == minor_limit
    assert standards.dibian_multiplier == 2 and standards.dibian_allowance_monthly_fen is None
    assert standards.price_subsidy_monthly_fen is None
    assert (standards.income_window_months, standards.asset_limit_months) == (12, 24)
    assert all(s.region_key == "330109" and s.source for s in standards.sources)


def test_the_real_standards_file_has_nothing_before_2021_and_classifies_a_household() -> None:
    book = load_standards()
    with pytest.raises(NoPolicyInForce):
        book.on("330109", D("2020-12-31"))
    home = household(person(incomes=monthly(100000, Month(2024, 1), 12)), region="330109001")
    result = assess(home, book.for_month("330109001", Month(2025, 1)), Month(2025, 1))
    assert (result.classification, result.amount_fen) == (Classification.DIBAO, 16667)
    assert result.snapshot["standards"]["dibao_monthly_fen"] == 116667
