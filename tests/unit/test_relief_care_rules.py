"""Care of relief households as pure rules: cadence per programme, the strictest one, the reference day
of a year's rates, on-time bounds, "one thing" applications, and the rates themselves."""

from __future__ import annotations

from datetime import date

import pytest

from services.kit.policy import PolicyEntry, PolicyTable
from services.kit.visits import Cadence, Escalation
from services.relief.care import load_care_policy
from services.relief.care_rules import (
    CarePolicy,
    TownCare,
    is_one_thing,
    on_time_since,
    programme_order,
    reference_day,
    strictest,
    total,
)

MONTHLY = Cadence.monthly()
QUARTERLY = Cadence(3, "months", "calendar")
CADENCES = {"tekun": MONTHLY, "dibao": QUARTERLY, "dibian": QUARTERLY}


def policy(cadences: dict[str, Cadence] = CADENCES) -> CarePolicy:
    start = date(2021, 1, 1)
    return CarePolicy(
        cadences=PolicyTable("visit_cadence", [PolicyEntry(p, start, None, c) for p, c in cadences.items()]),
        escalations=PolicyTable("visit_escalation", [PolicyEntry("default", start, None, Escalation(5, 10))]),
        targets=PolicyTable(
            "rate_target",
            [
                PolicyEntry("care", date(2021, 1, 1), date(2021, 12, 31), 60),
                PolicyEntry("care", date(2022, 1, 1), None, 70),
            ],
        ),
    )


def test_the_packaged_policy_visits_tekun_monthly_and_the_others_quarterly_with_the_seeds_targets() -> None:
    packaged = load_care_policy()
    day = date(2024, 9, 15)
    assert packaged.cadences_on(day) == CADENCES
    assert packaged.escalation_on(day) == Escalation(7, 14)
    assert [packaged.target_on(y) for y in range(2020, 2027)] == [None, 60, 70, 80, 90, 100, 100]


def test_the_targets_are_read_on_the_last_day_of_the_year() -> None:
    assert (
        policy().target_on(2021) == 60 and policy().target_on(2030) == 70 and policy().target_on(2020) is None
    )


def test_a_programme_without_a_cadence_has_no_visit_duty_and_the_default_escalation_applies_without_one() -> (
    None
):
    only_tekun = policy({"tekun": MONTHLY})
    assert only_tekun.cadences_on(date(2024, 1, 1)) == {"tekun": MONTHLY}
    assert only_tekun.cadence_on("dibao", date(2024, 1, 1)) is None
    assert only_tekun.escalation_on(date(2020, 1, 1)) == Escalation()


def test_programmes_are_ordered_strictest_first_and_those_without_a_cadence_last() -> None:
    day = date(2024, 9, 15)
    assert programme_order(CADENCES, day) == ("tekun", "dibao", "dibian")
    assert programme_order({"dibian": MONTHLY, "tekun": QUARTERLY}, day) == ("dibian", "tekun", "dibao")
    assert programme_order({}, day) == ("dibao", "dibian", "tekun")


def test_a_household_holding_several_programmes_is_visited_at_the_strictest_cadence() -> None:
    day = date(2024, 9, 15)
    assert strictest(["dibao", "tekun"], CADENCES, day) == "tekun"
    assert strictest(["dibian"], CADENCES, day) == "dibian"
    assert strictest([], CADENCES, day) is None


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2023, date(2024, 9, 15), date(2023, 12, 31)),  # a past year: its last day
        (2024, date(2024, 9, 15), date(2024, 9, 15)),  # the running year: today
        (2025, date(2024, 9, 15), None),  # the future: no rates
    ],
)
def test_a_years_rates_are_read_on_its_last_day_or_today(
    year: int, today: date, expected: date | None
) -> None:
    assert reference_day(year, today) == expected


def test_a_quarterly_household_is_on_time_while_its_clock_is_within_three_calendar_months() -> None:
    # Visited in June: due by 30 September, so on time on 30 September and overdue on 1 October.
    assert on_time_since(QUARTERLY, date(2024, 9, 30)) <= date(2024, 6, 1)
    assert on_time_since(QUARTERLY, date(2024, 10, 1)) == date(2024, 7, 1)
    # Monthly: visited any day of August is on time through 30 September.
    assert on_time_since(MONTHLY, date(2024, 9, 30)) == date(2024, 8, 1)


@pytest.mark.parametrize(
    ("items", "expected"),
    [("dibao", False), ("dibao,medical", True), ("tekun,medical,education", True), ("", False)],
)
def test_an_application_is_handled_as_one_thing_when_it_asked_for_more_than_one_item(
    items: str, expected: bool
) -> None:
    assert is_one_thing(items) is expected


def test_rates_are_shares_of_the_towns_households_and_absent_without_households() -> None:
    town = TownCare("330109001", households=4, visited=3, list_delivered=1, one_thing=2)
    assert (town.visited_rate, town.list_delivered_rate, town.one_thing_rate) == (0.75, 0.25, 0.5)
    empty = TownCare("330109002", 0, 0, 0, 0)
    assert empty.visited_rate is None and empty.one_thing_rate is None
    assert total([town, TownCare("330109002", 1, 1, 1, 0)]) == TownCare("", 5, 4, 2, 2)


def test_a_count_above_the_households_is_refused() -> None:
    with pytest.raises(ValueError, match="visited"):
        TownCare("330109001", households=1, visited=2, list_delivered=0, one_thing=0)
