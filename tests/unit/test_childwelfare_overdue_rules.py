"""The overdue scan's pure parts: level cutoffs that agree with kit.visits, escalation policy, interval."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.childwelfare import rules
from services.childwelfare.jobs import DEFAULT_SCAN_INTERVAL_S, SCAN_INTERVAL_ENV, scan_interval_s
from services.childwelfare.policy import load_visit_policy
from services.childwelfare.rules import ProtectionCategory, VisitPolicy
from services.kit import visits
from services.kit.policy import PolicyEntry, PolicyTable
from services.kit.visits import Cadence, Escalation

ESCALATION = Escalation(town_after_days=7, district_after_days=14)


@pytest.mark.parametrize("cadence", [Cadence.monthly(), Cadence(1, "months", "same_day"), Cadence.days(30)])
@pytest.mark.parametrize("today", [date(2024, 3, 1), date(2025, 3, 31), date(2025, 7, 14), date(2026, 1, 5)])
def test_the_scan_cutoffs_give_the_level_kit_visits_gives_for_every_anchor(
    cadence: Cadence, today: date
) -> None:
    cutoffs = rules.overdue_cutoffs(today, cadence, ESCALATION)
    for back in range(0, 120):
        anchor = today - timedelta(days=back)
        status = visits.visit_status(None, anchor, cadence, ESCALATION, today=today)
        assert cutoffs.level(anchor) == status.level, anchor


def test_the_escalation_comes_from_the_policy_file_with_a_default_key() -> None:
    policy = load_visit_policy()
    assert policy.escalation(ProtectionCategory.LEFT_BEHIND, date(2025, 7, 1)) == ESCALATION


def test_a_category_entry_overrides_the_default_escalation() -> None:
    table = PolicyTable(
        "visit_escalation",
        [
            PolicyEntry("default", date(2020, 1, 1), None, ESCALATION),
            PolicyEntry("orphan_scattered", date(2020, 1, 1), None, Escalation(3, 5)),
        ],
    )
    policy = VisitPolicy(PolicyTable("visit_cadence", []), escalations=table)
    assert policy.escalation(ProtectionCategory.ORPHAN_SCATTERED, date(2025, 1, 1)) == Escalation(3, 5)
    assert policy.escalation(ProtectionCategory.LEFT_BEHIND, date(2025, 1, 1)) == ESCALATION


@pytest.mark.parametrize(("raw", "expected"), [("", DEFAULT_SCAN_INTERVAL_S), ("60", 60.0), (" 0.5 ", 0.5)])
def test_the_scan_interval_comes_from_the_environment(raw: str, expected: float) -> None:
    assert scan_interval_s({SCAN_INTERVAL_ENV: raw}) == expected


@pytest.mark.parametrize("raw", ["hourly", "0", "-5"])
def test_a_bad_scan_interval_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(ValueError, match=SCAN_INTERVAL_ENV):
        scan_interval_s({SCAN_INTERVAL_ENV: raw})
