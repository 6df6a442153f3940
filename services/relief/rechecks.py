"""Recording a periodic re-check (定期核查) of an open grant: it continues, or it ends from that day.

CONTINUE moves the grant's ``recheck_due_on`` on by the programme's interval from the day of the
re-check (``application_rules.recheck_due_on`` under the rule in force that day), which takes it off
the worklist until its next turn; a guarded UPDATE (``WHERE status AND recheck_due_on = <as read>``)
refuses the second of two officers recording the same re-check at once. SUSPEND and TERMINATE are the
existing ``grants.end_grant`` from the day of the re-check, so they stage the same events. Every
outcome writes an audit row ``grant.recheck``; the grant table has no column for the day last
re-checked, so the audit log is where that day is kept. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.errors import Collector, FailedPrecondition
from services.relief import application_rules as rules
from services.relief import grants
from services.relief.application_policy import ApplicationPolicy
from services.relief.application_rules import GrantStatus, Programme
from services.relief.models import AssistanceGrant


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
    today: date,
    key: bytes,
    now: datetime,
) -> AssistanceGrant:
    """Record the re-check; FAILED_PRECONDITION (nothing written) when the grant's status forbids it."""
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
    if recheck.outcome is RecheckOutcome.CONTINUE:
        due = rules.recheck_due_on(day, policy.recheck_rule(Programme(grant.programme), day))
        moved = await session.exec(
            sa.update(AssistanceGrant)
            .where(
                col(AssistanceGrant.id) == grant.id,
                col(AssistanceGrant.status) == status.value,
                col(AssistanceGrant.recheck_due_on) == before,
            )
            .values(recheck_due_on=due, updated_by=actor, updated_at=now)
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
        detail=f"re-checked on {day.isoformat()}: {recheck.outcome.value} (was due {before.isoformat()})",
    )
    await session.flush()
    return grant
