"""Relief (社会救助) household object types, built from HouseholdService replies as plain attributes.

Money stays exact: fen as a decimal string (an asset's value can pass GraphQL's 32-bit Int) and yuan
as text. A household read by id carries its past members, incomes and assets; one from a list does
not, so those fields, its grants, the first page of its applications and flags (and ``eligibility``)
go through the request's loaders in ``relief_loaders``: a page of households costs one batch call per
field, not one call per household.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.relief.v1 import households_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST, connection_parts, page_request
from gateway.schema.common import day, timestamp
from gateway.schema.relief_application_types import (
    ReliefApplication,
    ReliefApplicationConnection,
    ReliefApplicationState,
    ReliefGrant,
    application_page,
)
from gateway.schema.relief_discovery import (
    ReliefFlag,
    ReliefFlagConnection,
    ReliefFlagStatus,
    household_flags,
)
from gateway.schema.relief_eligibility_types import HouseholdAssessment, person_gid, yuan
from gateway.schema.relief_loaders import AssessmentKey, BundleKey, Part, relief_loaders
from gateway.schema.safety_types import enum_or_none


@strawberry.enum(description="How a member is related to the head of the household.")
class HouseholdRelation(Enum):
    HEAD = strawberry.enum_value(pb.RELATION_HEAD, description="户主: exactly one per household.")
    SPOUSE = pb.RELATION_SPOUSE
    CHILD = pb.RELATION_CHILD
    PARENT = pb.RELATION_PARENT
    GRANDCHILD = pb.RELATION_GRANDCHILD
    GRANDPARENT = pb.RELATION_GRANDPARENT
    SIBLING = pb.RELATION_SIBLING
    OTHER = pb.RELATION_OTHER


@strawberry.enum(description="劳动能力 as assessed; 特困 needs none.")
class LabourCapacity(Enum):
    FULL = pb.LABOUR_CAPACITY_FULL
    PARTIAL = pb.LABOUR_CAPACITY_PARTIAL
    NONE = pb.LABOUR_CAPACITY_NONE


@strawberry.enum(description="Why a member left a household.")
class MemberLeaveReason(Enum):
    LEFT = strawberry.enum_value(pb.LEAVE_REASON_LEFT, description="Moved out (to no relief household).")
    DIED = pb.LEAVE_REASON_DIED
    MOVED = strawberry.enum_value(pb.LEAVE_REASON_MOVED, description="Moved to another relief household.")
    OTHER = pb.LEAVE_REASON_OTHER


@strawberry.enum(description="Kinds of income counted by the eligibility engine.")
class IncomeKind(Enum):
    WAGES = pb.INCOME_KIND_WAGES
    PENSION = pb.INCOME_KIND_PENSION
    FARMING = pb.INCOME_KIND_FARMING
    BUSINESS = pb.INCOME_KIND_BUSINESS
    TRANSFER = strawberry.enum_value(
        pb.INCOME_KIND_TRANSFER, description="Maintenance, support from relatives outside the household."
    )
    OTHER = pb.INCOME_KIND_OTHER


@strawberry.enum(description="Kinds of asset counted by the eligibility engine.")
class AssetKind(Enum):
    DEPOSIT = pb.ASSET_KIND_DEPOSIT
    SECURITIES = pb.ASSET_KIND_SECURITIES
    VEHICLE = strawberry.enum_value(pb.ASSET_KIND_VEHICLE, description="At assessed value.")
    PROPERTY = strawberry.enum_value(pb.ASSET_KIND_PROPERTY, description="Beyond the home lived in.")
    OTHER = pb.ASSET_KIND_OTHER


@strawberry.type(description="A person in a relief household, now or in the past.")
class HouseholdMember:
    person_id: strawberry.ID = strawberry.field(description="Stable across households (moves keep it).")
    id_number: str = strawberry.field(
        description="Masked (330109********123X) unless your role may see ID numbers; reads are audited."
    )
    name: str
    sex: str = strawberry.field(description='"M" or "F", from the ID number.')
    birth_date: date | None = strawberry.field(description="Only with the clear ID number.")
    age: int
    relation: HouseholdRelation | None
    disability_grade: int = strawberry.field(description="残疾等级 1–4 (1 and 2 severe); 0 = none.")
    labour_capacity: LabourCapacity | None
    employed: bool
    joined_on: date | None
    left_on: date | None = strawberry.field(description="Null while a member.")
    left_reason: MemberLeaveReason | None
    left_note: str | None

    @classmethod
    def from_pb(cls, m: pb.Member) -> HouseholdMember:
        """The GraphQL member of a reply."""
        return cls(
            person_id=person_gid(m.person_id),
            id_number=m.id_number,
            name=m.name,
            sex=m.sex,
            birth_date=day(m.birth_date),
            age=m.age,
            relation=enum_or_none(HouseholdRelation, m.relation),
            disability_grade=m.disability_grade,
            labour_capacity=enum_or_none(LabourCapacity, m.labour_capacity),
            employed=m.employed,
            joined_on=day(m.joined_on),
            left_on=day(m.left_on),
            left_reason=enum_or_none(MemberLeaveReason, m.left_reason),
            left_note=m.left_note or None,
        )


@strawberry.type(description="An income of a member over a period (both days inclusive).")
class HouseholdIncome:
    id: strawberry.ID
    household_id: strawberry.ID
    person_id: strawberry.ID
    kind: IncomeKind | None
    amount_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    amount_yuan: str
    period_start: date | None
    period_end: date | None
    note: str | None
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Income) -> HouseholdIncome:
        """The GraphQL income of a reply."""
        return cls(
            id=strawberry.ID(to_base64("HouseholdIncome", m.id)),
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            person_id=person_gid(m.person_id),
            kind=enum_or_none(IncomeKind, m.kind),
            amount_fen=str(m.amount_fen),
            amount_yuan=yuan(m.amount_fen),
            period_start=day(m.period_start),
            period_end=day(m.period_end),
            note=m.note or None,
            recorded_at=timestamp(m, "recorded_at"),
        )


@strawberry.type(description="An asset of a member, valued on a day; the latest valuation per kind counts.")
class HouseholdAsset:
    id: strawberry.ID
    household_id: strawberry.ID
    person_id: strawberry.ID
    kind: AssetKind | None
    value_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    value_yuan: str
    as_of: date | None
    note: str | None
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Asset) -> HouseholdAsset:
        """The GraphQL asset of a reply."""
        return cls(
            id=strawberry.ID(to_base64("HouseholdAsset", m.id)),
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            person_id=person_gid(m.person_id),
            kind=enum_or_none(AssetKind, m.kind),
            value_fen=str(m.value_fen),
            value_yuan=yuan(m.value_fen),
            as_of=day(m.as_of),
            note=m.note or None,
            recorded_at=timestamp(m, "recorded_at"),
        )


Month = Annotated[str | None, strawberry.argument(description="YYYY-MM; default this month (China time).")]


@strawberry.type(description="A relief household (户): its village, members, and their incomes and assets.")
class Household(relay.Node):
    id: relay.NodeID[str]
    region_code: str = strawberry.field(description="The village (12 digits).")
    address: str | None
    members: list[HouseholdMember] = strawberry.field(description="Current members, head first.")
    registered_at: datetime | None
    updated_at: datetime | None
    # Set when the reply was a GetHousehold or a mutation (the whole file); list rows are not.
    detail: strawberry.Private[pb.Household | None]

    async def _file(self, info: Info) -> pb.Household:
        if self.detail is not None:
            return self.detail
        return (await relief_loaders(info.context).bundle.load(BundleKey(self.id, Part.FILE))).household

    @strawberry.field(description="Members who left (moved, died, …), most recent first.")
    async def past_members(self, info: Info) -> list[HouseholdMember]:
        return [HouseholdMember.from_pb(x) for x in (await self._file(info)).past_members]

    @strawberry.field(description="The current members' incomes, newest period first.")
    async def incomes(self, info: Info) -> list[HouseholdIncome]:
        return [HouseholdIncome.from_pb(i) for i in (await self._file(info)).incomes]

    @strawberry.field(description="The current members' asset valuations.")
    async def assets(self, info: Info) -> list[HouseholdAsset]:
        return [HouseholdAsset.from_pb(a) for a in (await self._file(info)).assets]

    @strawberry.field(
        description="The household assessed for a month under the standards then in force (a preview: "
        "nothing is written)."
    )
    async def eligibility(self, info: Info, month: Month = None) -> HouseholdAssessment:
        reply = await relief_loaders(info.context).assessment.load(AssessmentKey(self.id, month or ""))
        return HouseholdAssessment.from_pb(reply)

    @strawberry.field(description="The household's relief applications, newest first.")
    async def applications(
        self,
        info: Info,
        state: ReliefApplicationState | None = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ReliefApplicationConnection:
        if after:  # paging into one household: one call, as it names one household
            return await application_page(
                info.context, household_id=self.id, state=state, first=first, after=after
            )
        size = page_request(first, None).page_size  # INVALID_ARGUMENT on ``first`` before any call
        key = BundleKey(self.id, Part.APPLICATIONS, state.value if state else 0, size)
        page = (await relief_loaders(info.context).bundle.load(key)).applications
        nodes = [ReliefApplication.from_pb(a, detailed=False) for a in page.applications]
        edges, page_info = connection_parts(nodes, list(page.cursors), page.page_info, after=None)
        return ReliefApplicationConnection(
            edges=edges, page_info=page_info, total_count=page.page_info.total_count
        )

    @strawberry.field(description="Every assistance grant of the household (open or ended), newest first.")
    async def grants(self, info: Info) -> list[ReliefGrant]:
        bundle = await relief_loaders(info.context).bundle.load(BundleKey(self.id, Part.GRANTS))
        return [ReliefGrant.from_pb(g) for g in bundle.grants]

    @strawberry.field(description="Proactive discovery's flags on the household, oldest first.")
    async def flags(
        self,
        info: Info,
        status: ReliefFlagStatus | None = None,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> ReliefFlagConnection:
        if after:
            return await household_flags(info, self.id, status, first, after)
        size = page_request(first, None).page_size
        key = BundleKey(self.id, Part.FLAGS, status.value if status else 0, size)
        page = (await relief_loaders(info.context).bundle.load(key)).flags
        nodes = [ReliefFlag.from_pb(f) for f in page.flags]
        edges, page_info = connection_parts(nodes, list(page.cursors), page.page_info, after=None)
        return ReliefFlagConnection(edges=edges, page_info=page_info, total_count=page.page_info.total_count)

    @classmethod
    def from_pb(cls, m: pb.Household, *, detailed: bool) -> Household:
        """The GraphQL household of a reply; ``detailed`` when it came from GetHousehold or a mutation."""
        return cls(
            id=m.id,
            region_code=m.region_code,
            address=m.address or None,
            members=[HouseholdMember.from_pb(x) for x in m.members],
            registered_at=timestamp(m, "registered_at"),
            updated_at=timestamp(m, "updated_at"),
            detail=m if detailed else None,
        )


@strawberry.type(description="Households, a page at a time (forward pagination with first/after).")
class HouseholdConnection(relay.Connection[Household]):
    total_count: int = strawberry.field(description="Households matching the filter, across all pages.")
