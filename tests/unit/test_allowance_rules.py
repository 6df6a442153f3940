"""The allowance rules without a server: ages by the month's last day, leap days, death, groups, spends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.eldercare.allowance_policy import load_allowance_policy
from services.eldercare.allowance_rules import (
    AgeTier,
    VoucherGroup,
    age_bands,
    age_on,
    birth_cutoff,
    check_spend,
    first_unpaid_month,
    old_age_tier,
    paid_for,
    relief_held_on,
    voucher_bands,
    voucher_group,
)
from services.kit.money import Money
from services.kit.periods import Month
from services.kit.policy import PolicyEntry, PolicyTable

SINCE = date(2020, 1, 1)


def tiers(*entries: tuple[str, int, str | None]) -> PolicyTable[AgeTier]:
    return PolicyTable(
        "old_age_allowance",
        [
            PolicyEntry(key, SINCE, None, AgeTier(min_age=age, monthly=Money.from_yuan(m) if m else None))
            for key, age, m in entries
        ],
    )


TIERS = tiers(("age_80", 80, "100.00"), ("age_90", 90, "200.00"), ("age_100", 100, None))


def tier_of(born: date, month: Month, deceased_on: date | None = None) -> str | None:
    band = old_age_tier(age_bands(TIERS, month), birth_date=born, deceased_on=deceased_on, month=month)
    return band.key if band else None


def test_someone_turning_80_on_any_day_of_the_month_is_in_the_tier_for_the_whole_month() -> None:
    june = Month(2025, 6)
    assert tier_of(date(1945, 6, 1), june) == "age_80"
    assert tier_of(date(1945, 6, 30), june) == "age_80"
    assert tier_of(date(1945, 7, 1), june) is None
    assert tier_of(date(1945, 7, 1), Month(2025, 7)) == "age_80"


def test_each_elder_is_in_the_highest_tier_reached_and_the_bands_do_not_overlap() -> None:
    june = Month(2025, 6)
    assert tier_of(date(1935, 6, 30), june) == "age_90"
    assert tier_of(date(1935, 7, 1), june) == "age_80"
    assert tier_of(date(1925, 6, 1), june) == "age_100"
    bands = age_bands(TIERS, june)
    assert [b.key for b in bands] == ["age_100", "age_90", "age_80"]
    assert bands[1].born_after == bands[0].born_on_or_before


def test_a_leap_day_birthday_counts_on_the_first_of_march_in_common_years() -> None:
    assert age_on(date(1944, 2, 29), date(2024, 2, 29)) == 80
    assert age_on(date(1936, 2, 29), date(2026, 2, 28)) == 89
    assert age_on(date(1936, 2, 29), date(2026, 3, 1)) == 90
    assert tier_of(date(1944, 2, 29), Month(2024, 2)) == "age_80"
    assert tier_of(date(1936, 2, 29), Month(2026, 2)) == "age_80"
    assert tier_of(date(1936, 2, 29), Month(2026, 3)) == "age_90"
    assert birth_cutoff(date(2024, 2, 29), 81) == date(1943, 2, 28)
    assert birth_cutoff(date(2024, 2, 29), 80) == date(1944, 2, 29)


@pytest.mark.parametrize(
    ("deceased_on", "paid"),
    [(None, True), (date(2025, 6, 10), True), (date(2025, 6, 1), False), (date(2025, 5, 31), False)],
)
def test_a_month_is_paid_to_those_alive_on_its_first_day(deceased_on: date | None, paid: bool) -> None:
    assert paid_for(Month(2025, 6), deceased_on) is paid
    assert (tier_of(date(1940, 1, 1), Month(2025, 6), deceased_on) is not None) is paid
    assert tier_of(date(1940, 1, 1), Month(2025, 7), deceased_on) is None or deceased_on is None


def test_payments_from_the_month_after_death_are_to_recover() -> None:
    assert first_unpaid_month(date(2025, 6, 20)) == Month(2025, 7)
    assert first_unpaid_month(date(2025, 6, 1)) == Month(2025, 6)
    assert first_unpaid_month(date(2025, 12, 31)) == Month(2026, 1)


def test_a_standard_applies_from_the_month_whose_first_day_it_covers() -> None:
    table = TIERS.supersede(
        "age_80", date(2025, 6, 15), AgeTier(min_age=80, monthly=Money.from_yuan("120.00"))
    )
    (june,) = [b for b in age_bands(table, Month(2025, 6)) if b.key == "age_80"]
    (july,) = [b for b in age_bands(table, Month(2025, 7)) if b.key == "age_80"]
    assert june.monthly == Money(10000) and july.monthly == Money(12000)
    assert july.entry.effective_from == date(2025, 6, 15)


GROUPS: PolicyTable[VoucherGroup] = PolicyTable(
    "eldercare_voucher",
    [
        PolicyEntry(
            "relief_impaired",
            SINCE,
            None,
            VoucherGroup(
                min_age=60,
                capability_levels=("moderate", "severe"),
                relief=("dibao",),
                monthly=Money.from_yuan("300.00"),
            ),
        ),
        PolicyEntry(
            "relief", SINCE, None, VoucherGroup(min_age=60, relief=("dibao", "dibian"), monthly=Money(10000))
        ),
        PolicyEntry("unfunded", SINCE, None, VoucherGroup(min_age=95, monthly=None)),
    ],
)


def group_of(born: date, level: str | None, relief: set[str], deceased_on: date | None = None) -> str | None:
    month = Month(2025, 6)
    band = voucher_group(
        voucher_bands(GROUPS, month),
        birth_date=born,
        deceased_on=deceased_on,
        capability_level=level,
        relief_held=relief,
        month=month,
    )
    return band.key if band else None


def test_an_elder_matching_several_voucher_groups_is_credited_the_highest() -> None:
    assert [b.key for b in voucher_bands(GROUPS, Month(2025, 6))] == ["relief_impaired", "relief", "unfunded"]
    assert group_of(date(1950, 1, 1), "severe", {"dibao"}) == "relief_impaired"
    assert group_of(date(1950, 1, 1), "mild", {"dibao"}) == "relief"
    assert group_of(date(1950, 1, 1), "severe", {"dibian"}) == "relief"
    assert group_of(date(1950, 1, 1), "severe", set()) is None
    assert group_of(date(1966, 1, 1), "severe", {"dibao"}) is None  # 59 on 30 June 2025
    assert group_of(date(1965, 6, 30), "severe", {"dibao"}) == "relief_impaired"  # 60 by the month's end
    assert group_of(date(1929, 1, 1), None, set()) == "unfunded"
    assert group_of(date(1950, 1, 1), "severe", {"dibao"}, deceased_on=date(2025, 5, 2)) is None


def test_relief_status_is_what_is_held_on_the_day() -> None:
    periods = [("dibao", date(2025, 1, 1), date(2025, 6, 1)), ("dibian", date(2025, 6, 10), None)]
    assert relief_held_on(periods, date(2025, 5, 31)) == {"dibao"}
    assert relief_held_on(periods, date(2025, 6, 1)) == set()  # effective_to is the first day without
    assert relief_held_on(periods, date(2025, 7, 1)) == {"dibian"}


def test_a_spend_beyond_the_balance_is_refused_naming_the_balance() -> None:
    assert check_spend(30000, 30000) is None
    message = check_spend(18000, 18001)
    assert message is not None and "180.00" in message and "180.01" in message


def test_the_packaged_policy_has_the_tiers_and_groups_but_no_invented_figures() -> None:
    policy = load_allowance_policy()
    assert [e.value.min_age for e in policy.old_age] == [80]
    assert all(e.value.monthly is None for e in [*policy.old_age, *policy.voucher])
    assert "seed" in (next(iter(policy.old_age)).source or "")


def test_a_policy_file_with_a_bare_number_for_money_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "tables:\n  old_age_allowance:\n    entries:\n"
        "      - {key: age_80, from: 2020-01-01, value: {min_age: 80, monthly: 100}}\n"
        "  eldercare_voucher:\n    entries:\n"
        "      - {key: g, from: 2020-01-01, value: {min_age: 60, monthly: null}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="quoted yuan"):
        load_allowance_policy(str(bad))
