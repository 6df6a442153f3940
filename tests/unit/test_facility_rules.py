"""Adoption, children's home and coverage rules: pure, no I/O."""

from __future__ import annotations

from datetime import date

import pytest

from services.childwelfare.facility_rules import (
    AdopterFacts,
    AdopterRelation,
    AdoptionStatus,
    AssessmentResult,
    CompletionOutcome,
    DemonstrationTier,
    HomeLevel,
    Person,
    age_gap,
    check_adoption,
    check_tier,
    completion_problem,
    coverage_rate,
    is_open_on,
)
from services.kit.errors import Collector

APPLIED = date(2025, 6, 15)
GIRL = Person(date(2020, 4, 1), "F")


def problems(child: Person, *adopters: AdopterFacts, applied_on: date = APPLIED) -> dict[str, str]:
    errors = Collector()
    check_adoption(errors, child=child, adopters=list(adopters), applied_on=applied_on)
    return {v.field: v.description for v in errors.violations}


def man(born: date, relation: AdopterRelation = AdopterRelation.OTHER) -> AdopterFacts:
    return AdopterFacts(born, "M", relation)


def woman(born: date, relation: AdopterRelation = AdopterRelation.OTHER) -> AdopterFacts:
    return AdopterFacts(born, "F", relation)


def test_a_couple_of_thirty_or_more_may_adopt_a_minor() -> None:
    assert problems(GIRL, man(date(1995, 6, 15)), woman(date(1990, 1, 1))) == {}


def test_an_adopter_one_day_short_of_thirty_is_refused() -> None:
    found = problems(GIRL, man(date(1995, 6, 16)), woman(date(1990, 1, 1)))
    assert set(found) == {"adopters[0].id_number"} and "30" in found["adopters[0].id_number"]


def test_an_adopter_born_on_29_february_turns_thirty_on_1_march_in_a_common_year() -> None:
    leap_born = woman(date(1996, 2, 29))
    assert "adopters[0].id_number" in problems(
        GIRL, leap_born, man(date(1980, 1, 1)), applied_on=date(2026, 2, 28)
    )
    assert problems(GIRL, leap_born, man(date(1980, 1, 1)), applied_on=date(2026, 3, 1)) == {}


def test_a_step_parent_needs_only_to_be_an_adult() -> None:
    step = man(date(2000, 1, 1), AdopterRelation.STEP_PARENT)  # 25
    assert problems(GIRL, step) == {}
    minor_step = man(date(2008, 1, 1), AdopterRelation.STEP_PARENT)
    assert "18" in problems(GIRL, minor_step)["adopters[0].id_number"]


def test_the_child_must_be_under_eighteen_on_the_application_day() -> None:
    turning = Person(date(2007, 6, 15), "F")
    couple = (man(date(1970, 1, 1)), woman(date(1970, 1, 1)))
    assert set(problems(turning, *couple)) == {"child_id_number"}
    assert problems(turning, *couple, applied_on=date(2025, 6, 14)) == {}


@pytest.mark.parametrize(
    ("adopter", "child", "refused"),
    [
        (man(date(1980, 4, 2)), GIRL, True),  # 39 years older, other sex, single
        (man(date(1980, 4, 1)), GIRL, False),  # exactly 40 years older
        (woman(date(1985, 1, 1)), GIRL, False),  # same sex: no gap rule
        (man(date(1985, 1, 1), AdopterRelation.RELATIVE), GIRL, False),  # 第1099条
        (man(date(1985, 1, 1), AdopterRelation.STEP_PARENT), GIRL, False),  # 第1103条
    ],
)
def test_a_single_adopter_of_the_other_sex_must_be_forty_years_older(
    adopter: AdopterFacts, child: Person, refused: bool
) -> None:
    assert ("adopters[0].id_number" in problems(child, adopter)) is refused


def test_the_gap_rule_does_not_apply_to_a_couple() -> None:
    assert problems(GIRL, man(date(1985, 1, 1)), woman(date(1985, 1, 1))) == {}


def test_one_or_two_adopters() -> None:
    assert set(problems(GIRL)) == {"adopters"}
    three = [woman(date(1980, 1, 1))] * 3
    assert "adopters" in problems(GIRL, *three)


def test_age_gap_counts_full_years() -> None:
    assert age_gap(Person(date(1980, 4, 2), "M"), GIRL) == 39
    assert age_gap(Person(date(1980, 4, 1), "M"), GIRL) == 40


@pytest.mark.parametrize(
    ("status", "outcome", "assessment", "allowed"),
    [
        (AdoptionStatus.ASSESSED, CompletionOutcome.REGISTER, AssessmentResult.SUITABLE, True),
        (AdoptionStatus.ASSESSED, CompletionOutcome.REGISTER, AssessmentResult.UNSUITABLE, False),
        (AdoptionStatus.APPLIED, CompletionOutcome.REGISTER, None, False),
        (AdoptionStatus.APPLIED, CompletionOutcome.REFUSE, None, True),
        (AdoptionStatus.APPLIED, CompletionOutcome.WITHDRAW, None, True),
        (AdoptionStatus.ASSESSED, CompletionOutcome.REFUSE, AssessmentResult.UNSUITABLE, True),
        (AdoptionStatus.REGISTERED, CompletionOutcome.WITHDRAW, AssessmentResult.SUITABLE, False),
        (AdoptionStatus.REFUSED, CompletionOutcome.REGISTER, AssessmentResult.SUITABLE, False),
    ],
)
def test_which_outcomes_end_which_adoptions(
    status: AdoptionStatus, outcome: CompletionOutcome, assessment: AssessmentResult | None, allowed: bool
) -> None:
    assert (completion_problem(status, outcome, assessment) is None) is allowed


def test_a_tier_only_on_a_demonstration_home() -> None:
    errors = Collector()
    check_tier(errors, "tier", HomeLevel.DEMONSTRATION, DemonstrationTier.PROVINCE)
    check_tier(errors, "tier", HomeLevel.DEMONSTRATION, None)
    check_tier(errors, "tier", HomeLevel.BASIC, None)
    assert errors.violations == []
    check_tier(errors, "tier", HomeLevel.BASIC, DemonstrationTier.CITY)
    assert [v.field for v in errors.violations] == ["tier"]


def test_a_facility_is_open_from_its_opening_day_until_the_day_it_closes() -> None:
    opened, closed = date(2025, 1, 1), date(2025, 3, 1)
    assert not is_open_on(opened, closed, date(2024, 12, 31))
    assert is_open_on(opened, closed, opened) and is_open_on(opened, closed, date(2025, 2, 28))
    assert not is_open_on(opened, closed, closed)
    assert is_open_on(opened, None, date(2099, 1, 1))


def test_coverage_rate_is_none_without_villages() -> None:
    assert coverage_rate(0, 0) is None and coverage_rate(2, 5) == 0.4
