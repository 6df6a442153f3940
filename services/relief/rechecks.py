"""Recording a periodic re-check (定期核查) of an open grant: it continues, or it ends from that day.

A re-check is a re-assessment. CONTINUE assesses the household for the month of the re-check with the
pure engine (``assessment.assess_household``, the standards book as review and approval use it): when
the household is no longer classified in the grant's programme it is refused (FAILED_PRECONDITION
naming the new classification, nothing written), so the officer suspends or terminates instead; a
low-income household whose income rose cannot keep its grant by a click. Otherwise the grant rests on
the new assessment from now on (``monthly_amount_fen``, ``assessment_snapshot``; the old amount and
month are kept in the audit row) and its ``recheck_due_on`` moves on by the programme's interval from
the day of the re-check (``application_rules.recheck_due_on`` under the rule in force that day), which
takes it off the worklist until its next turn; a guarded UPDATE (``WHERE status AND recheck_due_on =
<as read>``) refuses the second of two officers recording the same re-check at once. SUSPEND and
TERMINATE are the existing ``grants.end_grant`` from the day of the re-check, so they stage the same
events. Every outcome writes an audit row ``grant.recheck``; the grant table has no column for the day
last re-checked, so the audit log is where that day is kept. Nothing here commits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.errors import Collector, FailedPrecondition
from services.kit.periods import Month
from services.relief import application_rules as rules
from services.relief import assessment, grants
from services.relief.application_policy import ApplicationPolicy
from services.relief.application_rules import Assessed, GrantStatus, Programme
from services.relief.models import AssistanceGrant
from services.relief.standards import StandardsBook


class RecheckOutcome(StrEnum):
    """What a re-check found."""

    CONTINUE = "continue"
    SUSPEND = "suspend"
    TERMINATE = "terminate"


ENDINGS = {RecheckOutcome.SUSPEND: GrantStatus.SUSPENDED, RecheckOutcome.TERMINATE: GrantStatus.TERMINATED}


@dataclass(frozen=True)
class Recheck:
    """A validated re-check: the grant, the outcome, the day (None: today) and the note or reason."""

    grant_id: str
    outcome: RecheckOutcome
    checked_on: date | None
    note: str


def recheck_refusal(status: GrantStatus, outcome: RecheckOutcome) -> str | None:
    """Why a grant in ``status`` cannot take a re-check with ``outcome`` (None: it can)."""
    if status is GrantStatus.TERMINATED:
        return "the grant is terminated; there is nothing to re-check"
    if outcome is RecheckOutcome.CONTINUE and status is not GrantStatus.ACTIVE:
        return f"a {status.value} grant cannot continue on a re-check; terminate it or leave it suspended"
    return None


async def record_recheck(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    recheck: Recheck,
    policy: ApplicationPolicy,
    book: StandardsBook,
    today: date,
    key: bytes,
    now: datetime,
) -> AssistanceGrant:
    """Record the re-check; FAILED_PRECONDITION (nothing written) when the grant's status forbids it or,
    for CONTINUE, when the household assessed for the re-check's month no longer falls in the programme."""
    grant = await grants.visible_grant(session, scopes=scopes, grant_id=recheck.grant_id)
    status = GrantStatus(grant.status)
    refusal = recheck_refusal(status, recheck.outcome)
    if refusal is not None:
        raise FailedPrecondition(f"grant {grant.id}: {refusal}")
    day = recheck.checked_on or today
    errors = Collector()
    if day < grant.effective_from:
        errors.add("checked_on", f"must not be before the grant started ({grant.effective_from.isoformat()})")
    errors.raise_if_any()
    before = grant.recheck_due_on
    detail = f"re-checked on {day.isoformat()}: {recheck.outcome.value} (was due {before.isoformat()})"
    if recheck.outcome is RecheckOutcome.CONTINUE:
        programme = Programme(grant.programme)
        fresh, _ = await assessment.assess_household(
            session, scopes=scopes, household_id=grant.household_id, month=Month.containing(day), book=book
        )
        now_assessed = Assessed.of(fresh)
        refusal = rules.continue_refusal(programme, now_assessed)
        if refusal is not None:
            raise FailedPrecondition(f"grant {grant.id}: {refusal}")
        was = Assessed(
            rules.snapshot_month(grant.assessment_snapshot), programme.value, grant.monthly_amount_fen
        )
        detail += f"; assessed {now_assessed.text()} (was {was.text()})"
        due = rules.recheck_due_on(day, policy.recheck_rule(programme, day))
        moved = await session.exec(
            sa.update(AssistanceGrant)
            .where(
                col(AssistanceGrant.id) == grant.id,
                col(AssistanceGrant.status) == status.value,
                col(AssistanceGrant.recheck_due_on) == before,
            )
            .values(
                recheck_due_on=due,
                monthly_amount_fen=fresh.amount_fen,
                assessment_snapshot=json.dumps(fresh.snapshot, ensure_ascii=False, sort_keys=True),
                updated_by=actor,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise FailedPrecondition(f"grant {grant.id} changed meanwhile; reload it and try again")
        await session.refresh(grant)
    else:
        ending = grants.Ending(grant.id, ENDINGS[recheck.outcome], day, recheck.note)
        grant = await grants.end_grant(
            session, actor=actor, scopes=scopes, ending=ending, today=today, key=key, now=now
        )
    audit.record(
        session,
        actor=actor,
        action="grant.recheck",
        target=grant.id,
        region_code=grant.region_code,
        now=now,
        detail=detail,
    )
    await session.flush()
    return grant
