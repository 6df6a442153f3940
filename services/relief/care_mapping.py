"""Between the care proto messages and relief's visits, list items and care counts."""

from __future__ import annotations

from datetime import date

from minzheng.relief.v1 import care_pb2 as pb

from services.kit.protoconv import timestamp
from services.relief.care_rules import ListItemKind, TownCare
from services.relief.models import ReliefListItem, ReliefVisit

KIND_TO_PB: dict[ListItemKind, pb.ListItemKind.ValueType] = {
    ListItemKind.MATERIAL: pb.LIST_ITEM_KIND_MATERIAL,
    ListItemKind.CARE: pb.LIST_ITEM_KIND_CARE,
    ListItemKind.COMFORT: pb.LIST_ITEM_KIND_COMFORT,
    ListItemKind.CAPABILITY: pb.LIST_ITEM_KIND_CAPABILITY,
    ListItemKind.HEALTH: pb.LIST_ITEM_KIND_HEALTH,
    ListItemKind.OTHER: pb.LIST_ITEM_KIND_OTHER,
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}


def visit_to_pb(visit: ReliefVisit) -> pb.CareVisit:
    """The wire form of a visit."""
    return pb.CareVisit(
        id=visit.id,
        household_id=visit.household_id,
        region_code=visit.region_code,
        visited_on=visit.visited_on.isoformat(),
        visitor=pb.CareVisitor(name=visit.visitor_name, region_code=visit.visitor_region_code),
        findings=visit.findings,
        needs=visit.needs,
        recorded_by=visit.recorded_by,
        recorded_at=timestamp(visit.recorded_at),
    )


def item_to_pb(item: ReliefListItem) -> pb.CareListItem:
    """The wire form of a happiness-list item."""
    return pb.CareListItem(
        id=item.id,
        household_id=item.household_id,
        region_code=item.region_code,
        kind=KIND_TO_PB[ListItemKind(item.kind)],
        delivered_on=item.delivered_on.isoformat(),
        delivered_by=item.delivered_by,
        note=item.note,
        recorded_by=item.recorded_by,
        recorded_at=timestamp(item.recorded_at),
    )


def tally_to_pb(tally: TownCare) -> pb.CareTally:
    """One town's (or the total's) counts and rates."""
    return pb.CareTally(
        town_code=tally.town_code,
        households=tally.households,
        visited=tally.visited,
        list_delivered=tally.list_delivered,
        one_thing=tally.one_thing,
        visited_rate=tally.visited_rate,
        list_delivered_rate=tally.list_delivered_rate,
        one_thing_rate=tally.one_thing_rate,
    )


def rates_to_pb(
    year: int, reference: date, target_percent: int | None, towns: list[TownCare], total: TownCare
) -> pb.CareRates:
    """A year's care rates per town, their total and the plan's target."""
    return pb.CareRates(
        year=year,
        reference_day=reference.isoformat(),
        target=None if target_percent is None else target_percent / 100,
        towns=[tally_to_pb(t) for t in towns],
        total=tally_to_pb(total),
    )
