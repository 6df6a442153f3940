"""Relief applications (一件事) as pure rules: steps, maker–checker, the commitment, items, re-checks."""

from __future__ import annotations

from datetime import date

import pytest

from services.kit.errors import Collector
from services.relief import application_rules as rules
from services.relief.application_policy import load_application_policy
from services.relief.application_rules import (
    Action,
    ApplicationState,
    CreditCommitment,
    Decision,
    GrantStatus,
    Programme,
    RecheckRule,
)

POLICY = load_application_policy()
TODAY = date(2024, 9, 15)
CATALOGUE = POLICY.items_on(TODAY)
SIGNED = Decision(reviewed_by="town-1", rejected_by=None, appealed_before=False, has_commitment=True)


def violations(check: object, *args: object, **kwargs: object) -> dict[str, str]:
    errors = Collector()
    check(errors, *args, **kwargs)  # type: ignore[operator]
    return {v.field: v.description for v in errors.violations}


def test_the_policy_lists_fourteen_items_of_which_three_are_programmes() -> None:
    assert len(CATALOGUE) == 14
    programmes = {code: item.programme for code, item in CATALOGUE.items() if item.programme}
    assert programmes == {"tekun": Programme.TEKUN, "dibao": Programme.DIBAO, "dibian": Programme.DIBIAN}
    assert CATALOGUE["medical"].name == "医疗救助" and CATALOGUE["medical"].programme is None
    assert all("ASSUMPTION" in e.source for e in POLICY.items if e.source)


def test_every_programme_is_rechecked_yearly() -> None:
    assert {p: r.interval_months for p, r in POLICY.recheck_rules(TODAY).items()} == {
        Programme.DIBAO: 12,
        Programme.TEKUN: 12,
        Programme.DIBIAN: 12,
    }


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (ApplicationState.SUBMITTED, Action.REVIEW, ApplicationState.REVIEWED),
        (ApplicationState.SUBMITTED, Action.WITHDRAW, ApplicationState.WITHDRAWN),
        (ApplicationState.REVIEWED, Action.APPROVE, ApplicationState.APPROVED),
        (ApplicationState.REVIEWED, Action.REJECT, ApplicationState.REJECTED),
        (ApplicationState.REVIEWED, Action.WITHDRAW, ApplicationState.WITHDRAWN),
        (ApplicationState.REJECTED, Action.APPEAL, ApplicationState.APPEALED),
        (ApplicationState.APPEALED, Action.UPHOLD_APPEAL, ApplicationState.APPROVED),
        (ApplicationState.APPEALED, Action.DISMISS_APPEAL, ApplicationState.REJECTED),
    ],
)
def test_the_lifecycle_allows_these_steps(
    state: ApplicationState, action: Action, after: ApplicationState
) -> None:
    assert rules.next_state(state, action) is after
    assert rules.step_refusal(state, action) is None


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (ApplicationState.SUBMITTED, Action.APPROVE),  # not reviewed yet
        (ApplicationState.SUBMITTED, Action.REJECT),
        (ApplicationState.REVIEWED, Action.REVIEW),
        (ApplicationState.APPROVED, Action.WITHDRAW),
        (ApplicationState.APPROVED, Action.APPEAL),
        (ApplicationState.WITHDRAWN, Action.REVIEW),
        (ApplicationState.APPEALED, Action.WITHDRAW),
    ],
)
def test_a_wrong_step_is_refused_naming_what_is_allowed(state: ApplicationState, action: Action) -> None:
    refusal = rules.step_refusal(state, action)
    assert refusal is not None and state.value in refusal and "allowed" in refusal


def test_a_rejection_after_appeal_is_final() -> None:
    assert rules.step_refusal(ApplicationState.REJECTED, Action.APPEAL, appealed_before=True) is not None


def test_the_reviewer_may_not_approve_or_reject() -> None:
    for action in (Action.APPROVE, Action.REJECT):
        refusal = rules.actor_refusal(action, "town-1", SIGNED)
        assert refusal is not None and "another officer" in refusal
    assert rules.actor_refusal(Action.APPROVE, "district-1", SIGNED) is None


def test_the_appeal_is_decided_by_neither_the_reviewer_nor_who_rejected_nor_who_recorded_it() -> None:
    rejected = Decision(
        reviewed_by="town-1",
        rejected_by="district-1",
        appealed_before=True,
        has_commitment=True,
        appealed_by="district-3",
    )
    for who in ("town-1", "district-1", "district-3"):
        assert rules.actor_refusal(Action.UPHOLD_APPEAL, who, rejected) is not None
        assert rules.actor_refusal(Action.DISMISS_APPEAL, who, rejected) is not None
    assert rules.actor_refusal(Action.UPHOLD_APPEAL, "district-2", rejected) is None


def test_approval_without_the_credit_commitment_is_refused() -> None:
    unsigned = Decision(reviewed_by="town-1", rejected_by=None, appealed_before=False, has_commitment=False)
    refusal = rules.actor_refusal(Action.APPROVE, "district-1", unsigned)
    assert refusal is not None and "守信承诺" in refusal
    assert rules.actor_refusal(Action.UPHOLD_APPEAL, "district-2", unsigned) is not None
    assert rules.actor_refusal(Action.REJECT, "district-1", unsigned) is None  # refusing needs no promise


def test_submission_needs_a_signed_commitment_not_in_the_future() -> None:
    assert "commitment" in violations(rules.check_commitment, "commitment", None, today=TODAY)
    future = CreditCommitment("王建国", date(2024, 9, 16))
    assert set(violations(rules.check_commitment, "commitment", future, today=TODAY)) == {
        "commitment.signed_on"
    }
    nobody = CreditCommitment(" ", TODAY)
    assert set(violations(rules.check_commitment, "commitment", nobody, today=TODAY)) == {
        "commitment.signed_by"
    }
    assert (
        violations(rules.check_commitment, "commitment", CreditCommitment("王建国", TODAY), today=TODAY) == {}
    )


@pytest.mark.parametrize("action", [Action.REJECT, Action.APPEAL, Action.DISMISS_APPEAL, Action.WITHDRAW])
def test_rejections_appeals_and_withdrawals_need_a_reason(action: Action) -> None:
    assert rules.needs_reason(action)


def test_review_and_approval_take_only_a_note() -> None:
    assert not rules.needs_reason(Action.REVIEW) and not rules.needs_reason(Action.APPROVE)


def test_items_must_be_known_distinct_and_hold_at_most_one_programme() -> None:
    assert violations(rules.check_items, "items", ["dibao", "medical", "education"], CATALOGUE) == {}
    unknown = violations(rules.check_items, "items", ["dibao", "lottery"], CATALOGUE)
    assert set(unknown) == {"items[1]"} and "lottery" in unknown["items[1]"]
    assert set(violations(rules.check_items, "items", [], CATALOGUE)) == {"items"}
    assert set(violations(rules.check_items, "items", ["medical", "medical"], CATALOGUE)) == {"items"}
    assert set(violations(rules.check_items, "items", ["dibao", "tekun"], CATALOGUE)) == {"items"}


def test_the_programme_among_the_items_is_granted_only_as_assessed() -> None:
    asked = rules.programme_of(["medical", "dibao"], CATALOGUE)
    assert asked is Programme.DIBAO
    assert rules.grant_refusal(asked, "dibao") is None
    assert "dibian" in (rules.grant_refusal(asked, "dibian") or "")
    assert rules.grant_refusal(asked, None) is not None
    assert rules.grant_refusal(rules.programme_of(["medical"], CATALOGUE), "none") is None


AT_REVIEW = rules.Assessed("2024-09", "dibao", 120_400)


def test_approval_grants_only_while_the_fresh_assessment_still_finds_the_programme() -> None:
    assert (
        rules.approval_refusal(Programme.DIBAO, AT_REVIEW, rules.Assessed("2025-01", "dibao", 166_668))
        is None
    )
    assert rules.approval_refusal(None, AT_REVIEW, rules.Assessed("2025-01", "none", 0)) is None
    refusal = rules.approval_refusal(Programme.DIBAO, AT_REVIEW, rules.Assessed("2024-10", "dibian", 0))
    assert refusal is not None and "no longer qualifies for dibao" in refusal
    assert "at review as 2024-09 dibao 1204.00 yuan/month" in refusal
    assert "for approval as 2024-10 dibian 0.00 yuan/month" in refusal


def test_the_approval_note_quotes_both_assessments_and_fits_the_column() -> None:
    fresh = rules.Assessed("2025-01", "dibao", 166_668)
    quoted = (
        "[assessed at review: 2024-09 dibao 1204.00 yuan/month; "
        "at approval: 2025-01 dibao 1666.68 yuan/month]"
    )
    assert rules.decision_note("", AT_REVIEW, fresh) == quoted
    assert rules.decision_note("同意", AT_REVIEW, fresh) == f"同意 {quoted}"
    long = rules.decision_note("核" * rules.MAX_TEXT_LENGTH, AT_REVIEW, fresh)
    assert len(long) == rules.MAX_TEXT_LENGTH and long.endswith(f"… {quoted}")


def test_a_recheck_continues_only_while_the_household_is_in_the_grants_programme() -> None:
    assert rules.continue_refusal(Programme.DIBAO, rules.Assessed("2025-08", "dibao", 224_865)) is None
    refusal = rules.continue_refusal(Programme.DIBAO, rules.Assessed("2025-08", "none", 0))
    assert refusal is not None and "classified as none (0.00 yuan/month), not dibao" in refusal
    assert "re-assessed for 2025-08" in refusal and "terminate or suspend" in refusal
    assert rules.continue_refusal(Programme.DIBAO, rules.Assessed("2025-08", "tekun", 201_668)) is not None
    assert rules.Assessed("", "dibao", 5).text() == "month unknown dibao 0.05 yuan/month"


def test_the_month_a_grants_snapshot_was_assessed_for() -> None:
    assert rules.snapshot_month('{"month": "2025-08", "household": {}}') == "2025-08"
    assert (
        rules.snapshot_month("{}") == ""
        and rules.snapshot_month("not json") == ""
        and rules.snapshot_month("[1]") == ""
    )


def test_a_grant_is_suspended_then_terminated_and_nothing_follows_termination() -> None:
    assert rules.grant_step_refusal(GrantStatus.ACTIVE, GrantStatus.SUSPENDED) is None
    assert rules.grant_step_refusal(GrantStatus.ACTIVE, GrantStatus.TERMINATED) is None
    assert rules.grant_step_refusal(GrantStatus.SUSPENDED, GrantStatus.TERMINATED) is None
    assert rules.grant_step_refusal(GrantStatus.SUSPENDED, GrantStatus.SUSPENDED) is not None
    assert rules.grant_step_refusal(GrantStatus.TERMINATED, GrantStatus.SUSPENDED) is not None


def test_an_end_day_falls_on_or_after_the_grant_started_and_within_a_year() -> None:
    start = date(2024, 9, 15)
    assert violations(rules.check_end_day, "d", date(2024, 10, 1), effective_from=start, today=TODAY) == {}
    assert violations(rules.check_end_day, "d", start, effective_from=start, today=TODAY) == {}
    before = date(2024, 9, 14)
    assert set(violations(rules.check_end_day, "d", before, effective_from=start, today=TODAY)) == {"d"}
    assert set(violations(rules.check_end_day, "d", date(2026, 1, 1), effective_from=start, today=TODAY)) == {
        "d"
    }


def test_a_yearly_recheck_falls_due_a_year_on_and_shows_thirty_days_early() -> None:
    rule = RecheckRule(interval_months=12, lead_days=30)
    due = rules.recheck_due_on(date(2024, 2, 29), rule)
    assert due == date(2025, 2, 28)  # clamped to the month's end
    assert not rules.is_recheck_due(due, date(2025, 1, 28), rule)
    assert rules.is_recheck_due(due, date(2025, 1, 29), rule)  # 30 days before
    assert rules.is_recheck_due(due, date(2025, 6, 1), rule)  # overdue stays on the list
    assert rules.worklist_horizon(date(2025, 1, 29), rule) == due
