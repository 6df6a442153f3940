"""Care of relief households as GraphQL types: visits, happiness-list items and the care rates.

Built from CareService replies as plain attributes. Rates are shares 0..1 (null when a town has no
households), counted by the service on the year's reference day.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from minzheng.relief.v1 import care_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.schema.common import day, timestamp
from gateway.schema.safety_types import enum_or_none


@strawberry.enum(description="What a happiness-list item (幸福清单) delivered.")
class ReliefListItemKind(Enum):
    MATERIAL = strawberry.enum_value(pb.LIST_ITEM_KIND_MATERIAL, description="物资: goods, food, clothing.")
    CARE = strawberry.enum_value(pb.LIST_ITEM_KIND_CARE, description="探访照料: help at home, personal care.")
    COMFORT = strawberry.enum_value(pb.LIST_ITEM_KIND_COMFORT, description="精神慰藉: company, counselling.")
    CAPABILITY = strawberry.enum_value(
        pb.LIST_ITEM_KIND_CAPABILITY, description="能力提升: training, job placement, study help."
    )
    HEALTH = strawberry.enum_value(pb.LIST_ITEM_KIND_HEALTH, description="健康服务: check-ups, medicine.")
    OTHER = pb.LIST_ITEM_KIND_OTHER


@strawberry.type(description="Who made a care visit: a worker of a town or village.")
class ReliefCareVisitor:
    name: str
    region_code: str = strawberry.field(description="The town or village the visitor works for.")


@strawberry.type(description="A care visit (探访关爱) to a relief household.")
class ReliefVisit:
    id: strawberry.ID
    household_id: strawberry.ID
    region_code: str = strawberry.field(description="The household's village.")
    visited_on: date | None
    visitor: ReliefCareVisitor
    findings: str | None
    needs: str | None = strawberry.field(description="Needs the visitor noted (help, goods, services).")
    recorded_by: str
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.CareVisit) -> ReliefVisit:
        """The GraphQL visit of a reply."""
        return cls(
            id=strawberry.ID(to_base64("ReliefVisit", m.id)),
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            region_code=m.region_code,
            visited_on=day(m.visited_on),
            visitor=ReliefCareVisitor(name=m.visitor.name, region_code=m.visitor.region_code),
            findings=m.findings or None,
            needs=m.needs or None,
            recorded_by=m.recorded_by,
            recorded_at=timestamp(m, "recorded_at"),
        )


@strawberry.type(description="A service delivered to a relief household on its happiness list (幸福清单).")
class ReliefListItem:
    id: strawberry.ID
    household_id: strawberry.ID
    region_code: str
    kind: ReliefListItemKind | None
    delivered_on: date | None
    delivered_by: str = strawberry.field(description="A person or an organisation.")
    note: str | None
    recorded_by: str
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.CareListItem) -> ReliefListItem:
        """The GraphQL list item of a reply."""
        return cls(
            id=strawberry.ID(to_base64("ReliefListItem", m.id)),
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            region_code=m.region_code,
            kind=enum_or_none(ReliefListItemKind, m.kind),
            delivered_on=day(m.delivered_on),
            delivered_by=m.delivered_by,
            note=m.note or None,
            recorded_by=m.recorded_by,
            recorded_at=timestamp(m, "recorded_at"),
        )


@strawberry.type(description="A household's care visits, newest first.")
class ReliefVisitConnection(relay.Connection[ReliefVisit]):
    total_count: int


@strawberry.type(description="A household's happiness-list items, newest first.")
class ReliefListItemConnection(relay.Connection[ReliefListItem]):
    total_count: int


def _share(m: pb.CareTally, name: str) -> float | None:
    return getattr(m, name) if m.HasField(name) else None


@strawberry.type(description="One town's (or all towns') relief households and how many count per rate.")
class ReliefCareTally:
    town_code: str | None = strawberry.field(description="Null in the totals.")
    households: int = strawberry.field(description="Households holding a programme on the reference day.")
    visited: int = strawberry.field(description="Visited on time for their programme (探访关爱).")
    list_delivered: int = strawberry.field(description="With a list item delivered in the year (幸福清单).")
    one_thing: int = strawberry.field(description="Granted on an application for several items (一件事).")
    visited_rate: float | None
    list_delivered_rate: float | None
    one_thing_rate: float | None

    @classmethod
    def from_pb(cls, m: pb.CareTally) -> ReliefCareTally:
        """The GraphQL tally of a reply."""
        return cls(
            town_code=m.town_code or None,
            households=m.households,
            visited=m.visited,
            list_delivered=m.list_delivered,
            one_thing=m.one_thing,
            visited_rate=_share(m, "visited_rate"),
            list_delivered_rate=_share(m, "list_delivered_rate"),
            one_thing_rate=_share(m, "one_thing_rate"),
        )


@strawberry.type(description="The three care rates per town for a year, against the plan's target.")
class ReliefCareRates:
    year: int
    reference_day: date = strawberry.field(description="31 December, or today in the running year.")
    target: float | None = strawberry.field(description="The plan's target share for the year (0.6 … 1).")
    towns: list[ReliefCareTally]
    total: ReliefCareTally

    @classmethod
    def from_pb(cls, m: pb.CareRates) -> ReliefCareRates:
        """The GraphQL rates of a reply."""
        return cls(
            year=m.year,
            reference_day=date.fromisoformat(m.reference_day),
            target=m.target if m.HasField("target") else None,
            towns=[ReliefCareTally.from_pb(t) for t in m.towns],
            total=ReliefCareTally.from_pb(m.total),
        )
