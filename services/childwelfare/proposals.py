"""The proposal worklist: raising proposals from events, listing them, accepting and rejecting them.

A proposal is data, never a silent change (DESIGN §6: approvals are explicit records). Accepting a
category change applies it through ``children.change_category`` — the same code path, history and
audit as the ChangeCategory RPC — in the same unit of work that closes the proposal. Functions take
the session and keyword-only arguments and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit, children
from services.childwelfare.models import Child, Proposal
from services.childwelfare.rules import ProtectionCategory
from services.kit.columns import in_regions
from services.kit.db import insert_ignoring_conflicts
from services.kit.errors import FailedPrecondition, NotFound

Kind = Literal["category_change", "reassessment"]
Priority = Literal["normal", "high"]
Status = Literal["open", "accepted", "rejected"]
OPEN: Status = "open"
ACCEPTED: Status = "accepted"
REJECTED: Status = "rejected"


async def raise_proposal(
    session: AsyncSession,
    *,
    actor: str,
    child: Child,
    kind: Kind,
    topic: str,
    priority: Priority,
    proposed_category: ProtectionCategory | None,
    reason: str,
    source_subject: str,
    source_event_id: str,
    now: datetime,
) -> int:
    """Add an open proposal for the child; 0 (nothing added) when one on the same topic is still open."""
    values = {
        "id": str(uuid.uuid4()),
        "child_id": child.id,
        "region_code": child.region_code,
        "kind": kind,
        "topic": topic,
        "priority": priority,
        "current_category": child.category,
        "proposed_category": proposed_category.value if proposed_category is not None else None,
        "reason": reason[:500],
        "source_subject": source_subject,
        "source_event_id": source_event_id,
        "proposed_at": now,
        "status": OPEN,
        "note": "",
    }
    # uq_proposal_open_topic: a concurrent handler on another replica may have added the same one.
    stmt = insert_ignoring_conflicts(session, Proposal).values(**values).returning(col(Proposal.id))
    added = (await session.exec(stmt)).first()  # type: ignore[call-overload]
    if added is None:
        return 0
    audit.record(
        session,
        actor=actor,
        action="proposal.raise",
        target=values["id"],
        region_code=child.region_code,
        now=now,
        detail=f"{child.id} {topic} from {source_subject} {source_event_id}"[:500],
    )
    return 1


async def list_proposals(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: Status | None,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[tuple[Proposal, str]], int, bool]:
    """A page of (proposal, child name) in (region_code, id) order after ``after``, the total, more?"""
    conditions = [in_regions(col(Proposal.region_code), scopes)]
    if status is not None:
        conditions.append(col(Proposal.status) == status)
    total = (await session.exec(select(sa.func.count()).select_from(Proposal).where(*conditions))).one()
    stmt = (
        select(Proposal, Child.name).join(Child, col(Child.id) == col(Proposal.child_id)).where(*conditions)
    )
    if after is not None:
        region, last_id = after
        stmt = stmt.where(
            sa.or_(
                col(Proposal.region_code) > region,
                sa.and_(col(Proposal.region_code) == region, col(Proposal.id) > last_id),
            )
        )
    stmt = stmt.order_by(col(Proposal.region_code), col(Proposal.id)).limit(limit + 1)
    rows = [(p, name) for p, name in (await session.exec(stmt)).all()]
    return rows[:limit], int(total), len(rows) > limit


async def _open_proposal(session: AsyncSession, *, proposal_id: str, scopes: Sequence[str]) -> Proposal:
    stmt = (
        select(Proposal)
        .where(col(Proposal.id) == proposal_id, in_regions(col(Proposal.region_code), scopes))
        .with_for_update()
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"proposal {proposal_id} not found")
    if found.status != OPEN:
        raise FailedPrecondition(f"proposal {proposal_id} is already {found.status}")
    return found


def _close(proposal: Proposal, *, status: Status, actor: str, note: str, now: datetime) -> None:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.note = note


async def accept(
    session: AsyncSession,
    *,
    actor: str,
    proposal_id: str,
    scopes: Sequence[str],
    category: ProtectionCategory | None,
    effective_from: date,
    note: str,
    today: date,
    now: datetime,
) -> tuple[Proposal, str]:
    """Close the proposal as accepted, changing the child's category to ``category`` or the proposed one.

    A re-assessment proposes no category: accepted without one, it records that the child was
    re-assessed and stays in the category it has.
    """
    proposal = await _open_proposal(session, proposal_id=proposal_id, scopes=scopes)
    child = await children.visible_child(session, scopes=scopes, child_id=proposal.child_id)
    if category is None and proposal.proposed_category and child.category != proposal.current_category:
        # Proposed against a category the child no longer has (someone changed it since): applying it
        # blindly could move an orphan to 低保-family; the officer must choose or reject.
        raise FailedPrecondition(
            f"category: the child's category changed from {proposal.current_category} to {child.category} "
            "since the proposal; name the category to apply, or reject the proposal"
        )
    target = category or (
        ProtectionCategory(proposal.proposed_category) if proposal.proposed_category else None
    )
    if target is not None and target.value != child.category:
        child = await children.change_category(
            session,
            actor=actor,
            child_id=child.id,
            scopes=scopes,
            category=target,
            effective_from=effective_from,
            reason=f"proposal {proposal.id}: {proposal.topic}"[:200],
            today=today,
            now=now,
        )
    _close(proposal, status=ACCEPTED, actor=actor, note=note, now=now)
    session.add(proposal)
    applied = target.value if target is not None else "no change"
    audit.record(
        session,
        actor=actor,
        action="proposal.accept",
        target=proposal.id,
        region_code=proposal.region_code,
        now=now,
        detail=f"{child.id} {applied} {note}".strip()[:500],
    )
    await session.flush()
    return proposal, child.name


async def reject(
    session: AsyncSession, *, actor: str, proposal_id: str, scopes: Sequence[str], note: str, now: datetime
) -> tuple[Proposal, str]:
    """Close the proposal as rejected with the officer's note; the child is left as it is."""
    proposal = await _open_proposal(session, proposal_id=proposal_id, scopes=scopes)
    child = await children.visible_child(session, scopes=scopes, child_id=proposal.child_id)
    _close(proposal, status=REJECTED, actor=actor, note=note, now=now)
    session.add(proposal)
    audit.record(
        session,
        actor=actor,
        action="proposal.reject",
        target=proposal.id,
        region_code=proposal.region_code,
        now=now,
        detail=note[:500],
    )
    await session.flush()
    return proposal, child.name
