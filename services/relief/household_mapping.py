"""Between the households proto messages and relief's household models and enums."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb

from services.kit import paging
from services.kit.idcard import mask_id_number
from services.kit.protoconv import timestamp
from services.relief.application_files import ApplicationFile, cursor_time
from services.relief.application_mapping import application_to_pb, grant_to_pb
from services.relief.application_rules import Programme
from services.relief.discovery_mapping import flag_to_pb
from services.relief.eligibility import age_on
from services.relief.eligibility_models import LabourCapacity, Relation
from services.relief.household_batches import RowPage
from services.relief.household_rules import AssetKind, IncomeKind, LeaveReason
from services.relief.households import HouseholdFile, MemberRow
from services.relief.models import Asset, AssistanceGrant, HouseholdFlag, Income, ReliefApplication

RELATION_TO_PB: dict[Relation, pb.Relation.ValueType] = {
    Relation.HEAD: pb.RELATION_HEAD,
    Relation.SPOUSE: pb.RELATION_SPOUSE,
    Relation.CHILD: pb.RELATION_CHILD,
    Relation.PARENT: pb.RELATION_PARENT,
    Relation.GRANDCHILD: pb.RELATION_GRANDCHILD,
    Relation.GRANDPARENT: pb.RELATION_GRANDPARENT,
    Relation.SIBLING: pb.RELATION_SIBLING,
    Relation.OTHER: pb.RELATION_OTHER,
}
RELATION_FROM_PB = {v: k for k, v in RELATION_TO_PB.items()}
# The households filter by programme (NONE is no programme: INVALID_ARGUMENT).
PROGRAMME_FROM_PB: dict[epb.Classification.ValueType, str] = {
    epb.CLASSIFICATION_TEKUN: Programme.TEKUN.value,
    epb.CLASSIFICATION_DIBAO: Programme.DIBAO.value,
    epb.CLASSIFICATION_DIBIAN: Programme.DIBIAN.value,
}
CAPACITY_TO_PB: dict[LabourCapacity, pb.LabourCapacity.ValueType] = {
    LabourCapacity.FULL: pb.LABOUR_CAPACITY_FULL,
    LabourCapacity.PARTIAL: pb.LABOUR_CAPACITY_PARTIAL,
    LabourCapacity.NONE: pb.LABOUR_CAPACITY_NONE,
}
CAPACITY_FROM_PB = {v: k for k, v in CAPACITY_TO_PB.items()}
LEAVE_TO_PB: dict[LeaveReason, pb.LeaveReason.ValueType] = {
    LeaveReason.LEFT: pb.LEAVE_REASON_LEFT,
    LeaveReason.DIED: pb.LEAVE_REASON_DIED,
    LeaveReason.MOVED: pb.LEAVE_REASON_MOVED,
    LeaveReason.OTHER: pb.LEAVE_REASON_OTHER,
}
# MoveMember is the only way to leave as "moved": RemoveMember takes the others.
REMOVE_REASONS_FROM_PB = {v: k for k, v in LEAVE_TO_PB.items() if k is not LeaveReason.MOVED}
INCOME_TO_PB: dict[IncomeKind, pb.IncomeKind.ValueType] = {
    IncomeKind.WAGES: pb.INCOME_KIND_WAGES,
    IncomeKind.PENSION: pb.INCOME_KIND_PENSION,
    IncomeKind.FARMING: pb.INCOME_KIND_FARMING,
    IncomeKind.BUSINESS: pb.INCOME_KIND_BUSINESS,
    IncomeKind.TRANSFER: pb.INCOME_KIND_TRANSFER,
    IncomeKind.OTHER: pb.INCOME_KIND_OTHER,
}
INCOME_FROM_PB = {v: k for k, v in INCOME_TO_PB.items()}
ASSET_TO_PB: dict[AssetKind, pb.AssetKind.ValueType] = {
    AssetKind.DEPOSIT: pb.ASSET_KIND_DEPOSIT,
    AssetKind.SECURITIES: pb.ASSET_KIND_SECURITIES,
    AssetKind.VEHICLE: pb.ASSET_KIND_VEHICLE,
    AssetKind.PROPERTY: pb.ASSET_KIND_PROPERTY,
    AssetKind.OTHER: pb.ASSET_KIND_OTHER,
}
ASSET_FROM_PB = {v: k for k, v in ASSET_TO_PB.items()}


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def member_to_pb(row: MemberRow, *, reveal_id: bool, today: date) -> pb.Member:
    """The wire form of a member on ``today``; the ID number masked unless ``reveal_id``."""
    person, membership = row.person, row.membership
    reason = LeaveReason(membership.left_reason) if membership.left_reason else None
    # Age on the day they died or left when that is past, else today.
    on = min(today, person.deceased_on) if person.deceased_on else today
    return pb.Member(
        person_id=person.id,
        id_number=person.id_number if reveal_id else mask_id_number(person.id_number),
        name=person.name,
        sex=person.sex,
        # The birth date is the masked middle of the ID number, so it goes with the clear number only.
        birth_date=person.birth_date.isoformat() if reveal_id else "",
        age=max(age_on(person.birth_date, on), 0),
        relation=RELATION_TO_PB[Relation(membership.relation)],
        disability_grade=person.disability_grade or 0,
        labour_capacity=CAPACITY_TO_PB[LabourCapacity(person.labour_capacity)],
        employed=person.employed,
        joined_on=membership.joined_on.isoformat(),
        left_on=_day(membership.left_on),
        left_reason=LEAVE_TO_PB[reason] if reason else pb.LEAVE_REASON_UNSPECIFIED,
        left_note=membership.left_note,
    )


def income_to_pb(row: Income) -> pb.Income:
    """The wire form of an income."""
    return pb.Income(
        id=row.id,
        household_id=row.household_id,
        person_id=row.person_id,
        kind=INCOME_TO_PB[IncomeKind(row.kind)],
        amount_fen=row.amount_fen,
        period_start=row.period_start.isoformat(),
        period_end=row.period_end.isoformat(),
        note=row.note,
        recorded_at=timestamp(row.recorded_at),
    )


def asset_to_pb(row: Asset) -> pb.Asset:
    """The wire form of an asset valuation."""
    return pb.Asset(
        id=row.id,
        household_id=row.household_id,
        person_id=row.person_id,
        kind=ASSET_TO_PB[AssetKind(row.kind)],
        value_fen=row.value_fen,
        as_of=row.as_of.isoformat(),
        note=row.note,
        recorded_at=timestamp(row.recorded_at),
    )


def household_to_pb(
    found: HouseholdFile,
    *,
    reveal_id: bool,
    today: date,
    incomes: Sequence[Income] = (),
    assets: Sequence[Asset] = (),
) -> pb.Household:
    """The wire form of a household file."""
    h = found.household
    return pb.Household(
        id=h.id,
        region_code=h.region_code,
        address=h.address,
        members=[member_to_pb(r, reveal_id=reveal_id, today=today) for r in found.members],
        past_members=[member_to_pb(r, reveal_id=reveal_id, today=today) for r in found.past],
        incomes=[income_to_pb(i) for i in incomes],
        assets=[asset_to_pb(a) for a in assets],
        registered_at=timestamp(h.registered_at),
        updated_at=timestamp(h.updated_at),
    )


def bundle_to_pb(
    household: pb.Household,
    *,
    grants: Sequence[AssistanceGrant],
    applications: RowPage[ReliefApplication] | None,
    flags: RowPage[HouseholdFlag] | None,
) -> pb.HouseholdBundle:
    """One household of a batch read, with the pages of its lists; cursors as the single-household lists."""
    bundle = pb.HouseholdBundle(household=household, grants=[grant_to_pb(g) for g in grants])
    if applications is not None:
        cursors = [paging.encode_page_token(cursor_time(a), a.id) for a in applications.rows]
        bundle.applications.CopyFrom(
            pb.HouseholdApplicationPage(
                applications=[application_to_pb(ApplicationFile(a, [], [])) for a in applications.rows],
                page_info=paging.page_info(
                    cursors[-1] if applications.more and cursors else "", applications.total
                ),
                cursors=cursors,
            )
        )
    if flags is not None:
        cursors = [paging.encode_page_token(f.raised_at.isoformat(), f.id) for f in flags.rows]
        bundle.flags.CopyFrom(
            pb.HouseholdFlagPage(
                flags=[flag_to_pb(f) for f in flags.rows],
                page_info=paging.page_info(cursors[-1] if flags.more and cursors else "", flags.total),
                cursors=cursors,
            )
        )
    return bundle
