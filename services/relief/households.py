"""Households: registering one with its members, finding one inside the caller's regions, listing them.

Every function takes the session and keyword-only arguments and never commits: the caller's unit of
work commits the change and its audit rows together, so a refused registration writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import in_regions
from services.kit.errors import NotFound
from services.kit.idcard import mask_id_number
from services.relief import audit, people
from services.relief.application_rules import OPEN_GRANT_STATUSES
from services.relief.discovery_rules import FlagStatus
from services.relief.eligibility_models import Relation
from services.relief.models import AssistanceGrant, Household, HouseholdFlag, Membership, Person
from services.relief.people import PersonIn


@dataclass(frozen=True)
class NewHousehold:
    """A validated registration: exactly one head among the members."""

    region_code: str
    address: str
    members: tuple[PersonIn, ...]
    since: date


@dataclass(frozen=True)
class MemberRow:
    """A person and one of their memberships."""

    person: Person
    membership: Membership


@dataclass
class HouseholdFile:
    """A household with its current members (head first) and, when loaded, its past members."""

    household: Household
    members: list[MemberRow]
    past: list[MemberRow] = field(default_factory=list)


async def register_household(
    session: AsyncSession, *, actor: str, new: NewHousehold, key: bytes, now: datetime
) -> HouseholdFile:
    """Open a household; AlreadyExists (nothing written) when a member belongs to a household already."""
    household = Household(
        id=str(uuid.uuid4()),
        region_code=new.region_code,
        address=new.address,
        registered_at=now,
        registered_by=actor,
        updated_at=now,
    )
    session.add(household)
    rows = []
    for i, given in enumerate(new.members):
        person, membership = await people.join(
            session,
            given=given,
            household=household,
            joined_on=new.since,
            key=key,
            actor=actor,
            now=now,
            field=f"members[{i}].id_number",
        )
        rows.append(MemberRow(person, membership))
    head = next(r.person for r in rows if r.membership.relation == Relation.HEAD.value)
    detail = f"head {mask_id_number(head.id_number)}, {len(rows)} member(s)"
    audit.record(session, actor=actor, action=audit.REGISTER, household=household, now=now, detail=detail)
    await session.flush()
    return HouseholdFile(household, _head_first(rows))


def _head_first(rows: list[MemberRow]) -> list[MemberRow]:
    return sorted(
        rows,
        key=lambda r: (r.membership.relation != Relation.HEAD.value, r.membership.joined_on, r.person.name),
    )


async def visible_household(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    household_id: str | None = None,
    id_number: str | None = None,
    for_update: bool = False,
) -> Household:
    """One household inside the scopes, by id or a current member's ID number; NotFound otherwise."""
    stmt = select(Household).where(in_regions(col(Household.region_code), scopes))
    if household_id:
        stmt = stmt.where(Household.id == household_id)
    else:
        stmt = (
            stmt.join(Membership, col(Membership.household_id) == col(Household.id))
            .join(Person, col(Person.id) == col(Membership.person_id))
            .where(Person.id_number == id_number, col(Membership.left_on).is_(None))
        )
    if for_update:
        stmt = stmt.with_for_update()
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"household {household_id or 'with this member'} not found")
    return found


async def members_of(
    session: AsyncSession, *, household_ids: Sequence[str], current: bool = True
) -> dict[str, list[MemberRow]]:
    """Each household's current (or past) members in one query: head first, or most recent leaver first."""
    if not household_ids:
        return {}
    left = col(Membership.left_on)
    stmt = (
        select(Person, Membership)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            col(Membership.household_id).in_(list(household_ids)),
            left.is_(None) if current else left.is_not(None),
        )
    )
    found: dict[str, list[MemberRow]] = {}
    for person, membership in (await session.exec(stmt)).all():
        found.setdefault(membership.household_id, []).append(MemberRow(person, membership))
    if current:
        return {hid: _head_first(rows) for hid, rows in found.items()}
    return {
        hid: sorted(rows, key=lambda r: (r.membership.left_on, r.membership.joined_on), reverse=True)
        for hid, rows in found.items()
    }


async def household_file(session: AsyncSession, *, household: Household, with_past: bool) -> HouseholdFile:
    """The household with its current members and (``with_past``) those who left."""
    current = await members_of(session, household_ids=[household.id])
    past = await members_of(session, household_ids=[household.id], current=False) if with_past else {}
    return HouseholdFile(household, current.get(household.id, []), past.get(household.id, []))


OPEN_GRANT_STATUS_VALUES = [s.value for s in OPEN_GRANT_STATUSES]
HOUSEHOLD_ORDER = (col(Household.region_code), col(Household.id))


async def list_households(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    after: tuple[str, str] | None,
    limit: int,
    programme: str | None = None,
    flagged: bool = False,
) -> tuple[list[HouseholdFile], int, bool]:
    """Households in the scopes by (region_code, id) after a keyset, with current members; total and more.

    With ``programme``: only households holding an open grant of it (EXISTS on the grant's household
    index, so a household is listed once however many grants it has had). With ``flagged``: only
    households with an open discovery flag (EXISTS on ``ix_household_flag_household``), likewise once.
    """
    inside = in_regions(col(Household.region_code), scopes)
    if flagged:
        open_flag = (
            select(HouseholdFlag.id)
            .where(
                col(HouseholdFlag.household_id) == col(Household.id),
                col(HouseholdFlag.status) == FlagStatus.OPEN.value,
            )
            .exists()
        )
        inside = sa.and_(inside, open_flag)
    if programme is not None:
        holding = (
            select(AssistanceGrant.id)
            .where(
                col(AssistanceGrant.household_id) == col(Household.id),
                col(AssistanceGrant.programme) == programme,
                col(AssistanceGrant.status).in_(OPEN_GRANT_STATUS_VALUES),
            )
            .exists()
        )
        inside = sa.and_(inside, holding)
    total = (await session.exec(select(sa.func.count()).select_from(Household).where(inside))).one()
    stmt = select(Household).where(inside)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*HOUSEHOLD_ORDER) > sa.tuple_(*after))
    rows = list((await session.exec(stmt.order_by(*HOUSEHOLD_ORDER).limit(limit + 1))).all())
    page = rows[:limit]
    members = await members_of(session, household_ids=[h.id for h in page])
    return [HouseholdFile(h, members.get(h.id, [])) for h in page], int(total), len(rows) > limit
