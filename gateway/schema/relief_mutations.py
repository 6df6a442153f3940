"""Relief household steps as mutations: register, add / move / remove a member, record income and asset.

Inputs are named as the service's fields in camelCase, so the service's field violations name the
GraphQL input fields without renames (``members[1].idNumber``, ``amountFen``). Ids are global IDs
(``Household``, ``ReliefPerson``); the service scopes every write to the caller's regions (a
household elsewhere is NOT_FOUND) and audits it. Days default to today (China time) when left out.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from minzheng.relief.v1 import households_pb2 as pb

from gateway.context import Info
from gateway.errors import invalid_field
from gateway.schema.common import iso, node_id
from gateway.schema.relief_eligibility_types import PERSON
from gateway.schema.relief_types import (
    AssetKind,
    Household,
    HouseholdAsset,
    HouseholdIncome,
    HouseholdRelation,
    IncomeKind,
    LabourCapacity,
)

INT64_MAX = 2**63 - 1


def _fen(text: str, field: str) -> int:
    """A fen amount given as a decimal string; the sign is the service's to judge (it names the field)."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise invalid_field(field, 'must be a whole number of fen, e.g. "120000"') from None
    if abs(value) > INT64_MAX:
        raise invalid_field(field, "is too large")
    return value


def _person(value: strawberry.ID, field: str) -> str:
    return node_id(value, PERSON, field)


def _household(value: strawberry.ID, field: str = "householdId") -> str:
    return node_id(value, "Household", field)


def _optional_person(value: strawberry.ID | None, field: str) -> str:
    return _person(value, field) if value else ""


@strawberry.enum(description="Why a member leaves a household (moving to another is moveHouseholdMember).")
class RemovalReason(Enum):
    LEFT = strawberry.enum_value(pb.LEAVE_REASON_LEFT, description="Moved out (to no relief household).")
    DIED = pb.LEAVE_REASON_DIED
    OTHER = pb.LEAVE_REASON_OTHER


@strawberry.input(description="A person joining a household.")
class HouseholdPersonInput:
    id_number: str = strawberry.field(description="18-character resident ID number (GB 11643).")
    name: str
    relation: HouseholdRelation
    labour_capacity: LabourCapacity
    disability_grade: int = strawberry.field(default=0, description="残疾等级 1–4; 0 = none.")
    employed: bool = False

    def to_pb(self) -> pb.PersonInput:
        """The service's form."""
        return pb.PersonInput(
            id_number=self.id_number,
            name=self.name,
            relation=self.relation.value,
            disability_grade=self.disability_grade,
            labour_capacity=self.labour_capacity.value,
            employed=self.employed,
        )


@strawberry.input(description="A household in a village of yours, with exactly one head among its members.")
class RegisterHouseholdInput:
    region_code: str = strawberry.field(description="The village (12 digits).")
    members: list[HouseholdPersonInput] = strawberry.field(description="1 to 30, exactly one HEAD.")
    address: str | None = None
    since: date | None = strawberry.field(default=None, description="Since when they form the household.")


@strawberry.input(description="A person joining a household from a day.")
class AddHouseholdMemberInput:
    household_id: strawberry.ID
    person: HouseholdPersonInput
    joined_on: date | None = None


@strawberry.input(description="A member leaving their household and joining another on the same day.")
class MoveHouseholdMemberInput:
    person_id: strawberry.ID
    to_household_id: strawberry.ID
    relation: HouseholdRelation = strawberry.field(description="The relation in the new household.")
    moved_on: date | None = None
    new_head_person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required when the head moves and others stay: who heads it now."
    )


@strawberry.input(description="A member leaving the household (history kept).")
class RemoveHouseholdMemberInput:
    household_id: strawberry.ID
    person_id: strawberry.ID
    reason: RemovalReason
    left_on: date | None = None
    note: str | None = None
    new_head_person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Required when the head leaves and others stay: who heads it now."
    )


@strawberry.input(description="An income of a current member over a period (both days inclusive).")
class RecordHouseholdIncomeInput:
    household_id: strawberry.ID
    person_id: strawberry.ID
    kind: IncomeKind
    amount_fen: str = strawberry.field(description='In fen as a decimal string, ≥ 0 ("120000" = 1200 yuan).')
    period_start: date = strawberry.field(description="Not in the future.")
    period_end: date
    note: str | None = None


@strawberry.input(description="An asset of a current member, valued on a day.")
class RecordHouseholdAssetInput:
    household_id: strawberry.ID
    person_id: strawberry.ID
    kind: AssetKind
    value_fen: str = strawberry.field(description="In fen as a decimal string, ≥ 0.")
    as_of: date | None = strawberry.field(default=None, description="Not in the future.")
    note: str | None = None


@strawberry.type
class ReliefMutation:
    @strawberry.mutation(description="Register a relief household (write roles, inside your regions).")
    async def register_household(self, info: Info, input: RegisterHouseholdInput) -> Household:
        ctx = info.context
        request = pb.RegisterHouseholdRequest(
            region_code=input.region_code,
            address=input.address or "",
            members=[m.to_pb() for m in input.members],
            since=iso(input.since),
        )
        reply = await ctx.call(ctx.clients.households.RegisterHousehold, request)
        return Household.from_pb(reply, detailed=True)

    @strawberry.mutation(
        description="A person joins a household; ALREADY_EXISTS when they belong to another one "
        "(use moveHouseholdMember)."
    )
    async def add_household_member(self, info: Info, input: AddHouseholdMemberInput) -> Household:
        ctx = info.context
        request = pb.AddMemberRequest(
            household_id=_household(input.household_id),
            person=input.person.to_pb(),
            joined_on=iso(input.joined_on),
        )
        return Household.from_pb(await ctx.call(ctx.clients.households.AddMember, request), detailed=True)

    @strawberry.mutation(description="A member moves to another household; returns the household joined.")
    async def move_household_member(self, info: Info, input: MoveHouseholdMemberInput) -> Household:
        ctx = info.context
        request = pb.MoveMemberRequest(
            person_id=_person(input.person_id, "personId"),
            to_household_id=_household(input.to_household_id, "toHouseholdId"),
            relation=input.relation.value,
            moved_on=iso(input.moved_on),
            new_head_person_id=_optional_person(input.new_head_person_id, "newHeadPersonId"),
        )
        return Household.from_pb(await ctx.call(ctx.clients.households.MoveMember, request), detailed=True)

    @strawberry.mutation(description="A member leaves the household (left, died, other); returns it.")
    async def remove_household_member(self, info: Info, input: RemoveHouseholdMemberInput) -> Household:
        ctx = info.context
        request = pb.RemoveMemberRequest(
            household_id=_household(input.household_id),
            person_id=_person(input.person_id, "personId"),
            reason=input.reason.value,
            left_on=iso(input.left_on),
            note=input.note or "",
            new_head_person_id=_optional_person(input.new_head_person_id, "newHeadPersonId"),
        )
        return Household.from_pb(await ctx.call(ctx.clients.households.RemoveMember, request), detailed=True)

    @strawberry.mutation(description="Record an income of a current member.")
    async def record_household_income(self, info: Info, input: RecordHouseholdIncomeInput) -> HouseholdIncome:
        ctx = info.context
        request = pb.RecordIncomeRequest(
            household_id=_household(input.household_id),
            person_id=_person(input.person_id, "personId"),
            kind=input.kind.value,
            amount_fen=_fen(input.amount_fen, "amountFen"),
            period_start=input.period_start.isoformat(),
            period_end=input.period_end.isoformat(),
            note=input.note or "",
        )
        return HouseholdIncome.from_pb(await ctx.call(ctx.clients.households.RecordIncome, request))

    @strawberry.mutation(description="Record an asset valuation of a current member.")
    async def record_household_asset(self, info: Info, input: RecordHouseholdAssetInput) -> HouseholdAsset:
        ctx = info.context
        request = pb.RecordAssetRequest(
            household_id=_household(input.household_id),
            person_id=_person(input.person_id, "personId"),
            kind=input.kind.value,
            value_fen=_fen(input.value_fen, "valueFen"),
            as_of=iso(input.as_of),
            note=input.note or "",
        )
        return HouseholdAsset.from_pb(await ctx.call(ctx.clients.households.RecordAsset, request))
