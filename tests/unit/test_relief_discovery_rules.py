"""Proactive discovery's rule table as cases: which fact, in a household holding what, raises which flag."""

from __future__ import annotations

from datetime import date

import pytest

from services.relief import discovery_rules as rules
from services.relief.discovery_rules import Details, Fact, FlagKind

ON = date(2024, 9, 15)


@pytest.mark.parametrize(
    ("fact", "held", "kind"),
    [
        (Fact.ELDER_SEVERELY_DISABLED, set(), FlagKind.MAY_QUALIFY),
        (Fact.ELDER_SEVERELY_DISABLED, {"dibian"}, FlagKind.MAY_QUALIFY),
        (Fact.ELDER_SEVERELY_DISABLED, {"dibao"}, None),
        (Fact.ELDER_SEVERELY_DISABLED, {"tekun"}, None),
        (Fact.CHILD_WITHOUT_SUPPORT, set(), FlagKind.MAY_QUALIFY),
        (Fact.CHILD_WITHOUT_SUPPORT, {"dibian"}, FlagKind.MAY_QUALIFY),
        (Fact.CHILD_WITHOUT_SUPPORT, {"dibao"}, None),
        (Fact.MEMBER_DIED, set(), None),
        (Fact.MEMBER_DIED, {"dibao"}, FlagKind.REASSESS),
        (Fact.MEMBER_DIED, {"dibian"}, FlagKind.REASSESS),
        (Fact.HEAD_DIED, {"dibao"}, FlagKind.REASSESS),
        (Fact.HEAD_DIED, set(), FlagKind.REASSESS),  # nothing to re-assess, but the new head to confirm
        (Fact.LAST_MEMBER_DIED, {"tekun"}, FlagKind.ENDED),
        (Fact.LAST_MEMBER_DIED, set(), None),
        (Fact.DEATH_BEFORE_JOINING, set(), FlagKind.REASSESS),
        (Fact.DEATH_BEFORE_JOINING, {"dibao"}, FlagKind.REASSESS),
    ],
)
def test_the_table_decides_the_flag_from_the_fact_and_the_programmes_held(
    fact: Fact, held: set[str], kind: FlagKind | None
) -> None:
    flag = rules.decide(fact, held, Details(ON, "severe"))
    assert (flag.kind if flag else None) == kind
    if flag is not None:
        assert flag.fact is fact and "2024-09-15" in flag.reason


def test_a_death_reason_names_the_overpayment_after_the_date_of_death() -> None:
    flag = rules.decide(Fact.MEMBER_DIED, {"dibao"}, Details(ON))
    assert flag is not None and "overpayment" in flag.reason and "after 2024-09-15" in flag.reason


@pytest.mark.parametrize(
    ("level", "current", "fact"),
    [
        ("complete", True, Fact.ELDER_SEVERELY_DISABLED),
        ("severe", True, Fact.ELDER_SEVERELY_DISABLED),
        ("moderate", True, None),
        ("intact", True, None),
        ("severe", False, None),  # a back-dated older assessment is not the elder's level now
    ],
)
def test_only_a_current_severe_or_complete_assessment_is_a_fact(
    level: str, current: bool, fact: Fact | None
) -> None:
    assert rules.elder_fact(level, current=current) == fact


@pytest.mark.parametrize(
    ("category", "fact"),
    [
        ("de_facto_unattended", Fact.CHILD_WITHOUT_SUPPORT),
        ("orphan_scattered", Fact.CHILD_WITHOUT_SUPPORT),
        ("left_behind", None),
        ("dibao_family", None),
    ],
)
def test_children_without_support_are_a_fact_other_categories_are_not(
    category: str, fact: Fact | None
) -> None:
    assert rules.child_fact(category) == fact


@pytest.mark.parametrize(
    ("died", "others", "head", "fact"),
    [
        (date(2024, 9, 1), True, False, Fact.MEMBER_DIED),
        (date(2024, 9, 1), True, True, Fact.HEAD_DIED),
        (date(2024, 9, 1), False, True, Fact.LAST_MEMBER_DIED),
        (date(2020, 1, 1), True, False, Fact.MEMBER_DIED),  # died the day they joined
        (date(2019, 12, 31), False, True, Fact.DEATH_BEFORE_JOINING),
    ],
)
def test_a_death_is_a_conflict_before_joining_else_depends_on_who_stays(
    died: date, others: bool, head: bool, fact: Fact
) -> None:
    found = rules.death_fact(died_on=died, joined_on=date(2020, 1, 1), others_stay=others, was_head=head)
    assert found == fact


def test_a_masked_number_gives_its_area_code_and_last_four() -> None:
    assert rules.masked_parts("330109********123x") == ("330109", "123X")
    assert rules.masked_parts("330109198001011234") is None
    assert rules.masked_parts("33010*********1234") is None


@pytest.mark.parametrize(
    ("age", "on", "window"),
    [
        (80, date(2024, 9, 15), (date(1943, 9, 16), date(1944, 9, 15))),
        (0, date(2024, 3, 1), (date(2023, 3, 2), date(2024, 3, 1))),
        (4, date(2024, 2, 29), (date(2019, 3, 1), date(2020, 2, 29))),
        (5, date(2024, 2, 29), (date(2018, 3, 1), date(2019, 2, 28))),
    ],
)
def test_the_birth_window_holds_exactly_the_days_giving_that_age(
    age: int, on: date, window: tuple[date, date]
) -> None:
    assert rules.birth_window(age, on) == window


def test_only_a_single_candidate_is_a_match() -> None:
    assert rules.unique(["a", "a"]) == "a"
    assert rules.unique(["a", "b"]) is None
    assert rules.unique([]) is None


def test_the_spouse_heads_the_household_when_the_head_dies_else_the_eldest() -> None:
    spouse = rules.Staying("s", "spouse", date(1960, 1, 1))
    child = rules.Staying("c", "child", date(1985, 1, 1))
    parent = rules.Staying("p", "parent", date(1935, 1, 1))
    assert rules.provisional_head([child, parent, spouse]) == "s"
    assert rules.provisional_head([child, parent]) == "p"
    assert rules.provisional_head([]) is None
