"""The community areas' pure rules, with no I/O: plan totals, coverage, overdue rectifications, shares."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from services.eldercare import caregiver_rules as cr
from services.eldercare import inspection_rules as ir
from services.eldercare import meals_rules as mr
from services.eldercare import renovation_rules as rr
from services.kit.errors import Collector

TOWN = "330109001"
V1, V2, V3 = "330109001001", "330109001002", "330109001003"


def _fields(errors: Collector) -> set[str]:
    return {v.field for v in errors.violations}


# Renovation plans


def test_a_plan_total_is_the_sum_of_quantity_times_unit_price() -> None:
    totals = rr.plan_totals([rr.Line(1, 30_000), rr.Line(3, 7_333)], 0)
    assert (totals.total_fen, totals.subsidy_fen, totals.self_paid_fen) == (51_999, 0, 51_999)


@pytest.mark.parametrize(
    ("total", "percent", "subsidy"),
    [(51_999, 85, 44_199), (10_001, 50, 5_001), (10_000, 100, 10_000), (3, 50, 2), (1, 49, 0), (0, 80, 0)],
)
def test_the_subsidy_share_is_rounded_half_up_to_the_fen(total: int, percent: int, subsidy: int) -> None:
    assert rr.plan_totals([rr.Line(1, total)], percent).subsidy_fen == subsidy


def test_a_plan_moves_only_forward_and_is_cancelled_only_before_work_starts() -> None:
    s = rr.PlanStatus
    path = [s.SURVEYED, s.APPROVED, s.IN_PROGRESS, s.COMPLETED]
    for current, target in pairwise(path):
        assert rr.step_problem(current, target) is None
    assert rr.step_problem(s.SURVEYED, s.IN_PROGRESS) == "a surveyed plan cannot become in_progress"
    assert rr.step_problem(s.SURVEYED, s.CANCELLED) is None
    assert rr.step_problem(s.APPROVED, s.CANCELLED) is None
    assert rr.step_problem(s.IN_PROGRESS, s.CANCELLED) == "a plan cannot be cancelled once work has started"
    assert rr.step_problem(s.COMPLETED, s.CANCELLED) == "the plan is already completed"
    assert rr.step_problem(s.CANCELLED, s.APPROVED) == "the plan is already cancelled"


def test_a_step_may_not_predate_the_latest_step_so_far() -> None:
    assert rr.last_step_on(date(2025, 6, 1), None, None) == date(2025, 6, 1)
    assert rr.last_step_on(date(2025, 6, 1), date(2025, 6, 3), None) == date(2025, 6, 3)
    assert rr.last_step_on(date(2025, 6, 1), date(2025, 6, 3), date(2025, 6, 9)) == date(2025, 6, 9)


def test_lines_and_codes_are_checked_naming_the_field() -> None:
    errors = Collector()
    rr.check_line(errors, "lines[2]", quantity=0, unit_price_fen=rr.MAX_ITEM_PRICE_FEN + 1)
    rr.check_code(errors, "code", "TB 01")
    rr.check_code(errors, "ok", "TB-01")
    assert _fields(errors) == {"lines[2].quantity", "lines[2].unit_price_fen", "code"}


# Meal coverage


def test_a_village_is_covered_by_a_provider_standing_in_it_or_delivering_to_it() -> None:
    placements = [
        mr.Placement(V1, mr.ProviderKind.CANTEEN, date(2025, 1, 1), frozenset({V2})),
        mr.Placement(
            TOWN, mr.ProviderKind.MEAL_POINT, date(2025, 1, 1)
        ),  # at the town: covers nothing listed
    ]
    [town] = mr.coverage({TOWN: {V1, V2, V3}}, placements, on=date(2025, 6, 15))
    assert (town.village_count, town.villages_covered, town.canteens, town.meal_points) == (3, 2, 1, 1)
    assert town.rate == pytest.approx(2 / 3)


def test_a_provider_counts_from_the_day_it_opens() -> None:
    placements = [mr.Placement(V1, mr.ProviderKind.CANTEEN, date(2025, 6, 15))]
    before = mr.coverage({TOWN: {V1}}, placements, on=date(2025, 6, 14))
    after = mr.coverage({TOWN: {V1}}, placements, on=date(2025, 6, 15))
    assert (before[0].villages_covered, after[0].villages_covered) == (0, 1)


def test_coverage_counts_only_the_villages_in_scope_and_has_no_rate_without_villages() -> None:
    placements = [mr.Placement(V1, mr.ProviderKind.CANTEEN, date(2025, 1, 1), frozenset({V2, V3}))]
    [town] = mr.coverage({TOWN: {V2}}, placements, on=date(2025, 6, 15))
    assert (town.village_count, town.villages_covered, town.rate) == (1, 1, 1.0)
    [empty] = mr.coverage({"330109002": set()}, placements, on=date(2025, 6, 15))
    assert empty.rate is None


def test_a_meal_price_and_subsidy_are_checked_naming_the_field() -> None:
    errors = Collector()
    mr.check_price(errors, price_fen=1500, subsidy_fen=1500)
    assert not errors.violations
    mr.check_price(errors, price_fen=0, subsidy_fen=-1)
    assert _fields(errors) == {"price_fen", "subsidy_fen"}
    errors = Collector()
    mr.check_price(errors, price_fen=800, subsidy_fen=900)
    assert _fields(errors) == {"subsidy_fen"}


# Inspections, with a movable "today"


@pytest.mark.parametrize(
    ("days_after_deadline", "status", "overdue", "days"),
    [
        (-1, ir.HazardStatus.OPEN, False, 0),
        (0, ir.HazardStatus.OPEN, False, 0),  # the deadline day itself is on time
        (1, ir.HazardStatus.OPEN, True, 1),
        (1, ir.HazardStatus.RECTIFIED, True, 1),  # awaiting verification: the loop is not closed
        (30, ir.HazardStatus.CLOSED, False, 0),
    ],
)
def test_a_rectification_is_overdue_once_its_deadline_has_passed_until_closed(
    days_after_deadline: int, status: ir.HazardStatus, overdue: bool, days: int
) -> None:
    deadline = date(2024, 2, 28)
    today = deadline + timedelta(days=days_after_deadline)
    assert ir.is_overdue(deadline, status, today) is overdue
    assert ir.days_overdue(deadline, status, today) == days


def test_days_overdue_count_a_leap_day() -> None:
    assert ir.days_overdue(date(2024, 2, 28), ir.HazardStatus.OPEN, date(2024, 3, 1)) == 2
    assert ir.days_overdue(date(2025, 2, 28), ir.HazardStatus.OPEN, date(2025, 3, 1)) == 1


def test_the_hazard_loop_allows_only_rectify_then_verify() -> None:
    assert ir.rectify_problem(ir.HazardStatus.OPEN) is None
    assert ir.rectify_problem(ir.HazardStatus.RECTIFIED) is not None
    assert ir.rectify_problem(ir.HazardStatus.CLOSED) is not None
    assert ir.verify_problem(ir.HazardStatus.RECTIFIED) is None
    assert ir.verify_problem(ir.HazardStatus.OPEN) is not None
    assert ir.after_verification(True) is ir.HazardStatus.CLOSED
    assert ir.after_verification(False) is ir.HazardStatus.OPEN


def test_an_inspection_closes_when_every_hazard_is_closed_or_none_was_found() -> None:
    closed, still = ir.HazardStatus.CLOSED, ir.HazardStatus.RECTIFIED
    assert ir.inspection_status([]) is ir.InspectionStatus.CLOSED
    assert ir.inspection_status([closed, closed]) is ir.InspectionStatus.CLOSED
    assert ir.inspection_status([closed, still]) is ir.InspectionStatus.OPEN


def test_a_deadline_is_on_or_after_the_inspection_and_within_a_year() -> None:
    day = date(2025, 6, 13)
    assert ir.deadline_problem(day, day) is None
    assert ir.deadline_problem(day - timedelta(days=1), day) == "must not be before the inspection day"
    assert ir.deadline_problem(day + timedelta(days=ir.MAX_DEADLINE_DAYS + 1), day) is not None


# Caregivers


def test_the_senior_share_counts_senior_technician_and_senior_technician() -> None:
    counts = dict.fromkeys(cr.CaregiverLevel, 0) | {
        cr.CaregiverLevel.JUNIOR: 5,
        cr.CaregiverLevel.INTERMEDIATE: 3,
        cr.CaregiverLevel.SENIOR: 1,
        cr.CaregiverLevel.SENIOR_TECHNICIAN: 1,
    }
    assert cr.senior_count(counts) == 2
    assert cr.senior_share(counts) == pytest.approx(0.2)
    assert cr.senior_share(dict.fromkeys(cr.CaregiverLevel, 0)) is None


def test_certificate_numbers_are_checked() -> None:
    errors = Collector()
    cr.check_certificate(errors, "ok", "HL-2024-0001")
    cr.check_certificate(errors, "short", "H1")
    cr.check_certificate(errors, "spaces", "HL 2024")
    assert _fields(errors) == {"short", "spaces"}
