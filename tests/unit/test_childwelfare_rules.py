"""Child-welfare rules with no I/O: ages and the 18th birthday, categories over time, visits, compliance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.childwelfare import rules
from services.childwelfare.rules import ProtectionCategory, Tally, VisitPolicy
from services.kit.errors import Collector
from services.kit.policy import PolicyEntry, PolicyTable
from services.kit.visits import Cadence

MONTHLY = Cadence.monthly()


def _policy(*entries: tuple[str, date, date | None, Cadence]) -> VisitPolicy:
    return VisitPolicy(PolicyTable("visit_cadence", [PolicyEntry(k, f, t, v) for k, f, t, v in entries]))


@pytest.mark.parametrize(
    ("born", "day", "minor"),
    [
        (date(2007, 6, 20), date(2025, 6, 19), True),
        (date(2007, 6, 20), date(2025, 6, 20), False),
        (date(2008, 2, 29), date(2026, 2, 28), True),  # leap-day birth, common 18th year
        (date(2008, 2, 29), date(2026, 3, 1), False),
        (date(2004, 2, 29), date(2022, 2, 28), True),
        (date(2004, 2, 29), date(2022, 3, 1), False),
    ],
)
def test_a_child_is_a_minor_until_the_18th_birthday(born: date, day: date, minor: bool) -> None:
    assert rules.is_minor(born, day) is minor
    # The SQL bound agrees with the rule: minors are born after adult_cutoff(day).
    assert (born > rules.adult_cutoff(day)) is minor


def test_the_18th_birthday_of_a_leap_day_child_is_1_march() -> None:
    assert rules.eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert rules.eighteenth_birthday(date(2010, 7, 1)) == date(2028, 7, 1)


def test_adult_cutoff_on_29_february_matches_the_rule_for_every_birth_date_around_it() -> None:
    day = date(2024, 2, 29)
    for offset in range(-3, 4):
        born = date(2006, 2, 28) + timedelta(days=offset)
        assert (born > rules.adult_cutoff(day)) is rules.is_minor(born, day)


def test_age_counts_full_years() -> None:
    assert rules.age_on(date(2015, 5, 1), date(2025, 4, 30)) == 9
    assert rules.age_on(date(2015, 5, 1), date(2025, 5, 1)) == 10


def test_china_today_is_the_shanghai_calendar_day() -> None:
    assert rules.china_today(datetime(2025, 6, 30, 15, 59, tzinfo=UTC)) == date(2025, 6, 30)
    assert rules.china_today(datetime(2025, 6, 30, 16, 0, tzinfo=UTC)) == date(2025, 7, 1)


def test_visit_cadence_is_effective_dated_per_category() -> None:
    policy = _policy(
        ("left_behind", date(2020, 1, 1), date(2024, 12, 31), Cadence.days(60)),
        ("left_behind", date(2025, 1, 1), None, MONTHLY),
        ("not_a_category", date(2020, 1, 1), None, MONTHLY),
    )
    assert policy.cadence(ProtectionCategory.LEFT_BEHIND, date(2024, 12, 31)) == Cadence.days(60)
    assert policy.cadence(ProtectionCategory.LEFT_BEHIND, date(2025, 1, 1)) == MONTHLY
    assert policy.cadence(ProtectionCategory.DIBAO_FAMILY, date(2025, 1, 1)) is None
    assert policy.cadence(ProtectionCategory.LEFT_BEHIND, date(2019, 12, 31)) is None
    assert set(policy.cadences_on(date(2025, 1, 1))) == {ProtectionCategory.LEFT_BEHIND}


@pytest.mark.parametrize(
    ("anchor", "today", "overdue"),
    [
        (date(2025, 5, 2), date(2025, 6, 30), False),
        (date(2025, 5, 2), date(2025, 7, 1), True),
        (date(2024, 1, 31), date(2024, 2, 29), False),  # leap February: due at its end
        (date(2024, 1, 31), date(2024, 3, 1), True),
        (date(2025, 12, 15), date(2026, 1, 31), False),  # across the year end
        (date(2025, 12, 15), date(2026, 2, 1), True),
    ],
)
def test_overdue_is_computed_from_the_anchor_and_agrees_with_the_sql_cutoff(
    anchor: date, today: date, overdue: bool
) -> None:
    assert rules.is_overdue(anchor, MONTHLY, today) is overdue
    assert (anchor < rules.overdue_anchor_cutoff(today, MONTHLY)) is overdue


def test_the_visit_clock_runs_from_the_later_of_last_visit_and_category_start() -> None:
    assert rules.visit_anchor(None, date(2025, 3, 1)) == date(2025, 3, 1)
    assert rules.visit_anchor(date(2025, 2, 1), date(2025, 3, 1)) == date(2025, 3, 1)
    assert rules.visit_anchor(date(2025, 4, 1), date(2025, 3, 1)) == date(2025, 4, 1)


def test_child_status_takes_an_adult_out_of_the_programme() -> None:
    policy = _policy(("left_behind", date(2020, 1, 1), None, MONTHLY))
    kwargs = {
        "category": ProtectionCategory.LEFT_BEHIND,
        "visit_anchor_on": date(2025, 1, 2),
        "policy": policy,
    }
    young = rules.child_status(birth_date=date(2007, 6, 20), today=date(2025, 6, 19), **kwargs)  # type: ignore[arg-type]
    assert young.in_programme and young.overdue and young.due_on == date(2025, 2, 28)
    grown = rules.child_status(birth_date=date(2007, 6, 20), today=date(2025, 6, 20), **kwargs)  # type: ignore[arg-type]
    assert grown.adult and not grown.in_programme and not grown.overdue and grown.due_on is None


def test_category_start_must_follow_the_current_period_and_not_be_in_the_future() -> None:
    errors = Collector()
    rules.check_category_start(
        errors, "effective_from", date(2025, 1, 1), current_since=date(2025, 2, 1), today=date(2025, 6, 1)
    )
    rules.check_category_start(
        errors, "effective_from", date(2025, 6, 2), current_since=date(2025, 2, 1), today=date(2025, 6, 1)
    )
    rules.check_category_start(
        errors, "effective_from", date(2025, 3, 1), current_since=date(2025, 2, 1), today=date(2025, 6, 1)
    )
    assert [v.field for v in errors.violations] == ["effective_from", "effective_from"]


def test_compliance_rolls_villages_up_and_has_no_rate_without_children() -> None:
    villages = {"330109001001": Tally(4, 1), "330109001002": Tally(2, 2), "330109002001": Tally(0, 0)}
    towns = rules.roll_up(villages, {v: v[:9] for v in villages})
    assert towns == {"330109001": Tally(6, 3), "330109002": Tally(0, 0)}
    assert towns["330109001"].rate == 0.5 and towns["330109001"].up_to_date == 3
    assert towns["330109002"].rate is None
    assert rules.total(list(villages.values())) == Tally(6, 3)


def test_dates_must_be_iso() -> None:
    errors = Collector()
    assert rules.parse_day(errors, "d", "2025-06-01") == date(2025, 6, 1)
    assert rules.parse_day(errors, "d", "2025-6-1") is None
    assert rules.parse_day(errors, "d", "", default=date(2025, 1, 1)) == date(2025, 1, 1)
    assert rules.parse_day(errors, "d", "") is None
    assert [v.description for v in errors.violations] == ["must be a date as YYYY-MM-DD", "is required"]
