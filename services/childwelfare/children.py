"""Children's files: registering a child, moving them between categories, replacing their guardians.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the change, its history, its audit row and its event together.
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

from services.childwelfare import audit, digests, inbound, rules
from services.childwelfare.events import CHILD_REGISTERED, ChildRegistered
from services.childwelfare.models import CategoryPeriod, Child, Guardian, ProtectionCase
from services.childwelfare.rules import GuardianRelation, ProtectionCategory, VisitPolicy
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, InvalidArgument, NotFound
from services.kit.idcard import IdNumber
from services.kit.outbox import stage_event

ALREADY_REGISTERED = "a child with this ID number is already registered"


@dataclass(frozen=True)
class GuardianIn:
    """A guardian as given by the caller (already validated)."""

    name: str
    relation: GuardianRelation
    contact: str
    is_primary: bool


def _guardian_rows(child_id: str, guardians: Sequence[GuardianIn]) -> list[Guardian]:
    return [
        Guardian(
            id=str(uuid.uuid4()),
            child_id=child_id,
            position=i,
            name=g.name,
            relation=g.relation.value,
            contact=g.contact,
            is_primary=g.is_primary,
        )
        for i, g in enumerate(guardians)
    ]


async def register_child(
    session: AsyncSession,
    *,
    actor: str,
    id_number: IdNumber,
    name: str,
    region_code: str,
    category: ProtectionCategory,
    category_since: date,
    guardians: Sequence[GuardianIn],
    policy: VisitPolicy,
    today: date,
    now: datetime,
    digest_key: bytes,
) -> Child:
    """Open a child's file; AlreadyExists when the ID number already has one (anywhere).

    The ID number's digest under ``digest_key`` is kept with it, so events that name the child by
    digest (relief, funeral) find the file at once.
    """
    clash = await session.exec(select(Child.id).where(Child.id_number == id_number.value))
    if clash.first() is not None:
        raise AlreadyExists(ALREADY_REGISTERED)
    child = Child(
        id=str(uuid.uuid4()),
        id_number=id_number.value,
        name=name,
        sex=id_number.sex,
        birth_date=id_number.birth_date,
        region_code=region_code,
        category=category.value,
        category_since=category_since,
        visit_anchor_on=category_since,
        registered_at=now,
        registered_by=actor,
    )
    session.add(child)
    try:
        await session.flush()  # the child row first: the history and guardians refer to it
    except IntegrityError as exc:  # uq_child_id_number: a concurrent registration won the race
        raise AlreadyExists(ALREADY_REGISTERED) from exc
    session.add(
        CategoryPeriod(
            id=str(uuid.uuid4()),
            child_id=child.id,
            category=category.value,
            effective_from=category_since,
            reason="registered",
            recorded_at=now,
            recorded_by=actor,
        )
    )
    session.add_all(_guardian_rows(child.id, guardians))
    session.add(digests.digest_row(child.id, id_number.value, key=digest_key))
    # Reports made before the child had a file (a street child, say) now point at it.
    linked = await session.exec(  # type: ignore[call-overload]
        sa.update(ProtectionCase)
        .where(col(ProtectionCase.id_number) == id_number.value, col(ProtectionCase.child_id).is_(None))
        .values(child_id=child.id)
        .returning(col(ProtectionCase.id), col(ProtectionCase.region_code))
    )
    for case_id, case_region in linked.all():
        audit.record(
            session,
            actor=actor,
            action="case.link-child",
            target=case_id,
            region_code=case_region,
            now=now,
            detail=child.id,
        )
    audit.record(
        session,
        actor=actor,
        action="child.register",
        target=child.id,
        region_code=region_code,
        now=now,
        detail=id_number.masked,
    )
    status = rules.child_status(
        birth_date=child.birth_date,
        category=category,
        visit_anchor_on=category_since,
        policy=policy,
        today=today,
    )
    payload = ChildRegistered(
        child_id=child.id,
        child_id_masked=id_number.masked,
        region_code=region_code,
        category=category,
        at=now,
        age=status.age,
        sex=id_number.sex,
        in_visit_programme=status.in_programme,
        id_digest=inbound.id_number_digest(id_number.value, digest_key),
    )
    stage_event(session, CHILD_REGISTERED, payload, subject=child.id, region=region_code, now=now)
    await session.flush()
    return child


async def visible_child(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    child_id: str | None = None,
    id_number: str | None = None,
    for_update: bool = False,
) -> Child:
    """One child inside the scopes, by id or ID number; NotFound otherwise (others' rows do not exist)."""
    stmt = select(Child).where(in_regions(col(Child.region_code), scopes))
    stmt = stmt.where(Child.id == child_id) if child_id else stmt.where(Child.id_number == id_number)
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"child {child_id or 'with this ID number'} not found")
    return found


async def change_category(
    session: AsyncSession,
    *,
    actor: str,
    child_id: str,
    scopes: Sequence[str],
    category: ProtectionCategory,
    effective_from: date,
    reason: str,
    today: date,
    now: datetime,
) -> Child:
    """Close the current category period and open a new one; the visit clock restarts from its start."""
    child = await visible_child(session, scopes=scopes, child_id=child_id, for_update=True)
    since = child.category_since
    if effective_from < since:
        raise InvalidArgument.field(
            "effective_from", f"must not be before the current category began ({since.isoformat()})"
        )
    current = select(CategoryPeriod).where(
        CategoryPeriod.child_id == child.id, col(CategoryPeriod.effective_to).is_(None)
    )
    for period in (await session.exec(current)).all():
        period.effective_to = effective_from
        session.add(period)
    session.add(
        CategoryPeriod(
            id=str(uuid.uuid4()),
            child_id=child.id,
            category=category.value,
            effective_from=effective_from,
            reason=reason,
            recorded_at=now,
            recorded_by=actor,
        )
    )
    child.category = category.value
    child.category_since = effective_from
    child.visit_anchor_on = rules.visit_anchor(child.last_visit_on, effective_from)
    session.add(child)
    detail = f"{ProtectionCategory(category).value} from {effective_from.isoformat()} {reason}".strip()
    audit.record(
        session,
        actor=actor,
        action="child.category",
        target=child.id,
        region_code=child.region_code,
        now=now,
        detail=detail[:500],
    )
    await session.flush()
    return child


async def set_guardians(
    session: AsyncSession,
    *,
    actor: str,
    child_id: str,
    scopes: Sequence[str],
    guardians: Sequence[GuardianIn],
    now: datetime,
) -> Child:
    """Replace the child's guardians with the given list."""
    child = await visible_child(session, scopes=scopes, child_id=child_id, for_update=True)
    await session.exec(
        sa.delete(Guardian)
        .where(col(Guardian.child_id) == child.id)
        .execution_options(synchronize_session=False)
    )
    session.add_all(_guardian_rows(child.id, guardians))
    audit.record(
        session,
        actor=actor,
        action="child.guardians",
        target=child.id,
        region_code=child.region_code,
        now=now,
        detail=f"{len(guardians)} guardians",
    )
    await session.flush()
    return child
