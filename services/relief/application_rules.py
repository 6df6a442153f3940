"""Relief applications (一件事) and grants as pure rules: states, steps, refusals, the re-check cadence.

One application asks for one or more of the relief items in force (``relief_items.yaml``, policy data).
Its lifecycle (seed 004 line 51: 改革救助申请审批流程; issue 6 item 4)::

    submitted ──review (town)──▶ reviewed ──approve (district)──▶ approved
        │                           └──reject (district, reason)──▶ rejected ──appeal──▶ appealed
        └─withdraw                  └─withdraw                                            │
                                                   approved ◀──uphold── appealed ──dismiss──▶ rejected

``withdrawn`` and ``approved`` are final; a rejection may be appealed once. The approver is never the
reviewer (maker–checker), nor is the one who decides an appeal the one who rejected. A signed credit
commitment (守信承诺, seed 004 line 52: 全面推行申报社会救助事项守信承诺制度) is needed to submit and
again to approve. Approval grants every item asked; a programme item (特困 / 低保 / 低边, at most one per
application) becomes a grant, and only for the programme the assessment taken at review found AND a fresh
assessment for the approval's month still finds (the review may be months old; standards and the
household change): the grant rests on the fresh one, and the approval step's note records both.

A grant is active, then perhaps suspended, and finally terminated (from either). It is re-checked
every ``interval_months`` after it started; the worklist shows it ``lead_days`` before that day. A
re-check is a re-assessment (定期核查): it may continue the grant only while the household is still
classified in the grant's programme (``continue_refusal``).

No I/O, no clock: the service functions pass plain data and ``today``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.kit.errors import Collector
from services.kit.fields import check_text
from services.kit.money import Money
from services.kit.periods import add_months
from services.relief.eligibility_models import Assessment

MAX_ITEMS = 14
MAX_TEXT_LENGTH = 500
MAX_SIGNER_LENGTH = 50


class ApplicationState(StrEnum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    REVIEWED = "reviewed"  # the town checked it and the household was assessed
    APPROVED = "approved"
    REJECTED = "rejected"
    APPEALED = "appealed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    """A step taken on an application (``submit`` is the first, recorded in the history too)."""

    SUBMIT = "submit"
    REVIEW = "review"
    APPROVE = "approve"
    REJECT = "reject"
    APPEAL = "appeal"
    UPHOLD_APPEAL = "uphold_appeal"  # the appeal succeeds: approved
    DISMISS_APPEAL = "dismiss_appeal"  # the appeal fails: rejected again, finally
    WITHDRAW = "withdraw"


class Programme(StrEnum):
    """The programmes that create a grant (codes shared with the eligibility classification)."""

    TEKUN = "tekun"
    DIBAO = "dibao"
    DIBIAN = "dibian"


class GrantStatus(StrEnum):
    """Where a grant stands; ``active`` and ``suspended`` are open (one per household and programme)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


OPEN_GRANT_STATUSES = (GrantStatus.ACTIVE, GrantStatus.SUSPENDED)

TRANSITIONS: dict[ApplicationState, dict[Action, ApplicationState]] = {
    ApplicationState.SUBMITTED: {
        Action.REVIEW: ApplicationState.REVIEWED,
        Action.WITHDRAW: ApplicationState.WITHDRAWN,
    },
    ApplicationState.REVIEWED: {
        Action.APPROVE: ApplicationState.APPROVED,
        Action.REJECT: ApplicationState.REJECTED,
        Action.WITHDRAW: ApplicationState.WITHDRAWN,
    },
    ApplicationState.REJECTED: {Action.APPEAL: ApplicationState.APPEALED},
    ApplicationState.APPEALED: {
        Action.UPHOLD_APPEAL: ApplicationState.APPROVED,
        Action.DISMISS_APPEAL: ApplicationState.REJECTED,
    },
    ApplicationState.APPROVED: {},
    ApplicationState.WITHDRAWN: {},
}

GRANT_TRANSITIONS: dict[GrantStatus, frozenset[GrantStatus]] = {
    GrantStatus.ACTIVE: frozenset({GrantStatus.SUSPENDED, GrantStatus.TERMINATED}),
    GrantStatus.SUSPENDED: frozenset({GrantStatus.TERMINATED}),
    GrantStatus.TERMINATED: frozenset(),
}


class ReliefItem(BaseModel):
    """Policy value: one relief item's name and the programme it grants (None: recorded only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    programme: Programme | None = None


class RecheckRule(BaseModel):
    """Policy value: re-check every ``interval_months``; show on the worklist ``lead_days`` before."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    interval_months: int = Field(gt=0, le=60)
    lead_days: int = Field(default=0, ge=0, le=366)


@dataclass(frozen=True)
class CreditCommitment:
    """The signed 守信承诺: who signed it (the applicant, by name) and on which day."""

    signed_by: str
    signed_on: date


@dataclass(frozen=True)
class Decision:
    """Who has acted on an application so far (what maker–checker compares)."""

    reviewed_by: str | None
    rejected_by: str | None
    appealed_before: bool
    has_commitment: bool
    appealed_by: str | None = None


def next_state(current: ApplicationState, action: Action) -> ApplicationState | None:
    """The state ``action`` leads to from ``current``, or None when it may not be taken."""
    return TRANSITIONS[current].get(action)


def step_refusal(current: ApplicationState, action: Action, *, appealed_before: bool = False) -> str | None:
    """Why ``action`` may not be taken on an application in ``current`` (None: it may)."""
    if next_state(current, action) is None:
        allowed = ", ".join(a.value for a in TRANSITIONS[current]) or "nothing (it is final)"
        return f"a {current.value} application cannot take the step {action.value}; allowed: {allowed}"
    if action is Action.APPEAL and appealed_before:
        return "this application was appealed once already; a rejection after appeal is final"
    return None


def actor_refusal(action: Action, actor: str, decision: Decision) -> str | None:
    """Maker–checker and the credit commitment: why ``actor`` may not take ``action`` (None: may)."""
    if action in (Action.APPROVE, Action.REJECT) and actor == decision.reviewed_by:
        return f"{actor} reviewed this application; approval or rejection needs another officer"
    if action in (Action.UPHOLD_APPEAL, Action.DISMISS_APPEAL) and actor in (
        decision.reviewed_by,
        decision.rejected_by,
        decision.appealed_by,
    ):
        return f"{actor} reviewed, rejected or appealed this application; the appeal needs another officer"
    if action in (Action.APPROVE, Action.UPHOLD_APPEAL) and not decision.has_commitment:
        return "the application has no signed credit commitment (守信承诺); it cannot be approved"
    return None


def needs_reason(action: Action) -> bool:
    """Rejections, appeals, their decisions and withdrawals must say why."""
    return action in (
        Action.REJECT,
        Action.APPEAL,
        Action.UPHOLD_APPEAL,
        Action.DISMISS_APPEAL,
        Action.WITHDRAW,
    )


def check_items(
    errors: Collector, field: str, codes: Sequence[str], catalogue: dict[str, ReliefItem]
) -> None:
    """At least one known item, none twice, at most one programme (a household holds one at a time)."""
    if not codes:
        errors.add(field, "ask for at least one relief item")
        return
    if len(codes) > MAX_ITEMS:
        errors.add(field, f"at most {MAX_ITEMS} items")
    known = ", ".join(sorted(catalogue))
    for i, code in enumerate(codes):
        if code not in catalogue:
            errors.add(f"{field}[{i}]", f"unknown relief item {code!r}; known: {known}")
    if len(set(codes)) != len(codes):
        errors.add(field, "an item is asked for twice")
    programmes = [code for code in codes if code in catalogue and catalogue[code].programme is not None]
    if len(set(programmes)) > 1:
        errors.add(field, f"at most one of tekun, dibao, dibian per application, not {', '.join(programmes)}")


def check_commitment(
    errors: Collector, field: str, commitment: CreditCommitment | None, *, today: date
) -> None:
    """The 守信承诺 is signed by someone named, on a day not in the future."""
    if commitment is None:
        errors.add(field, "a signed credit commitment (守信承诺) is required to apply")
        return
    check_text(
        errors, f"{field}.signed_by", commitment.signed_by, required=True, max_length=MAX_SIGNER_LENGTH
    )
    if commitment.signed_on > today:
        errors.add(f"{field}.signed_on", f"must not be in the future (today is {today.isoformat()})")


def programme_of(codes: Sequence[str], catalogue: dict[str, ReliefItem]) -> Programme | None:
    """The programme among the items asked (``check_items`` allows at most one), or None."""
    return next((p for c in codes if (p := catalogue[c].programme) is not None), None)


def grant_refusal(asked: Programme | None, classification: str | None) -> str | None:
    """Why the programme asked cannot be granted on the assessment taken at review (None: it can)."""
    if asked is None:
        return None
    if classification is None:
        return "the application has no assessment; review it first"
    if classification != asked.value:
        return (
            f"the assessment at review classifies the household as {classification}, not {asked.value}; "
            "reject the application or apply for the programme the household qualifies for"
        )
    return None


@dataclass(frozen=True)
class Assessed:
    """An assessment as a decision quotes it: the month (YYYY-MM), the classification, the amount."""

    month: str
    classification: str
    amount_fen: int

    @classmethod
    def of(cls, result: Assessment) -> Assessed:
        """How a decision quotes the engine's answer."""
        return cls(result.month.key, result.classification.value, result.amount_fen)

    def text(self) -> str:
        """E.g. ``2024-09 dibao 1204.00 yuan/month``."""
        month = self.month or "month unknown"
        return f"{month} {self.classification} {Money(self.amount_fen).text} yuan/month"


def approval_refusal(asked: Programme | None, at_review: Assessed, now: Assessed) -> str | None:
    """Why the programme the review found cannot be granted on the fresh assessment ``now`` (None: it
    can). Call after ``grant_refusal`` passed: the review found ``asked``."""
    if asked is None or now.classification == asked.value:
        return None
    return (
        f"the household no longer qualifies for {asked.value}: assessed at review as {at_review.text()}, "
        f"re-assessed for approval as {now.text()}; reject the application or apply for what it "
        "qualifies for now"
    )


def decision_note(text: str, at_review: Assessed, now: Assessed) -> str:
    """The approval step's note: the officer's note and both assessments, within ``MAX_TEXT_LENGTH``.

    The officer's text is shortened only when the three do not fit; it is kept whole as the
    application's ``reason`` anyway."""
    quoted = f"[assessed at review: {at_review.text()}; at approval: {now.text()}]"
    room = MAX_TEXT_LENGTH - len(quoted) - 1
    if not text:
        return quoted
    if len(text) > room:
        text = text[: room - 1] + "…"
    return f"{text} {quoted}"


def snapshot_month(snapshot: str) -> str:
    """The month (YYYY-MM) a grant's stored snapshot was assessed for; empty when it does not say (a
    grant carried over from elsewhere with ``{}``)."""
    try:
        found: Any = json.loads(snapshot)
    except ValueError:
        return ""
    month = found.get("month") if isinstance(found, dict) else None
    return month if isinstance(month, str) else ""


def continue_refusal(programme: Programme, now: Assessed) -> str | None:
    """Why a re-check may not continue a ``programme`` grant on the assessment ``now`` (None: it may)."""
    if now.classification == programme.value:
        return None
    return (
        f"re-assessed for {now.month}, the household is classified as {now.classification} "
        f"({Money(now.amount_fen).text} yuan/month), not {programme.value}: it no longer qualifies for "
        "this grant; terminate or suspend it instead"
    )


def grant_step_refusal(current: GrantStatus, target: GrantStatus) -> str | None:
    """Why a grant in ``current`` cannot become ``target`` (None: it can)."""
    if target in GRANT_TRANSITIONS[current]:
        return None
    if current is GrantStatus.TERMINATED:
        return "the grant is terminated; nothing follows"
    return f"a {current.value} grant cannot become {target.value}"


def check_end_day(errors: Collector, field: str, day: date, *, effective_from: date, today: date) -> None:
    """A suspension or termination takes effect on or after the day the grant started (that very day:
    granted in error, never held) and at most a year ahead."""
    if day < effective_from:
        errors.add(field, f"must not be before the grant started ({effective_from.isoformat()})")
    if day > today + timedelta(days=366):
        errors.add(field, "must be within a year from today")


def recheck_due_on(since: date, rule: RecheckRule) -> date:
    """The day a grant started (or was last re-checked) on is next re-checked."""
    return add_months(since, rule.interval_months)


def shows_from(due_on: date, rule: RecheckRule) -> date:
    """The first day a grant due on ``due_on`` is on the re-check worklist."""
    return due_on - timedelta(days=rule.lead_days)


def worklist_horizon(today: date, rule: RecheckRule) -> date:
    """The last due day on today's worklist: grants due up to ``lead_days`` ahead (and overdue ones)."""
    return today + timedelta(days=rule.lead_days)


def is_recheck_due(due_on: date, today: date, rule: RecheckRule) -> bool:
    """Whether a grant due on ``due_on`` belongs on today's worklist (``lead_days`` early)."""
    return due_on <= worklist_horizon(today, rule)
