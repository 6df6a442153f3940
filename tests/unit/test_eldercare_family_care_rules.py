"""Family-care bed rules without I/O: every kind has a department, frequencies are bounded."""

from __future__ import annotations

import pytest

from services.eldercare import family_care_rules as fr
from services.eldercare.family_care_rules import Department, ServiceKind, ServicePeriod
from services.kit.errors import Collector


def violations(times: int, period: ServicePeriod | None) -> list[str]:
    errors = Collector()
    fr.check_frequency(errors, times=times, period=period)
    return [v.field for v in errors.violations]


def test_every_kind_belongs_to_one_department() -> None:
    assert set(fr.DEPARTMENT) == set(ServiceKind)
    assert fr.DEPARTMENT[ServiceKind.HOME_HOSPITAL_BED] is Department.HEALTH
    assert fr.DEPARTMENT[ServiceKind.DISABILITY_REHABILITATION] is Department.DISABLED_PERSONS_FEDERATION


@pytest.mark.parametrize(
    ("times", "period"),
    [(1, ServicePeriod.WEEK), (7, ServicePeriod.WEEK), (31, ServicePeriod.MONTH), (1, ServicePeriod.ONCE)],
)
def test_frequencies_up_to_daily_are_accepted(times: int, period: ServicePeriod) -> None:
    assert violations(times, period) == []


@pytest.mark.parametrize(
    ("times", "period"),
    [(0, ServicePeriod.WEEK), (8, ServicePeriod.WEEK), (32, ServicePeriod.MONTH), (2, ServicePeriod.ONCE)],
)
def test_more_than_daily_none_or_a_repeated_one_off_is_refused(times: int, period: ServicePeriod) -> None:
    assert violations(times, period) == ["times"]


def test_an_unknown_period_leaves_times_to_the_period_violation() -> None:
    assert violations(99, None) == []
