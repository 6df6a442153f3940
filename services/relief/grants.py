"""Assistance grants: opening one on approval, suspending and terminating it, the re-check worklist.

Each change stages its event (``assistance-granted`` / ``-suspended`` / ``-terminated``) in the caller's
unit of work, with a deterministic id (UUID5 of the grant and the change): the outbox row and the
grant commit together, and a repeat of the same change could not publish twice. Members are named by
the digest of their ID number under the current key (kit.iddigest), computed here from the person's
row, so a person whose stored digest the sync job has not yet renewed after a key rotation is still
named as consumers expect. Status changes are guarded UPDATEs (``WHERE status = <as read>``): of two
officers acting at once, one is refused. Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import Collector, FailedPrecondition, NotFound
from services.kit.iddigest import id_number_digest
from services.kit.outbox import stage_event
from services.kit.periods import china_today
from services.relief import application_rules as rules
from services.relief.application_rules import GrantStatus, Programme, RecheckRule
from services.relief.events import (
    ASSISTANCE_GRANTED,
    ASSISTANCE_SUSPENDED,
    ASSISTANCE_TERMINATED,
    AssistanceGranted,
    AssistanceMember,
    AssistanceSuspended,
    AssistanceTerminated,
)
from services.relief.households import members_of
from services.relief.models import AssistanceGrant, ReliefApplication

_NAMESPACE = uuid.UUID("5b0f2c3e-8a41-4d7e-9c62-1f3a7e9d4b10")
OPEN = [s.value for s in rules.OPEN_GRANT_STATUSES]


def event_id(grant_id: str, change: str) -> str:
    """The one event id a grant's change (granted, suspended, terminated) can have."""
    return str(uuid.uuid5(_NAMESPACE, f"{grant_id}|{change}"))


@dataclass(frozen=True)
class Ending:
    """A validated suspension or termination: the first day without the assistance, and why."""

    grant_id: str
    status: GrantStatus
    effective_from: date | None  # None: today
    reason: str


async def _members(session: AsyncSession, household_id: str, *, key: bytes) -> list[AssistanceMember]:
    rows = (await members_of(session, household_ids=[household_id])).get(household_id, [])
    return [
        AssistanceMember(
            person_ref=r.person.id,
            id_digest=id_number_digest(r.person.id_number, key),
            relation=r.membership.relation,
        )
        for r in rows
    ]


async def open_grant(
    session: AsyncSession,
    *,
    actor: str,
    application: ReliefApplication,
    programme: Programme,
    rule: RecheckRule,
    effective_from: date,
    key: bytes,
    now: datetime,
    amount_fen: int | None = None,
    snapshot: str | None = None,
) -> AssistanceGrant:
    """Grant the household the programme from ``effective_from``; FAILED_PRECONDITION if it holds it.

    The grant rests on ``amount_fen`` and ``snapshot`` (the approval's fresh assessment) when given,
    else on the application's assessment at review."""
    held = select(AssistanceGrant.id).where(
        AssistanceGrant.household_id == application.household_id,
        AssistanceGrant.programme == programme.value,
        # Open, or terminated from a day still to come: the two would overlap.
        sa.or_(col(AssistanceGrant.status).in_(OPEN), col(AssistanceGrant.ended_on) > effective_from),
    )
    if (await session.exec(held)).first() is not None:
        raise FailedPrecondition(f"household {application.household_id} already holds {programme.value}")
    grant = AssistanceGrant(
        id=str(uuid.uuid4()),
        household_id=application.household_id,
        region_code=application.region_code,
        programme=programme.value,
        status=GrantStatus.ACTIVE.value,
        effective_from=effective_from,
        monthly_amount_fen=amount_fen if amount_fen is not None else application.assessment_amount_fen or 0,
        assessment_snapshot=snapshot if snapshot is not None else application.assessment_snapshot or "{}",
        application_id=application.id,
        recheck_due_on=rules.recheck_due_on(effective_from, rule),
        granted_by=actor,
        granted_at=now,
        updated_by=actor,
        updated_at=now,
    )
    session.add(grant)
    try:
        await session.flush()  # uq_assistance_grant_open settles a race between two approvals
    except IntegrityError as exc:
        raise FailedPrecondition(
            f"household {application.household_id} was granted {programme.value} meanwhile"
        ) from exc
    audit.record(
        session,
        actor=actor,
        action="grant.open",
        target=grant.id,
        region_code=grant.region_code,
        now=now,
        detail=f"{programme.value} from {effective_from.isoformat()}, application {application.id}",
    )
    payload = AssistanceGranted(
        **_common(grant, await _members(session, grant.household_id, key=key), now),
        effective_from=effective_from,
        monthly_amount_fen=grant.monthly_amount_fen,
        application_id=application.id,
        granted_by=actor,
    )
    stage_event(
        session,
        ASSISTANCE_GRANTED,
        payload,
        subject=grant.id,
        region=grant.region_code,
        now=now,
        event_id=event_id(grant.id, "granted"),
    )
    return grant


def _common(grant: AssistanceGrant, members: list[AssistanceMember], now: datetime) -> dict[str, object]:
    return {
        "grant_id": grant.id,
        "household_id": grant.household_id,
        "region_code": grant.region_code,
        "town_code": grant.region_code[:9],
        "programme": grant.programme,
        "members": members,
        "at": now,
    }


async def visible_grant(session: AsyncSession, *, scopes: Sequence[str], grant_id: str) -> AssistanceGrant:
    """One grant inside the scopes; NotFound otherwise."""
    stmt = select(AssistanceGrant).where(
        AssistanceGrant.id == grant_id, in_regions(col(AssistanceGrant.region_code), scopes)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"grant {grant_id} not found")
    return found


async def end_grant(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    ending: Ending,
    today: date,
    key: bytes,
    now: datetime,
) -> AssistanceGrant:
    """Suspend or terminate a grant from a day; FAILED_PRECONDITION when its status does not allow it."""
    grant = await visible_grant(session, scopes=scopes, grant_id=ending.grant_id)
    current = GrantStatus(grant.status)
    refusal = rules.grant_step_refusal(current, ending.status)
    if refusal is not None:
        raise FailedPrecondition(f"grant {grant.id}: {refusal}")
    day = ending.effective_from or today
    errors = Collector()
    rules.check_end_day(errors, "effective_from", day, effective_from=grant.effective_from, today=today)
    errors.raise_if_any()
    changes: dict[str, object] = {"status": ending.status.value, "status_reason": ending.reason}
    if ending.status is GrantStatus.SUSPENDED:
        changes["suspended_from"] = day
    else:
        changes["ended_on"] = day
    moved = await session.exec(
        sa.update(AssistanceGrant)
        .where(col(AssistanceGrant.id) == grant.id, col(AssistanceGrant.status) == current.value)
        .values(**changes, updated_by=actor, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise FailedPrecondition(f"grant {grant.id} changed meanwhile; reload it and try again")
    await session.refresh(grant)
    name = "suspended" if ending.status is GrantStatus.SUSPENDED else "terminated"
    audit.record(
        session,
        actor=actor,
        action=f"grant.{'suspend' if name == 'suspended' else 'terminate'}",
        target=grant.id,
        region_code=grant.region_code,
        now=now,
        detail=f"{current.value} -> {ending.status.value} from {day.isoformat()}",
    )
    fields = {
        **_common(grant, await _members(session, grant.household_id, key=key), now),
        "effective_from": day,
        "reason": ending.reason,
        "decided_by": actor,
    }
    if ending.status is GrantStatus.SUSPENDED:
        event, payload = ASSISTANCE_SUSPENDED, AssistanceSuspended(**fields)  # type: ignore[arg-type]
    else:
        event, payload = ASSISTANCE_TERMINATED, AssistanceTerminated(**fields)  # type: ignore[arg-type]
    stage_event(
        session,
        event,
        payload,
        subject=grant.id,
        region=grant.region_code,
        now=now,
        event_id=event_id(grant.id, name),
    )
    return grant


async def end_open_grants(
    session: AsyncSession,
    *,
    household_id: str,
    actor: str,
    scopes: Sequence[str],
    day: date,
    reason: str,
    key: bytes,
    now: datetime,
) -> list[AssistanceGrant]:
    """Terminate the household's open grants from ``day`` (its start day if later): nobody is left to
    hold them. Call it while the leaving member still belongs, so the events name them."""
    stmt = select(AssistanceGrant).where(
        AssistanceGrant.household_id == household_id, col(AssistanceGrant.status).in_(OPEN)
    )
    ended = []
    for grant in list((await session.exec(stmt)).all()):
        ending = Ending(grant.id, GrantStatus.TERMINATED, max(day, grant.effective_from), reason)
        ended.append(
            await end_grant(
                session,
                actor=actor,
                scopes=scopes,
                ending=ending,
                today=china_today(now),
                key=key,
                now=now,
            )
        )
    return ended


async def grants_of(
    session: AsyncSession, *, application_ids: Sequence[str]
) -> dict[str, list[AssistanceGrant]]:
    """The grants each application created."""
    if not application_ids:
        return {}
    stmt = select(AssistanceGrant).where(col(AssistanceGrant.application_id).in_(list(application_ids)))
    found: dict[str, list[AssistanceGrant]] = {}
    for grant in (await session.exec(stmt.order_by(col(AssistanceGrant.granted_at)))).all():
        found.setdefault(grant.application_id or "", []).append(grant)
    return found


WORKLIST_ORDER = (col(AssistanceGrant.recheck_due_on), col(AssistanceGrant.id))


async def recheck_worklist(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    today: date,
    rules_by_programme: dict[Programme, RecheckRule],
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[AssistanceGrant], int, bool]:
    """Open grants in the scopes whose re-check shows today (``is_recheck_due``), soonest first.

    One range condition per programme (each has its own lead time) on the indexed due day.
    """
    due = sa.or_(
        *(
            sa.and_(
                col(AssistanceGrant.programme) == programme.value,
                col(AssistanceGrant.recheck_due_on) <= rules.worklist_horizon(today, rule),
            )
            for programme, rule in rules_by_programme.items()
        )
    )
    where = sa.and_(
        col(AssistanceGrant.status).in_(OPEN), in_regions(col(AssistanceGrant.region_code), scopes), due
    )
    total = (await session.exec(select(sa.func.count()).select_from(AssistanceGrant).where(where))).one()
    stmt = select(AssistanceGrant).where(where)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*WORKLIST_ORDER) > sa.tuple_(date.fromisoformat(after[0]), after[1]))
    rows = list((await session.exec(stmt.order_by(*WORKLIST_ORDER).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit
