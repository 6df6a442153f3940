"""Changing who belongs to a household: adding, moving and removing members, history kept.

A membership is never deleted or reopened: leaving closes it (``left_on``, reason, note) and moving
closes it and opens another in the new household on the same day. A household keeps exactly one head:
a second head is refused, and when the head leaves while others stay, the caller names the new head
(``new_head_person_id``). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.errors import FailedPrecondition, InvalidArgument, NotFound
from services.kit.idcard import mask_id_number, parse_id_number
from services.relief import audit, grants, people
from services.relief.eligibility_models import LabourCapacity, Relation
from services.relief.household_rules import LeaveReason
from services.relief.households import HouseholdFile, MemberRow, household_file, visible_household
from services.relief.models import Household, Person
from services.relief.people import PersonIn

NEW_HEAD = "new_head_person_id"


@dataclass(frozen=True)
class Leaving:
    """A validated departure: who, from which household, when, why, and who heads it afterwards."""

    household_id: str
    person_id: str
    reason: LeaveReason
    on: date
    note: str
    new_head_person_id: str | None


@dataclass(frozen=True)
class Moving:
    """A validated move of a person to another household."""

    person_id: str
    to_household_id: str
    relation: Relation
    on: date
    new_head_person_id: str | None


def member(current: Sequence[MemberRow], person_id: str, *, field: str, household_id: str) -> MemberRow:
    """The current member ``person_id``; InvalidArgument naming ``field`` when they are not one."""
    found = next((r for r in current if r.person.id == person_id), None)
    if found is None:
        raise InvalidArgument.field(field, f"is not a current member of household {household_id}")
    return found


def _refuse_second_head(current: Sequence[MemberRow], relation: Relation, field: str) -> None:
    if relation is Relation.HEAD and any(r.membership.relation == Relation.HEAD.value for r in current):
        raise FailedPrecondition(f"{field}: the household has a head (户主) already")


def _hand_over_head(current: Sequence[MemberRow], leaving: MemberRow, new_head: str | None) -> None:
    """When the head leaves and others stay, ``new_head`` (one of them) becomes the head."""
    staying = [r for r in current if r.person.id != leaving.person.id]
    if leaving.membership.relation != Relation.HEAD.value or not staying:
        if new_head:
            raise InvalidArgument.field(NEW_HEAD, "only when the head leaves a household others stay in")
        return
    if not new_head:
        raise InvalidArgument.field(NEW_HEAD, "is required: the head leaves and other members stay")
    heir = member(staying, new_head, field=NEW_HEAD, household_id=leaving.membership.household_id)
    heir.membership.relation = Relation.HEAD.value


def _close(row: MemberRow, *, on: date, reason: LeaveReason, note: str, field: str, now: datetime) -> None:
    if on < row.membership.joined_on:
        raise InvalidArgument.field(field, f"is before the member joined ({row.membership.joined_on})")
    row.membership.left_on, row.membership.left_reason, row.membership.left_note = on, reason.value, note
    row.membership.left_recorded_at = now


async def add_member(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    household_id: str,
    given: PersonIn,
    joined_on: date,
    key: bytes,
    now: datetime,
) -> HouseholdFile:
    """The person joins the household; AlreadyExists when they belong to a household already."""
    household = await visible_household(session, scopes=scopes, household_id=household_id, for_update=True)
    before = await household_file(session, household=household, with_past=False)
    _refuse_second_head(before.members, given.relation, "person.relation")
    await people.join(
        session,
        given=given,
        household=household,
        joined_on=joined_on,
        key=key,
        actor=actor,
        now=now,
        field="person.id_number",
    )
    detail = f"{given.id_number.masked} as {given.relation.value} from {joined_on}"
    return await _touched(session, household, actor=actor, action=audit.ADD_MEMBER, now=now, detail=detail)


async def move_member(
    session: AsyncSession, *, actor: str, scopes: Sequence[str], move: Moving, key: bytes, now: datetime
) -> HouseholdFile:
    """Close the person's membership and open one in the other household on the same day."""
    current = await people.open_membership(session, person_id=move.person_id)
    if current is None:
        raise NotFound(f"person {move.person_id} is not a member of a household in your regions")
    # Both households locked, in id order (two moves in opposite directions must not deadlock): an
    # officer removing the source's head meanwhile must see this move, or wait for it.
    locked = {}
    for household_id in sorted({current.household_id, move.to_household_id}):
        try:
            locked[household_id] = await visible_household(
                session, scopes=scopes, household_id=household_id, for_update=True
            )
        except NotFound:
            if household_id == current.household_id:
                raise NotFound(
                    f"person {move.person_id} is not a member of a household in your regions"
                ) from None
            raise
    source, target = locked[current.household_id], locked[move.to_household_id]
    if target.id == source.id:
        raise InvalidArgument.field("to_household_id", "is the household the person belongs to already")
    src = await household_file(session, household=source, with_past=False)
    dst = await household_file(session, household=target, with_past=False)
    _refuse_second_head(dst.members, move.relation, "relation")
    leaving = member(src.members, move.person_id, field="person_id", household_id=source.id)
    _hand_over_head(src.members, leaving, move.new_head_person_id)
    if len(src.members) == 1:
        await grants.end_open_grants(
            session,
            household_id=source.id,
            actor=actor,
            scopes=scopes,
            day=move.on,
            reason=f"no member left: the last one moved to household {target.id} on {move.on}",
            key=key,
            now=now,
        )
    note = f"to household {target.id}"
    _close(leaving, on=move.on, reason=LeaveReason.MOVED, note=note, field="moved_on", now=now)
    session.add_all([r.membership for r in src.members])
    await session.flush()  # the open-membership index must be free before the new row
    person = leaving.person
    given = _as_given(person, move.relation)
    await people.join(
        session,
        given=given,
        household=target,
        joined_on=move.on,
        key=key,
        actor=actor,
        now=now,
        field="person_id",
    )
    masked = mask_id_number(person.id_number)
    out = f"{masked} moved to household {target.id} on {move.on}"
    await _touched(session, source, actor=actor, action=audit.MOVE_MEMBER, now=now, detail=out)
    came = f"{masked} moved in from household {source.id} on {move.on} as {move.relation.value}"
    return await _touched(session, target, actor=actor, action=audit.MOVE_MEMBER, now=now, detail=came)


def _as_given(person: Person, relation: Relation) -> PersonIn:
    """The person's recorded facts as a joining person (their ID number as stored, already valid)."""
    return PersonIn(
        id_number=parse_id_number(person.id_number),
        name=person.name,
        relation=relation,
        disability_grade=person.disability_grade,
        labour_capacity=LabourCapacity(person.labour_capacity),
        employed=person.employed,
    )


async def remove_member(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    leaving: Leaving,
    key: bytes,
    now: datetime,
) -> HouseholdFile:
    """The person leaves the household (left, died, other); a death is recorded on the person too.

    The last member leaving ends the household's open grants from that day (nobody is left to hold
    them; ``assistance-terminated`` still names the member, staged before the membership closes)."""
    household = await visible_household(
        session, scopes=scopes, household_id=leaving.household_id, for_update=True
    )
    before = await household_file(session, household=household, with_past=False)
    row = member(before.members, leaving.person_id, field="person_id", household_id=household.id)
    _hand_over_head(before.members, row, leaving.new_head_person_id)
    if len(before.members) == 1:
        reason = f"no member left: the last one {leaving.reason.value} on {leaving.on}"
        await grants.end_open_grants(
            session,
            household_id=household.id,
            actor=actor,
            scopes=scopes,
            day=leaving.on,
            reason=reason,
            key=key,
            now=now,
        )
    _close(row, on=leaving.on, reason=leaving.reason, note=leaving.note, field="left_on", now=now)
    if leaving.reason is LeaveReason.DIED:
        row.person.deceased_on = leaving.on
        row.person.updated_at = now
        session.add(row.person)
    session.add_all([r.membership for r in before.members])
    detail = f"{mask_id_number(row.person.id_number)} {leaving.reason.value} on {leaving.on}"
    return await _touched(session, household, actor=actor, action=audit.REMOVE_MEMBER, now=now, detail=detail)


async def _touched(
    session: AsyncSession, household: Household, *, actor: str, action: str, now: datetime, detail: str
) -> HouseholdFile:
    # Every change of who belongs (and of a joining person's facts) moves ``updated_at`` on: the next
    # re-classification run assesses the household in full (``classification_reuse``).
    household.updated_at = now
    session.add(household)
    audit.record(session, actor=actor, action=action, household=household, now=now, detail=detail)
    await session.flush()
    return await household_file(session, household=household, with_past=True)
