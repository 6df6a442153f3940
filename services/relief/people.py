"""People joining households: one ``person`` row for life, one open membership at a time.

A person already known to relief (who left a household, or moved away and back) is found by ID
number and their facts are brought up to date; someone new gets a row and their ID-number digest
under the current platform key (kit.iddigest), which the assistance events will name members by.
Nothing here commits: the caller's unit of work holds the whole change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.errors import AlreadyExists, FailedPrecondition
from services.kit.idcard import IdNumber
from services.relief import digests
from services.relief.eligibility_models import LabourCapacity, Relation
from services.relief.models import Household, Membership, Person

ALREADY_A_MEMBER = "already belongs to a household (move them with MoveMember)"


@dataclass(frozen=True)
class PersonIn:
    """A person as given by the caller (already validated)."""

    id_number: IdNumber
    name: str
    relation: Relation
    disability_grade: int | None
    labour_capacity: LabourCapacity
    employed: bool


async def open_membership(session: AsyncSession, *, person_id: str) -> Membership | None:
    """The person's current membership, if they belong to a household now."""
    stmt = select(Membership).where(Membership.person_id == person_id, col(Membership.left_on).is_(None))
    return (await session.exec(stmt)).first()


def _apply(person: Person, given: PersonIn, now: datetime) -> None:
    person.name = given.name
    person.disability_grade = given.disability_grade
    person.labour_capacity = given.labour_capacity.value
    person.employed = given.employed
    person.updated_at = now


async def _person(session: AsyncSession, *, given: PersonIn, field: str, now: datetime) -> Person:
    found = (await session.exec(select(Person).where(Person.id_number == given.id_number.value))).first()
    if found is None:
        person = Person(
            id=str(uuid.uuid4()),
            id_number=given.id_number.value,
            sex=given.id_number.sex,
            birth_date=given.id_number.birth_date,
            registered_at=now,
            name=given.name,
            labour_capacity=given.labour_capacity.value,
        )
        _apply(person, given, now)
        session.add(person)
        return person
    if await open_membership(session, person_id=found.id) is not None:
        raise AlreadyExists(f"{field}: this person {ALREADY_A_MEMBER}")
    if found.deceased_on is not None:
        # No date: the person may belong to another town's records, which this caller must not read.
        raise FailedPrecondition(f"{field}: this person is recorded as deceased")
    _apply(found, given, now)
    session.add(found)
    return found


async def join(
    session: AsyncSession,
    *,
    given: PersonIn,
    household: Household,
    joined_on: date,
    key: bytes,
    actor: str,
    now: datetime,
    field: str,
) -> tuple[Person, Membership]:
    """The person (found or new) joins the household on ``joined_on``; AlreadyExists if they belong to one."""
    person = await _person(session, given=given, field=field, now=now)
    try:
        await session.flush()  # the person row first: the membership and the digest refer to it
    except IntegrityError as exc:  # uq_person_id_number: a concurrent registration won the race
        raise AlreadyExists(f"{field}: this person {ALREADY_A_MEMBER}") from exc
    await digests.add_digests(session, [digests.digest_row(person.id, person.id_number, key=key)])
    membership = Membership(
        id=str(uuid.uuid4()),
        household_id=household.id,
        person_id=person.id,
        relation=given.relation.value,
        joined_on=joined_on,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(membership)
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_membership_open_person: joined elsewhere concurrently
        raise AlreadyExists(f"{field}: this person {ALREADY_A_MEMBER}") from exc
    return person, membership
