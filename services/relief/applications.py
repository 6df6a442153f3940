"""Relief applications (一件事): submitting one and taking its steps (reading them: ``application_files``).

Every step is one guarded UPDATE (``WHERE state = <as read> AND step_count = <as read>``) and one step
row: of two officers acting at once, one is refused with FAILED_PRECONDITION. The checks run first and
raise before anything is written (a refusal found later, such as a grant won by a concurrent approval,
rolls the whole unit of work back): a wrong step for the state, maker–checker (the approver is not the
reviewer), a missing credit commitment, a programme the assessment does not support. Review assesses
the household (``assessment.assess_household``) and keeps the whole snapshot on the application.
Approval (or an upheld appeal) of a programme assesses the household AGAIN for its own month: the review
may be months old and the standards or the household may have changed since. The grant opens only while
the fresh assessment still finds the programme, and rests on it (amount and snapshot); the approval
step's note quotes both assessments, the application keeps the review's. Opening the grant stages
``assistance-granted`` (``grants.open_grant``). Nothing here commits: the caller's unit of work holds the
application, its step, the grant, the audit rows and the event.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.errors import FailedPrecondition
from services.kit.periods import Month, china_today
from services.kit.protoconv import as_utc
from services.relief import application_rules as rules
from services.relief import assessment, grants
from services.relief.application_files import items_of, visible_application
from services.relief.application_policy import ApplicationPolicy
from services.relief.application_rules import Action, ApplicationState, Assessed, CreditCommitment, Decision
from services.relief.eligibility_models import Assessment
from services.relief.households import visible_household
from services.relief.models import ReliefApplication, ReliefApplicationStep
from services.relief.standards import StandardsBook

UNDECIDED = [
    ApplicationState.SUBMITTED.value,
    ApplicationState.REVIEWED.value,
    ApplicationState.APPEALED.value,
]


@dataclass(frozen=True)
class NewApplication:
    """A validated application: the household, the item codes, the signed commitment, a note."""

    household_id: str
    items: tuple[str, ...]
    commitment: CreditCommitment
    note: str


@dataclass(frozen=True)
class Step:
    """A validated step: the action and its note or reason."""

    application_id: str
    action: Action
    text: str = ""


@dataclass(frozen=True)
class Deps:
    """What approval and review need besides the session: standards, items policy, the digest key."""

    book: StandardsBook
    policy: ApplicationPolicy
    key: bytes


async def submit(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], new: NewApplication, now: datetime
) -> ReliefApplication:
    """Open an application of a household in the scopes; FAILED_PRECONDITION if one is undecided."""
    # Locked: two officers submitting for the household at once must not both find none undecided.
    household = await visible_household(
        session, scopes=scopes, household_id=new.household_id, for_update=True
    )
    pending = select(ReliefApplication.id).where(
        ReliefApplication.household_id == household.id, col(ReliefApplication.state).in_(UNDECIDED)
    )
    if (found := (await session.exec(pending)).first()) is not None:
        raise FailedPrecondition(f"household {household.id} has an undecided application {found}")
    application = ReliefApplication(
        id=str(uuid.uuid4()),
        household_id=household.id,
        region_code=household.region_code,
        items=",".join(new.items),
        state=ApplicationState.SUBMITTED.value,
        step_count=1,
        note=new.note,
        commitment_signed_by=new.commitment.signed_by,
        commitment_signed_on=new.commitment.signed_on,
        submitted_by=actor,
        submitted_at=now,
        updated_at=now,
    )
    session.add(application)
    session.add(
        _step_row(application, 1, Action.SUBMIT, None, ApplicationState.SUBMITTED, actor, now, new.note)
    )
    audit.record(
        session,
        actor=actor,
        action="application.submit",
        target=application.id,
        region_code=application.region_code,
        now=now,
        detail=f"household {household.id}: {application.items}",
    )
    await session.flush()
    return application


def _step_row(
    application: ReliefApplication,
    sequence: int,
    action: Action,
    before: ApplicationState | None,
    after: ApplicationState,
    actor: str,
    now: datetime,
    note: str,
) -> ReliefApplicationStep:
    return ReliefApplicationStep(
        id=str(uuid.uuid4()),
        application_id=application.id,
        sequence=sequence,
        action=action.value,
        from_state=before.value if before else None,
        to_state=after.value,
        actor=actor,
        at=now,
        note=note,
    )


async def _decision(session: AsyncSession, application: ReliefApplication) -> Decision:
    appealed_by = None
    if application.appealed_at is not None:  # who recorded the appeal may not decide it
        appeal = select(ReliefApplicationStep.actor).where(
            ReliefApplicationStep.application_id == application.id,
            ReliefApplicationStep.action == Action.APPEAL.value,
        )
        appealed_by = (await session.exec(appeal)).first()
    return Decision(
        reviewed_by=application.reviewed_by,
        rejected_by=application.rejected_by,
        appealed_before=application.appealed_at is not None,
        has_commitment=bool(application.commitment_signed_by and application.commitment_signed_on),
        appealed_by=appealed_by,
    )


async def take_step(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    step: Step,
    deps: Deps,
    now: datetime,
) -> ReliefApplication:
    """Take one step of an application; FAILED_PRECONDITION (nothing written) when it may not be taken."""
    application = await visible_application(session, scopes=scopes, application_id=step.application_id)
    current = ApplicationState(application.state)
    decision = await _decision(session, application)
    refusal = rules.step_refusal(current, step.action, appealed_before=decision.appealed_before)
    refusal = refusal or rules.actor_refusal(step.action, actor, decision)
    if refusal is not None:
        raise FailedPrecondition(refusal)
    target = rules.next_state(current, step.action)
    assert target is not None
    changes = await _changes(session, application, step, actor=actor, scopes=scopes, deps=deps, now=now)
    fresh = None
    note = step.text
    if step.action in (Action.APPROVE, Action.UPHOLD_APPEAL):
        fresh = await _reassess(session, application, scopes=scopes, deps=deps, now=now)
        if fresh is not None:
            note = rules.decision_note(step.text, _at_review(application), Assessed.of(fresh))
    sequence = application.step_count + 1
    moved = await session.exec(
        sa.update(ReliefApplication)
        .where(
            col(ReliefApplication.id) == application.id,
            col(ReliefApplication.state) == current.value,
            col(ReliefApplication.step_count) == application.step_count,
        )
        .values(state=target.value, step_count=sequence, updated_at=now, **changes)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise FailedPrecondition(f"application {application.id} changed meanwhile; reload it and try again")
    await session.refresh(application)
    session.add(_step_row(application, sequence, step.action, current, target, actor, now, note))
    audit.record(
        session,
        actor=actor,
        action=f"application.{step.action.value}",
        target=application.id,
        region_code=application.region_code,
        now=now,
        detail=f"{current.value} -> {target.value}",
    )
    if target is ApplicationState.APPROVED and fresh is not None:
        await _grant(session, application, fresh, actor=actor, deps=deps, now=now)
    await session.flush()
    return application


async def _changes(
    session: AsyncSession,
    application: ReliefApplication,
    step: Step,
    *,
    actor: str,
    scopes: Sequence[str],
    deps: Deps,
    now: datetime,
) -> dict[str, object]:
    """The columns a step sets besides the state; review assesses (approval re-assesses: ``_reassess``)."""
    if step.action is Action.REVIEW:
        result, _ = await assessment.assess_household(
            session, scopes=scopes, household_id=application.household_id, month=Month.of(now), book=deps.book
        )
        return {
            "reviewed_by": actor,
            "reviewed_at": now,
            "assessment_month": result.month.key,
            "assessment_classification": result.classification.value,
            "assessment_amount_fen": result.amount_fen,
            "assessment_snapshot": json.dumps(result.snapshot, ensure_ascii=False, sort_keys=True),
        }
    if step.action is Action.APPEAL:
        return {"appealed_at": now, "appeal_reason": step.text}
    decided = {"decided_by": actor, "decided_at": now, "reason": step.text}
    if step.action in (Action.REJECT, Action.DISMISS_APPEAL):
        decided["rejected_by"] = actor
    return decided


def _catalogue(deps: Deps, application: ReliefApplication) -> dict[str, rules.ReliefItem]:
    """The items in force when the application was submitted (an item retired since still counts)."""
    return deps.policy.items_on(china_today(as_utc(application.submitted_at)))


def _at_review(application: ReliefApplication) -> Assessed:
    return Assessed(
        application.assessment_month or "",
        application.assessment_classification or "",
        application.assessment_amount_fen or 0,
    )


async def _reassess(
    session: AsyncSession,
    application: ReliefApplication,
    *,
    scopes: Sequence[str],
    deps: Deps,
    now: datetime,
) -> Assessment | None:
    """The fresh assessment an approval grants the programme asked on (None: no programme asked).

    FAILED_PRECONDITION, before anything is written, when the review did not find the programme or the
    household, assessed for the approval's month, no longer falls in it."""
    asked = rules.programme_of(items_of(application), _catalogue(deps, application))
    refusal = rules.grant_refusal(asked, application.assessment_classification)
    if refusal is not None:
        raise FailedPrecondition(refusal)
    if asked is None:
        return None
    fresh, _ = await assessment.assess_household(
        session, scopes=scopes, household_id=application.household_id, month=Month.of(now), book=deps.book
    )
    refusal = rules.approval_refusal(asked, _at_review(application), Assessed.of(fresh))
    if refusal is not None:
        raise FailedPrecondition(f"application {application.id}: {refusal}")
    return fresh


async def _grant(
    session: AsyncSession,
    application: ReliefApplication,
    fresh: Assessment,
    *,
    actor: str,
    deps: Deps,
    now: datetime,
) -> None:
    """Open the grant of the programme asked for on the fresh assessment; other items are recorded on
    the application only."""
    today = china_today(now)
    programme = rules.programme_of(items_of(application), _catalogue(deps, application))
    assert programme is not None  # _reassess returned an assessment: a programme was asked
    await grants.open_grant(
        session,
        actor=actor,
        application=application,
        programme=programme,
        rule=deps.policy.recheck_rule(programme, today),
        effective_from=today,
        key=deps.key,
        now=now,
        amount_fen=fresh.amount_fen,
        snapshot=json.dumps(fresh.snapshot, ensure_ascii=False, sort_keys=True),
    )
