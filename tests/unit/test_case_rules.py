"""Protection-case rules without I/O: the state steps, what each step needs, the response deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.childwelfare import case_rules
from services.childwelfare.case_policy import load_case_policy
from services.childwelfare.case_rules import (
    CaseState,
    CloseReason,
    InterventionKind,
    Placement,
    PlacementKind,
    ResponseRule,
    Step,
)
from services.kit.errors import Collector

TODAY = date(2025, 6, 15)
HOME = Placement(PlacementKind.INSTITUTION, "救助保护中心", "", TODAY)


def fields(step: Step, *, placement_given: bool | None = None) -> set[str]:
    errors = Collector()
    case_rules.check_step_fields(errors, step, today=TODAY, placement_given=placement_given)
    return {v.field for v in errors.violations}


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        (CaseState.REPORTED, CaseState.ASSESSING, True),
        (CaseState.REPORTED, CaseState.INTERVENTION, False),
        (CaseState.REPORTED, CaseState.CLOSED, False),
        (CaseState.ASSESSING, CaseState.INTERVENTION, True),
        (CaseState.ASSESSING, CaseState.MONITORING, False),
        (CaseState.INTERVENTION, CaseState.INTERVENTION, True),
        (CaseState.INTERVENTION, CaseState.MONITORING, True),
        (CaseState.INTERVENTION, CaseState.CLOSED, False),
        (CaseState.MONITORING, CaseState.INTERVENTION, True),
        (CaseState.CLOSED, CaseState.ASSESSING, False),
    ],
)
def test_a_case_moves_only_along_the_lifecycle(current: CaseState, to: CaseState, allowed: bool) -> None:
    problem = case_rules.step_problem(current, Step(to, "note"))
    assert (problem is None) is allowed
    if problem is not None:
        assert problem.field == "to_state" and current.value in problem.description


def test_closing_at_assessment_is_only_for_no_protection_need_and_only_there() -> None:
    no_need = Step(CaseState.CLOSED, "误报", close_reason=CloseReason.NO_PROTECTION_NEED)
    resolved = Step(CaseState.CLOSED, "监护恢复", close_reason=CloseReason.RESOLVED)
    assert case_rules.step_problem(CaseState.ASSESSING, no_need) is None
    assert case_rules.step_problem(CaseState.ASSESSING, resolved).field == "close_reason"  # type: ignore[union-attr]
    assert case_rules.step_problem(CaseState.MONITORING, resolved) is None
    assert case_rules.step_problem(CaseState.MONITORING, no_need).field == "close_reason"  # type: ignore[union-attr]


def test_temporary_guardianship_needs_a_placement_and_only_it_takes_one() -> None:
    guardianship = InterventionKind.TEMPORARY_GUARDIANSHIP
    assert fields(Step(CaseState.INTERVENTION, "临时监护", guardianship, HOME)) == set()
    assert fields(Step(CaseState.INTERVENTION, "临时监护", guardianship)) == {"placement"}
    assert fields(Step(CaseState.INTERVENTION, "临时监护", guardianship), placement_given=True) == set()
    support = InterventionKind.FAMILY_SUPPORT
    assert fields(Step(CaseState.INTERVENTION, "家庭指导", support, HOME)) == {"placement"}
    later = Placement(PlacementKind.PERSON, "外婆", "", TODAY + timedelta(days=1))
    assert fields(Step(CaseState.INTERVENTION, "x", guardianship, later)) == {"placement.start_on"}


def test_each_step_needs_a_note_and_only_the_details_of_its_state() -> None:
    assert fields(Step(CaseState.ASSESSING, " ")) == {"note"}
    assert fields(Step(CaseState.INTERVENTION, "x")) == {"intervention"}
    assert fields(Step(CaseState.MONITORING, "x", InterventionKind.MEDICAL_HELP)) == {"intervention"}
    assert fields(Step(CaseState.CLOSED, "x")) == {"close_reason"}
    assert fields(Step(CaseState.MONITORING, "x", close_reason=CloseReason.RESOLVED)) == {"close_reason"}
    assert fields(Step(CaseState.ASSESSING, "x" * (case_rules.MAX_NOTE_LENGTH + 1))) == {"note"}


def test_a_report_is_overdue_only_while_unanswered_after_its_deadline() -> None:
    reported = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
    due = case_rules.response_due_at(reported, ResponseRule())
    assert due == reported + timedelta(hours=24)
    assert not case_rules.is_response_overdue(CaseState.REPORTED, due, due)
    assert case_rules.is_response_overdue(CaseState.REPORTED, due, due + timedelta(seconds=1))
    assert not case_rules.is_response_overdue(CaseState.ASSESSING, due, due + timedelta(days=3))
    assert case_rules.hours_overdue(due, due + timedelta(minutes=59)) == 0
    assert case_rules.hours_overdue(due, due + timedelta(hours=25, minutes=1)) == 25
    assert case_rules.response_due_at(
        reported, ResponseRule(respond_within_hours=12)
    ) == reported + timedelta(hours=12)


def test_the_packaged_policy_gives_24_hours() -> None:
    assert load_case_policy().response_rule(TODAY).respond_within_hours == 24


def test_a_conference_needs_two_named_participants() -> None:
    errors = Collector()
    case_rules.check_participants(errors, "participants", ["王警官"])
    case_rules.check_participants(errors, "others", ["王警官", " "])
    assert [v.field for v in errors.violations] == ["participants", "others[1]"]
