"""Elder rules with no I/O: turning 60 (leap days), who is vulnerable, the visit clock, month ends."""

from __future__ import annotations

from datetime import date

import pytest

from services.eldercare import elder_rules as er
from services.eldercare.elder_policy import load_visit_policy
from services.eldercare.elder_rules import (
    CapabilityLevel,
    LivingArrangement,
    Situation,
    VulnerabilityReason,
)
from services.kit import visits
from services.kit.errors import Collector
from services.kit.visits import Cadence, Escalation

ALONE, FAMILY = LivingArrangement.ALONE, LivingArrangement.WITH_FAMILY


@pytest.mark.parametrize(
    ("birth", "day", "elder"),
    [
        (date(1965, 6, 15), date(2025, 6, 14), False),  # the day before the 60th birthday
        (date(1965, 6, 15), date(2025, 6, 15), True),  # the birthday itself
        (date(1964, 2, 29), date(2024, 2, 28), False),  # leap-day birth, leap 60th year
        (date(1964, 2, 29), date(2024, 2, 29), True),
        (date(1960, 2, 29), date(2020, 2, 29), True),
        (date(1963, 2, 28), date(2023, 2, 28), True),
    ],
)
def test_an_elder_is_sixty_from_the_birthday_on(birth: date, day: date, elder: bool) -> None:
    assert er.is_elder(birth, day) is elder


def test_a_leap_day_birth_ages_on_the_first_of_march_in_common_years() -> None:
    assert er.sixtieth_birthday(date(1965, 2, 28)) == date(2025, 2, 28)
    assert er.sixtieth_birthday(date(1964, 2, 29)) == date(2024, 2, 29)
    assert er.age_on(date(1960, 2, 29), date(2021, 2, 28)) == 60
    assert er.age_on(date(1960, 2, 29), date(2021, 3, 1)) == 61


def test_sixtieth_birthday_of_a_leap_day_birth_in_a_common_year_is_the_first_of_march() -> None:
    # A leap-day birth whose 60th year is common needs a century: 1840 + 60 = 1900 (not a leap year).
    assert er.sixtieth_birthday(date(1840, 2, 29)) == date(1900, 3, 1)
    assert not er.is_elder(date(1840, 2, 29), date(1900, 2, 28))
    assert er.is_elder(date(1840, 2, 29), date(1900, 3, 1))


@pytest.mark.parametrize(
    ("situation", "reasons"),
    [
        (Situation(FAMILY), ()),
        (Situation(LivingArrangement.EMPTY_NEST), ()),
        (Situation(ALONE), (VulnerabilityReason.ALONE,)),
        (Situation(FAMILY, widowed_childless=True), (VulnerabilityReason.WIDOWED_CHILDLESS,)),
        (Situation(FAMILY, left_behind=True), (VulnerabilityReason.LEFT_BEHIND,)),
        (Situation(FAMILY, special_family=True), (VulnerabilityReason.SPECIAL_FAMILY,)),
        (Situation(FAMILY, capability_level=CapabilityLevel.MILD), ()),
        (Situation(FAMILY, capability_level=CapabilityLevel.MODERATE), (VulnerabilityReason.DISABLED,)),
        (Situation(FAMILY, capability_level=CapabilityLevel.COMPLETE), (VulnerabilityReason.DISABLED,)),
        (
            Situation(ALONE, widowed_childless=True, capability_level=CapabilityLevel.SEVERE),
            (VulnerabilityReason.ALONE, VulnerabilityReason.WIDOWED_CHILDLESS, VulnerabilityReason.DISABLED),
        ),
        # Looked after in an institution, or deceased: out of the home-visit programme.
        (Situation(LivingArrangement.IN_INSTITUTION, widowed_childless=True), ()),
        (Situation(ALONE, deceased=True), ()),
    ],
)
def test_vulnerability_reasons_follow_the_seed_list(
    situation: Situation, reasons: tuple[VulnerabilityReason, ...]
) -> None:
    assert er.vulnerability_reasons(situation) == reasons
    assert er.is_vulnerable(situation) is bool(reasons)


def test_disabled_means_moderate_or_worse_and_unassessed_is_not_disabled() -> None:
    assert [er.is_disabled(level) for level in CapabilityLevel] == [False, False, True, True, True]
    assert er.is_disabled(None) is False
    assert [level.rank for level in CapabilityLevel] == [0, 1, 2, 3, 4]


def test_the_visit_clock_starts_on_becoming_vulnerable_and_stops_on_leaving() -> None:
    today = date(2025, 6, 15)
    start = er.visit_clock(vulnerable=True, vulnerable_since=None, last_visit_on=None, today=today)
    assert start == er.VisitClock(today, today)
    # Still vulnerable later: the clock keeps its start and runs from the last visit.
    later = er.visit_clock(
        vulnerable=True, vulnerable_since=today, last_visit_on=date(2025, 7, 3), today=date(2025, 8, 1)
    )
    assert later == er.VisitClock(today, date(2025, 7, 3))
    assert er.visit_clock(vulnerable=False, vulnerable_since=today, last_visit_on=None, today=today) == (
        er.VisitClock(None, None)
    )
    # Back in the programme: a visit from the earlier spell does not make them overdue at once.
    again = er.visit_clock(
        vulnerable=True, vulnerable_since=None, last_visit_on=date(2025, 1, 5), today=date(2025, 9, 9)
    )
    assert again == er.VisitClock(date(2025, 9, 9), date(2025, 9, 9))


def test_a_back_dated_assessment_does_not_replace_a_newer_one() -> None:
    assert er.supersedes(date(2025, 5, 1), None)
    assert er.supersedes(date(2025, 5, 1), date(2025, 4, 30))
    assert er.supersedes(date(2025, 5, 1), date(2025, 5, 1))  # same day: the later record corrects it
    assert not er.supersedes(date(2025, 4, 1), date(2025, 5, 1))


@pytest.mark.parametrize(
    ("anchor", "due"),
    [
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap February
        (date(2023, 1, 31), date(2023, 2, 28)),
        (date(2024, 2, 29), date(2024, 3, 31)),
        (date(2025, 12, 15), date(2026, 1, 31)),  # year end
        (date(2025, 6, 1), date(2025, 7, 31)),
    ],
)
def test_a_monthly_visit_is_due_by_the_end_of_the_next_calendar_month(anchor: date, due: date) -> None:
    policy = load_visit_policy()
    cadence = policy.cadence_on(anchor)
    assert cadence == Cadence.monthly()
    assert cadence.next_due(anchor) == due
    cutoffs = er.overdue_cutoffs(due, cadence, policy.escalation_on(due))
    assert cutoffs.level(anchor) is None  # on time on the due day
    day_after = date.fromordinal(due.toordinal() + 1)
    assert er.overdue_cutoffs(day_after, cadence, Escalation()).level(anchor) == "village"


def test_escalation_levels_come_from_the_cutoffs() -> None:
    cadence, escalation = Cadence.monthly(), Escalation(town_after_days=7, district_after_days=14)
    anchor = date(2025, 5, 10)  # due 30 June
    levels = {
        day: er.overdue_cutoffs(date(2025, 7, day), cadence, escalation).level(anchor)
        for day in (1, 6, 7, 13, 14)
    }
    assert levels == {1: "village", 6: "village", 7: "town", 13: "town", 14: "district"}
    status = visits.visit_status(None, anchor, cadence, escalation, today=date(2025, 7, 7))
    assert (status.period_key, status.days_overdue, status.level) == ("2025-06", 7, "town")


def test_no_programme_in_force_before_the_policy_starts() -> None:
    policy = load_visit_policy()
    assert policy.cadence_on(date(2021, 12, 31)) is None
    assert policy.escalation_on(date(2021, 12, 31)) == Escalation()


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("13800138000", True),
        ("+86 138-0013-8000", True),
        ("0571-82345678", True),
        ("12", False),
        ("abc", False),
    ],
)
def test_phone_numbers(raw: str, ok: bool) -> None:
    errors = Collector()
    er.check_phone(errors, "phone", raw, required=True)
    assert (not errors.violations) is ok


def test_days_are_iso_dates_not_in_the_future() -> None:
    errors = Collector()
    assert er.parse_day(errors, "d", "2025-02-29") is None  # not a date
    assert er.parse_day(errors, "e", "") is None
    day = er.parse_day(errors, "f", "2025-06-16")
    er.check_not_future(errors, "f", day, date(2025, 6, 15))
    assert [v.field for v in errors.violations] == ["d", "e", "f"]
