"""The relief indicator rules with no I/O: the 低保 targets file, the verdicts, the care rates, the months
whose payments count as a year's money paid."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
import yaml

from services.kit.policy import default_policy_path
from services.relief import indicator_rules as ir


def packaged() -> ir.DibaoTargets:
    path = default_policy_path("relief_indicators")
    with open(path, encoding="utf-8") as f:
        return ir.parse_reference(yaml.safe_load(f))


def test_the_packaged_targets_follow_the_appendix_row_year_by_year() -> None:
    targets = packaged()
    assert {y: t.fen for y, t in targets.by_year.items()} == {
        2021: 1_322_400,
        2022: 1_100_000,
        2023: 1_320_000,
        2024: 1_350_000,
        2025: 1_400_000,
    }
    assert all("seed 004 line" in t.source for t in targets.by_year.values())
    assert targets.baseline is not None and targets.baseline.fen == 1_322_400


def test_a_year_after_the_plan_keeps_its_last_target_and_a_year_before_has_none() -> None:
    targets = packaged()
    later = targets.target(2027)
    assert later is not None and later.year == 2025
    assert targets.target(2020) is None


@pytest.mark.parametrize(
    ("value", "target", "status"),
    [
        (1_400_000, 1_400_000, ir.Status.MET),  # the floor itself is met
        (1_399_999, 1_400_000, ir.Status.NOT_MET),
        (None, 1_400_000, ir.Status.NO_DATA),
        (1_322_400, None, ir.Status.NO_TARGET),
    ],
)
def test_a_figure_is_met_when_it_reaches_the_floor(
    value: int | None, target: int | None, status: ir.Status
) -> None:
    assert ir.judge(value, target) is status


def test_a_rate_is_exact_and_has_no_value_without_households() -> None:
    nine_of_ten = ir.rate(9, 10, 90, "seed 004 line 194")
    assert nine_of_ten.value == Fraction(9, 10) and nine_of_ten.status is ir.Status.MET
    empty = ir.rate(0, 0, 90, "seed 004 line 194")
    assert empty.value is None and empty.status is ir.Status.NO_DATA
    untargeted = ir.rate(1, 2, None, "ignored")
    assert untargeted.status is ir.Status.NO_TARGET and untargeted.source == ""
    with pytest.raises(ValueError, match="between 0"):
        ir.rate(3, 2, 90, "x")


def test_the_monthly_standard_is_compared_per_person_year() -> None:
    assert ir.annual_fen(116_667) == 1_400_004


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"dibao_standard_target": {"unit": "yuan", "baseline_year": 2021, "by_year": []}},
        {
            "dibao_standard_target": {
                "unit": "yuan",
                "baseline_year": 2021,
                "by_year": [{"year": 2021, "value": 13224, "source": "s"}],
            }
        },
        {
            "dibao_standard_target": {
                "unit": "yuan",
                "baseline_year": 2021,
                "by_year": [
                    {"year": 2021, "value": "13224", "source": "s"},
                    {"year": 2021, "value": "13300", "source": "s"},
                ],
            }
        },
    ],
)
def test_malformed_reference_data_is_refused(raw: object) -> None:
    with pytest.raises(ir.IndicatorDataError):
        ir.parse_reference(raw)


@pytest.mark.parametrize(
    ("year", "as_of", "months"),
    [
        (2024, date(2024, 12, 31), ("2024-01", "2024-12")),  # a past year: its twelve months
        (2024, date(2024, 9, 15), ("2024-01", "2024-09")),  # the current year: up to this month
        (2025, date(2025, 1, 1), ("2025-01", "2025-01")),  # New Year's day: January's run may be made
    ],
)
def test_a_years_money_paid_counts_the_payments_for_its_months_so_far(
    year: int, as_of: date, months: tuple[str, str]
) -> None:
    assert ir.paid_months(year, as_of) == months
