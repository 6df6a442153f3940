"""The shared visit cadence and overdue rules, with a movable clock (no I/O anywhere)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from services.kit.periods import Month, add_months, china_today, end_of_month
from services.kit.visits import (
    Cadence,
    Escalation,
    compliance_rate,
    days_overdue,
    due_date,
    escalation_level,
    is_overdue,
    overdue_cutoff,
    overdue_event_id,
    period_key,
    visit_anchor,
    visit_status,
)

MONTHLY = Cadence.monthly()
SAME_DAY = Cadence(1, "months", "same_day")
DEFAULT_ESCALATION = Escalation()
EVENT = "civic.childwelfare.child-visit-overdue.v1"

D = date.fromisoformat


# --- due dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_visit", "due"),
    [
        ("2024-01-31", "2024-02-29"),  # leap February
        ("2023-01-31", "2023-02-28"),
        ("2024-02-29", "2024-03-31"),  # calendar rule: by the end of March, not the 29th
        ("2024-01-01", "2024-02-29"),  # a visit on the 1st still has all of next month
        ("2024-03-31", "2024-04-30"),
        ("2025-12-15", "2026-01-31"),  # across the year end
        ("2100-01-31", "2100-02-28"),  # 2100 is not a leap year (divisible by 100, not by 400)
        ("2000-01-31", "2000-02-29"),  # 2000 is (divisible by 400)
    ],
)
def test_monthly_calendar_visit_is_due_by_the_end_of_the_next_month(last_visit: str, due: str) -> None:
    assert due_date(D(last_visit), D("1999-01-01"), MONTHLY) == D(due)


@pytest.mark.parametrize(
    ("last_visit", "every", "due"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-02-29", 1, "2024-03-29"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2100-01-29", 1, "2100-02-28"),
        ("2024-02-29", 12, "2025-02-28"),  # yearly re-check from a leap day
        ("2024-08-31", 6, "2025-02-28"),
    ],
)
def test_same_day_rule_is_the_same_day_next_month_clamped_to_its_last_day(
    last_visit: str, every: int, due: str
) -> None:
    assert due_date(D(last_visit), D("2020-01-01"), Cadence(every, "months", "same_day")) == D(due)


def test_a_quarterly_calendar_cadence_is_due_by_the_end_of_the_third_month_after() -> None:
    assert due_date(D("2024-11-05"), D("2020-01-01"), Cadence(3)) == D("2025-02-28")


@pytest.mark.parametrize(
    ("last_visit", "days", "due"),
    [("2024-02-28", 2, "2024-03-01"), ("2100-02-28", 1, "2100-03-01"), ("2024-12-31", 30, "2025-01-30")],
)
def test_a_day_cadence_counts_calendar_days(last_visit: str, days: int, due: str) -> None:
    assert due_date(D(last_visit), D("2020-01-01"), Cadence.days(days)) == D(due)


def test_a_first_visit_is_due_one_cadence_after_enrolment() -> None:
    assert due_date(None, D("2026-01-10"), MONTHLY) == D("2026-02-28")
    assert due_date(None, D("2026-01-10"), Cadence.days(14)) == D("2026-01-24")


def test_a_visit_from_before_enrolment_does_not_start_the_clock() -> None:
    # Re-enrolled in March after leaving the programme: the old visit must not make them overdue at once.
    assert visit_anchor(D("2025-06-01"), D("2026-03-02")) == D("2026-03-02")
    assert due_date(D("2025-06-01"), D("2026-03-02"), MONTHLY) == D("2026-04-30")
    assert visit_anchor(D("2026-03-05"), D("2026-03-02")) == D("2026-03-05")


# --- the clock moves --------------------------------------------------------------------------------


def test_overdue_starts_the_day_after_the_due_date_as_the_clock_moves() -> None:
    due = due_date(D("2024-01-31"), D("2023-06-01"), MONTHLY)  # 2024-02-29
    seen = []
    for offset in range(-1, 16):
        today = due + timedelta(days=offset)
        status = visit_status(D("2024-01-31"), D("2023-06-01"), MONTHLY, DEFAULT_ESCALATION, today=today)
        seen.append((today.isoformat(), status.overdue, status.days_overdue, status.level))
        assert is_overdue(due, today) is status.overdue
    assert seen[:3] == [
        ("2024-02-28", False, 0, None),
        ("2024-02-29", False, 0, None),  # a visit on the due date is on time
        ("2024-03-01", True, 1, "village"),
    ]
    assert seen[7:9] == [("2024-03-06", True, 6, "village"), ("2024-03-07", True, 7, "town")]
    assert seen[14:16] == [("2024-03-13", True, 13, "town"), ("2024-03-14", True, 14, "district")]


def test_a_new_visit_clears_overdue_without_any_stored_status() -> None:
    today = D("2026-03-10")
    before = visit_status(D("2026-01-20"), D("2025-01-01"), MONTHLY, DEFAULT_ESCALATION, today=today)
    after = visit_status(D("2026-03-09"), D("2025-01-01"), MONTHLY, DEFAULT_ESCALATION, today=today)
    assert (before.overdue, before.due, before.level) == (True, D("2026-02-28"), "town")
    assert (after.overdue, after.due, after.level) == (False, D("2026-04-30"), None)


def test_today_is_the_shanghai_calendar_day_of_now() -> None:
    # 16:30 UTC on 29 Feb is 00:30 on 1 March in Shanghai: the January visit is now overdue.
    now = datetime(2024, 2, 29, 16, 30, tzinfo=UTC)
    assert china_today(now) == D("2024-03-01")
    assert is_overdue(due_date(D("2024-01-15"), D("2023-01-01"), MONTHLY), china_today(now))
    assert not is_overdue(due_date(D("2024-01-15"), D("2023-01-01"), MONTHLY), now.date())
    with pytest.raises(ValueError, match="timezone-aware"):
        china_today(datetime(2024, 2, 29, 16, 30))


@pytest.mark.parametrize(
    ("due", "today", "late"),
    [("2024-02-29", "2024-02-28", 0), ("2024-02-29", "2024-02-29", 0), ("2024-02-29", "2024-03-01", 1),
     ("2023-12-31", "2024-01-31", 31)],
)  # fmt: skip
def test_days_overdue_counts_whole_days_past_the_due_date(due: str, today: str, late: int) -> None:
    assert days_overdue(D(due), D(today)) == late


# --- escalation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late", "level"),
    [
        (1, "village"),
        (6, "village"),
        (7, "town"),
        (8, "town"),
        (13, "town"),
        (14, "district"),
        (400, "district"),
    ],
)
def test_escalation_thresholds_at_the_boundary_days(late: int, level: str) -> None:
    assert escalation_level(late, DEFAULT_ESCALATION) == level


def test_escalation_follows_the_policy_thresholds() -> None:
    policy = Escalation(town_after_days=3, district_after_days=10)
    assert [escalation_level(d, policy) for d in (2, 3, 9, 10)] == ["village", "town", "town", "district"]


def test_only_overdue_visits_escalate() -> None:
    with pytest.raises(ValueError, match="not overdue"):
        escalation_level(0, DEFAULT_ESCALATION)


@pytest.mark.parametrize(("town", "district"), [(0, 14), (7, 7), (14, 7), (True, 14)])
def test_escalation_thresholds_must_rise(town: int, district: int) -> None:
    with pytest.raises(ValueError):
        Escalation(town_after_days=town, district_after_days=district)


# --- period keys and event ids ----------------------------------------------------------------------


def test_the_calendar_period_key_is_the_month_that_had_no_visit() -> None:
    assert period_key(D("2026-11-30"), MONTHLY) == "2026-11"
    assert period_key(D("2024-02-29"), MONTHLY) == "2024-02"
    assert period_key(D("2024-03-29"), SAME_DAY) == "2024-03-29"
    assert period_key(D("2024-03-29"), Cadence.days(30)) == "2024-03-29"


def test_period_keys_are_stable_across_recomputation_while_the_clock_moves() -> None:
    keys = {
        visit_status(D("2026-10-03"), D("2026-01-01"), Cadence(1), DEFAULT_ESCALATION, today=today).period_key
        for today in (D("2026-12-01") + timedelta(days=i) for i in range(60))
    }
    assert keys == {"2026-11"}


def test_a_late_recorded_visit_that_moves_the_due_date_gives_a_new_period() -> None:
    # Same-day rule: overdue for 1 Feb, then a visit dated 31 Jan is recorded late → due 29 Feb,
    # a different overdue period in the same month; it must not be swallowed by the first key.
    first = visit_status(
        D("2024-01-01"), D("2023-01-01"), SAME_DAY, DEFAULT_ESCALATION, today=D("2024-02-05")
    )
    second = visit_status(
        D("2024-01-31"), D("2023-01-01"), SAME_DAY, DEFAULT_ESCALATION, today=D("2024-03-01")
    )
    assert first.overdue and second.overdue
    assert first.period_key != second.period_key


def test_overdue_event_ids_are_deterministic_per_person_period_and_level() -> None:
    one = overdue_event_id(EVENT, "child-42", "2026-11", "village")
    assert one == overdue_event_id(EVENT, "child-42", "2026-11", "village")
    assert len(one) == 36 and uuid.UUID(one).version == 5
    others = {
        overdue_event_id(EVENT, "child-42", "2026-11", "town"),
        overdue_event_id(EVENT, "child-42", "2026-12", "village"),
        overdue_event_id(EVENT, "child-43", "2026-11", "village"),
        overdue_event_id("civic.eldercare.elder-visit-overdue.v1", "child-42", "2026-11", "village"),
    }
    assert one not in others and len(others) == 4


# --- compliance -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("visited", "due", "rate"), [(0, 0, None), (3, 4, 0.75), (4, 4, 1.0), (0, 5, 0.0)])
def test_compliance_rate_is_visited_over_due_and_none_when_nothing_was_due(
    visited: int, due: int, rate: float | None
) -> None:
    assert compliance_rate(visited, due) == rate


@pytest.mark.parametrize(("visited", "due"), [(5, 4), (-1, 4), (0, -1)])
def test_compliance_rate_refuses_impossible_counts(visited: int, due: int) -> None:
    with pytest.raises(ValueError):
        compliance_rate(visited, due)


# --- cadence values ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [{"every": 0}, {"every": True}, {"every": 1, "unit": "weeks"},
                                 {"every": 1, "month_rule": "lunar"}])  # fmt: skip
def test_a_bad_cadence_is_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        Cadence(**bad)


def test_cadence_validates_from_policy_data_and_refuses_unknown_fields() -> None:
    adapter = TypeAdapter(Cadence)
    assert adapter.validate_python({"every": 2, "unit": "days"}) == Cadence.days(2)
    with pytest.raises(ValidationError, match="evry"):
        adapter.validate_python({"every": 1, "evry": 2})


# --- properties -------------------------------------------------------------------------------------

days_2000_2200 = st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31))
cadences = st.one_of(
    st.builds(Cadence, st.integers(1, 24), st.just("months"), st.sampled_from(["calendar", "same_day"])),
    st.builds(Cadence, st.integers(1, 400), st.just("days")),
)


@given(anchor=days_2000_2200, cadence=cadences)
def test_due_date_is_after_the_anchor_and_at_most_a_month_past_one_cadence(
    anchor: date, cadence: Cadence
) -> None:
    due = due_date(anchor, anchor, cadence)
    assert due > anchor
    if cadence.unit == "days":
        assert due == anchor + timedelta(days=cadence.every)
    else:
        # Never more than 31 days beyond the same day `every` months on.
        assert (
            add_months(anchor, cadence.every) <= due <= add_months(anchor, cadence.every) + timedelta(days=31)
        )
        assert Month.containing(due) == Month.containing(anchor).shift(cadence.every)
    if cadence.month_rule == "calendar" and cadence.unit == "months":
        assert due == end_of_month(due)


@given(first=days_2000_2200, gap=st.integers(0, 400), cadence=cadences)
def test_a_later_visit_never_brings_the_due_date_forward(first: date, gap: int, cadence: Cadence) -> None:
    later = first + timedelta(days=gap)
    assert cadence.next_due(later) >= cadence.next_due(first)


@given(anchor=days_2000_2200, lateness=st.integers(-60, 400), min_days=st.integers(1, 30), cadence=cadences)
def test_the_sql_cutoff_agrees_with_the_rule(
    anchor: date, lateness: int, min_days: int, cadence: Cadence
) -> None:
    today = cadence.next_due(anchor) + timedelta(days=lateness)
    by_rule = days_overdue(cadence.next_due(anchor), today) >= min_days
    assert (anchor < overdue_cutoff(today, cadence, min_days_overdue=min_days)) is by_rule


def test_the_monthly_cutoff_is_the_first_day_of_last_month() -> None:
    assert overdue_cutoff(D("2024-03-15"), MONTHLY) == D("2024-02-01")
    assert overdue_cutoff(D("2024-03-01"), MONTHLY) == D("2024-02-01")
    assert overdue_cutoff(D("2024-02-29"), MONTHLY) == D("2024-01-01")
    # District level (14 days late) on 14 March: due dates up to 29 Feb qualify, i.e. January anchors.
    assert overdue_cutoff(D("2024-03-14"), MONTHLY, min_days_overdue=14) == D("2024-02-01")
    assert overdue_cutoff(D("2024-03-13"), MONTHLY, min_days_overdue=14) == D("2024-01-01")


# --- purity -----------------------------------------------------------------------------------------


def test_policy_visits_and_periods_do_no_io_even_indirectly() -> None:
    io_modules = {"grpc", "sqlalchemy", "sqlmodel", "nats", "httpx", "psycopg", "aiosqlite"}
    probe = (
        "import sys, services.kit.policy, services.kit.visits, services.kit.periods; "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert set(out.split()) & io_modules == set()


# --- Shanghai months (periods) ----------------------------------------------------------------------


def test_a_month_has_a_stable_key_and_shanghai_bounds_in_utc() -> None:
    november = Month.parse("2026-11")
    assert (november.key, november.first, november.last, november.days) == ("2026-11", D("2026-11-01"),
                                                                           D("2026-11-30"), 30)  # fmt: skip
    assert november.shift(2) == Month(2027, 1) and november.shift(-11) == Month(2025, 12)
    assert Month(2100, 2).days == 28 and Month(2024, 2).days == 29
    assert D("2026-11-30") in november and D("2026-12-01") not in november
    start, end = november.utc_bounds()
    assert start == datetime(2026, 10, 31, 16, tzinfo=UTC) and end == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert Month.of(datetime(2026, 10, 31, 16, 0, tzinfo=UTC)) == november


@pytest.mark.parametrize("key", ["2026-13", "2026-1", "26-11", "2026/11", ""])
def test_a_malformed_month_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(key)


def test_add_months_clamps_in_both_directions() -> None:
    assert add_months(D("2024-03-31"), -1) == D("2024-02-29")
    assert add_months(D("2024-02-29"), 12) == D("2025-02-28")
    assert add_months(D("2024-02-29"), 48) == D("2028-02-29")
    assert add_months(D("2025-01-15"), -13) == D("2023-12-15")
