"""Eldercare indicator rules without I/O: targets by year, per-10,000 rates, shares, counts, the file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from services.eldercare import indicator_rules as ir
from services.eldercare.indicator_rules import Elders, IndicatorKey, Status, TargetSeries, Unit
from services.kit.policy import default_policy_path

PACKAGED = yaml.safe_load(Path(default_policy_path("eldercare_indicators")).read_text(encoding="utf-8"))
REFERENCE = ir.parse_reference(PACKAGED)
CAREGIVERS = REFERENCE.targets[IndicatorKey.CAREGIVERS_PER_10K]
SENIOR = REFERENCE.targets[IndicatorKey.SENIOR_CAREGIVER_SHARE]
DEMENTIA = REFERENCE.targets[IndicatorKey.DEMENTIA_BEDS_PER_10K]
FAMILY = REFERENCE.targets[IndicatorKey.FAMILY_CARE_BEDS]
NURSING = REFERENCE.targets[IndicatorKey.NURSING_BED_SHARE]
MEALS = REFERENCE.targets[IndicatorKey.MEAL_VILLAGE_COVERAGE]


def test_the_packaged_targets_are_the_appendix_figures_by_year() -> None:
    assert [CAREGIVERS.target(y, district=True) for y in range(2021, 2026)] == [21, 23, 25, 26, 28]
    assert SENIOR.target(2025, district=True) == Decimal("0.20")
    assert NURSING.baseline == Decimal("0.5593")
    assert FAMILY.target(2024, district=True) == 400


def test_a_year_the_appendix_leaves_blank_has_no_baseline_and_no_target() -> None:
    assert DEMENTIA.baseline is None
    assert DEMENTIA.target(2021, district=True) is None
    assert DEMENTIA.target(2022, district=True) == 10


def test_years_after_the_plan_keep_its_last_target_and_years_before_it_have_none() -> None:
    assert CAREGIVERS.target(2030, district=True) == 28
    assert CAREGIVERS.target(2019, district=True) is None
    assert MEALS.target(2022, district=True) is None
    assert MEALS.target(2026, district=True) == 1


def test_the_family_care_bed_count_is_a_district_target_that_a_town_does_not_carry() -> None:
    town = ir.count(30, FAMILY, year=2025, district=False)
    assert (town.target, town.baseline, town.status) == (None, None, Status.NO_TARGET)
    district = ir.count(573, FAMILY, year=2023, district=True)
    assert (district.value, district.target, district.status) == (573, 200, Status.MET)


def test_no_family_care_beds_yet_is_a_real_zero_that_misses_the_target() -> None:
    assert ir.count(0, FAMILY, year=2022, district=True).status is Status.NOT_MET


def test_a_rate_per_10000_elders_divides_by_the_reference_population() -> None:
    figure = ir.per_10k(840, Elders(350_000, "test"), CAREGIVERS, year=2025, district=True)
    assert figure.value == Decimal(24)
    assert (figure.numerator, figure.denominator, figure.status) == (840, 350_000, Status.NOT_MET)
    assert ir.per_10k(980, Elders(350_000, "t"), CAREGIVERS, year=2025, district=True).status is Status.MET


def test_a_rate_without_a_reference_population_says_so_and_has_no_value() -> None:
    figure = ir.per_10k(840, None, CAREGIVERS, year=2025, district=True)
    assert (figure.value, figure.target, figure.status) == (None, 28, Status.NO_REFERENCE_POPULATION)


def test_met_is_decided_exactly_on_the_boundary() -> None:
    # 5593 of 10000 is exactly the 2021 baseline 55.93%: met, whatever a float would say.
    assert ir.share(5593, 10_000, NURSING, year=2021, district=True).status is Status.MET
    assert ir.share(5592, 10_000, NURSING, year=2021, district=True).status is Status.NOT_MET
    assert ir.share(1, 5, SENIOR, year=2025, district=False).status is Status.MET


def test_a_share_of_nothing_has_no_value_not_one_hundred_percent() -> None:
    figure = ir.share(0, 0, NURSING, year=2025, district=True)
    assert (figure.value, figure.status) == (None, Status.NO_DATA)


def test_a_value_in_a_year_without_target_is_reported_without_a_verdict() -> None:
    assert ir.share(3, 4, MEALS, year=2022, district=True).status is Status.NO_TARGET


def test_the_population_of_several_regions_is_their_sum_only_when_each_is_known() -> None:
    reference = ir.parse_reference(
        {
            **PACKAGED,
            "population": [
                {"region": "330109001", "year": 2025, "elders": 1000, "source": "a"},
                {"region": "330109002", "year": 2025, "elders": 500, "source": "b"},
            ],
        }
    )
    assert reference.elders(["330109001", "330109002"], 2025) == Elders(1500, "a; b")
    assert reference.elders(["330109001", "330109003"], 2025) is None
    assert reference.elders(["330109001"], 2024) is None
    assert reference.elders([], 2025) is None


def test_the_packaged_file_ships_no_population_because_the_seeds_give_none() -> None:
    assert REFERENCE.population == {}


@pytest.mark.parametrize(
    "change",
    [
        {"targets": {k: v for k, v in PACKAGED["targets"].items() if k != "nursing_bed_share"}},
        {"population": [{"region": "330109", "year": 2025, "elders": 0, "source": "x"}]},
        {"population": [{"region": "33", "year": 2025, "elders": 10, "source": "x"}]},
        {"population": [{"region": "330109", "year": 2025, "elders": 10, "source": "x"}] * 2},
        {"extra": 1},
    ],
)
def test_malformed_reference_data_is_refused(change: dict) -> None:
    with pytest.raises(ir.IndicatorDataError):
        ir.parse_reference({**PACKAGED, **change})


def test_percent_targets_become_fractions_and_district_scope_is_recognised() -> None:
    series = TargetSeries(Unit.PERCENT, "s", {2025: Decimal("0.65")})
    assert series.target(2025, district=False) == Decimal("0.65")
    assert ir.is_district(["330109"]) and not ir.is_district(["330109001"]) and not ir.is_district([])
