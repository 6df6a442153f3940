"""Elder (老年人) object types, built from ElderService replies as plain attributes.

Only an elder's list fields resolve (assessments, visits, devices, alarms), through the request's
loaders in ``elders_pages``, so a page of elders costs one batch call per field, not one per elder.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from minzheng.eldercare.v1 import elders_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.pagination import MAX_FIRST, page_request
from gateway.schema.common import day, timestamp
from gateway.schema.elders_pages import AlarmsKey, DevicesKey, ElderPageKey, elder_loaders
from gateway.schema.safety_types import Alarm, AlarmStatus, Device, DeviceStatus, enum_or_none

ELDER_PAGE = 10


@strawberry.enum(description="How an elder lives.")
class LivingArrangement(Enum):
    ALONE = strawberry.enum_value(pb.LIVING_ARRANGEMENT_ALONE, description="独居")
    EMPTY_NEST = strawberry.enum_value(
        pb.LIVING_ARRANGEMENT_EMPTY_NEST, description="空巢: with a spouse, no child at home."
    )
    WITH_FAMILY = pb.LIVING_ARRANGEMENT_WITH_FAMILY
    IN_INSTITUTION = strawberry.enum_value(
        pb.LIVING_ARRANGEMENT_IN_INSTITUTION, description="In a care institution (not visited at home)."
    )


@strawberry.enum(description="老年人能力评估 level (GB/T 42195-2022).")
class CapabilityLevel(Enum):
    INTACT = strawberry.enum_value(pb.CAPABILITY_LEVEL_INTACT, description="能力完好")
    MILD = strawberry.enum_value(pb.CAPABILITY_LEVEL_MILD, description="轻度失能")
    MODERATE = strawberry.enum_value(pb.CAPABILITY_LEVEL_MODERATE, description="中度失能")
    SEVERE = strawberry.enum_value(pb.CAPABILITY_LEVEL_SEVERE, description="重度失能")
    COMPLETE = strawberry.enum_value(pb.CAPABILITY_LEVEL_COMPLETE, description="完全失能")


@strawberry.enum(description="How a contact is related to the elder.")
class ContactRelation(Enum):
    CHILD = pb.CONTACT_RELATION_CHILD
    SPOUSE = pb.CONTACT_RELATION_SPOUSE
    RELATIVE = pb.CONTACT_RELATION_RELATIVE
    NEIGHBOUR = pb.CONTACT_RELATION_NEIGHBOUR
    GRID_WORKER = strawberry.enum_value(pb.CONTACT_RELATION_GRID_WORKER, description="网格员")
    OTHER = pb.CONTACT_RELATION_OTHER


@strawberry.enum(description="Why an elder is in the monthly home-visit programme.")
class VulnerabilityReason(Enum):
    ALONE = pb.VULNERABILITY_REASON_ALONE
    WIDOWED_CHILDLESS = strawberry.enum_value(pb.VULNERABILITY_REASON_WIDOWED_CHILDLESS, description="孤寡")
    LEFT_BEHIND = strawberry.enum_value(pb.VULNERABILITY_REASON_LEFT_BEHIND, description="留守")
    DISABLED = strawberry.enum_value(
        pb.VULNERABILITY_REASON_DISABLED, description="Latest assessment moderate or worse."
    )
    SPECIAL_FAMILY = strawberry.enum_value(
        pb.VULNERABILITY_REASON_SPECIAL_FAMILY, description="计划生育特殊家庭"
    )


@strawberry.enum(description="Risk found on a home visit to an elder.")
class VisitRiskLevel(Enum):
    LOW = pb.VISIT_RISK_LEVEL_LOW
    MEDIUM = pb.VISIT_RISK_LEVEL_MEDIUM
    HIGH = pb.VISIT_RISK_LEVEL_HIGH


@strawberry.type(description="Someone to call about an elder.")
class ElderContact:
    name: str
    relation: ContactRelation | None
    phone: str


@strawberry.type(description="A capability assessment (老年人能力评估).")
class CapabilityAssessment:
    id: strawberry.ID
    elder_id: strawberry.ID
    level: CapabilityLevel
    assessed_on: date | None
    assessor: str
    organisation: str | None
    notes: str | None
    current: bool = strawberry.field(description="Whether this is (now) the elder's current level.")
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.CapabilityAssessment) -> CapabilityAssessment:
        """The GraphQL assessment of a reply."""
        return cls(
            id=strawberry.ID(to_base64("CapabilityAssessment", m.id)),
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            level=CapabilityLevel(m.level),
            assessed_on=day(m.assessed_on),
            assessor=m.assessor,
            organisation=m.organisation or None,
            notes=m.notes or None,
            current=m.current,
            recorded_at=timestamp(m, "recorded_at"),
        )


@strawberry.type(description="Who made a home visit, and for which town or village.")
class ElderVisitor:
    name: str
    region_code: str


@strawberry.type(description="A home visit to an elder (月探访).")
class ElderVisit:
    id: strawberry.ID
    elder_id: strawberry.ID
    visited_on: date | None
    visitor: ElderVisitor
    findings: str | None
    risk_level: VisitRiskLevel | None
    notes: str | None
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.ElderVisit) -> ElderVisit:
        """The GraphQL visit of a reply."""
        return cls(
            id=strawberry.ID(to_base64("ElderVisit", m.id)),
            elder_id=strawberry.ID(to_base64("Elder", m.elder_id)),
            visited_on=day(m.visited_on),
            visitor=ElderVisitor(name=m.visitor.name, region_code=m.visitor.region_code),
            findings=m.findings or None,
            risk_level=enum_or_none(VisitRiskLevel, m.risk_level),
            notes=m.notes or None,
            recorded_at=timestamp(m, "recorded_at"),
        )


First = Annotated[int, strawberry.argument(description=f"How many, newest first (1..{MAX_FIRST}).")]


@strawberry.type(description="An elder's file (一人一档), keyed by the resident ID number.")
class Elder(relay.Node):
    id: relay.NodeID[str]
    id_number: str = strawberry.field(
        description="Masked (330109********123X) unless your role may see ID numbers; reads are audited."
    )
    name: str
    sex: str = strawberry.field(description='"M" or "F", from the ID number.')
    birth_date: date | None = strawberry.field(description="Only with the clear ID number.")
    age: int
    region_code: str = strawberry.field(description="9-digit town or 12-digit village code.")
    living_arrangement: LivingArrangement | None
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    phone: str | None
    address: str | None
    contacts: list[ElderContact] = strawberry.field(description="In the order to call them.")
    capability_level: CapabilityLevel | None = strawberry.field(description="Null until assessed.")
    capability_assessed_on: date | None
    vulnerability: list[VulnerabilityReason] = strawberry.field(
        description="Empty when the elder is not in the monthly visit programme."
    )
    last_visit_on: date | None
    visit_due_on: date | None = strawberry.field(description="Last on-time day for the next visit.")
    visit_overdue: bool
    days_overdue: int
    registered_at: datetime | None
    updated_at: datetime | None

    @strawberry.field(description="Capability assessments, newest first.")
    async def assessments(self, info: Info, first: First = ELDER_PAGE) -> list[CapabilityAssessment]:
        rows = await elder_loaders(info.context).assessments.load(ElderPageKey(self.id, _first(first)))
        return [CapabilityAssessment.from_pb(r) for r in rows]

    @strawberry.field(description="Home visits, newest first.")
    async def visits(self, info: Info, first: First = ELDER_PAGE) -> list[ElderVisit]:
        rows = await elder_loaders(info.context).visits.load(ElderPageKey(self.id, _first(first)))
        return [ElderVisit.from_pb(r) for r in rows]

    @strawberry.field(description="Home-safety devices, oldest installation first.")
    async def devices(self, info: Info, status: DeviceStatus | None = None) -> list[Device]:
        key = DevicesKey(self.id, status.value if status else 0)
        return [Device.from_pb(d) for d in await elder_loaders(info.context).devices.load(key)]

    @strawberry.field(description="Alarms from this elder's devices, newest first.")
    async def alarms(
        self, info: Info, status: AlarmStatus | None = None, first: First = ELDER_PAGE
    ) -> list[Alarm]:
        key = AlarmsKey(self.id, status.value if status else 0, _first(first))
        return [Alarm.from_pb(a) for a in await elder_loaders(info.context).alarms.load(key)]

    @classmethod
    def from_pb(cls, m: pb.Elder) -> Elder:
        """The GraphQL elder of a reply."""
        return cls(
            id=m.id,
            id_number=m.id_number,
            name=m.name,
            sex=m.sex,
            birth_date=day(m.birth_date),
            age=m.age,
            region_code=m.region_code,
            living_arrangement=enum_or_none(LivingArrangement, m.living_arrangement),
            widowed_childless=m.widowed_childless,
            left_behind=m.left_behind,
            special_family=m.special_family,
            phone=m.phone or None,
            address=m.address or None,
            contacts=[
                ElderContact(name=c.name, relation=enum_or_none(ContactRelation, c.relation), phone=c.phone)
                for c in m.contacts
            ],
            capability_level=enum_or_none(CapabilityLevel, m.capability_level),
            capability_assessed_on=day(m.capability_assessed_on),
            vulnerability=[VulnerabilityReason(v) for v in m.vulnerability],
            last_visit_on=day(m.last_visit_on),
            visit_due_on=day(m.visit_due_on),
            visit_overdue=m.visit_overdue,
            days_overdue=m.days_overdue,
            registered_at=timestamp(m, "registered_at"),
            updated_at=timestamp(m, "updated_at"),
        )


def _first(first: int) -> int:
    """``first`` checked like a connection's (INVALID_ARGUMENT naming it)."""
    return page_request(first, None).page_size


@strawberry.type(description="Elders, a page at a time (forward pagination with first/after).")
class ElderConnection(relay.Connection[Elder]):
    total_count: int = strawberry.field(description="Elders matching the filter, across all pages.")


@strawberry.type(description="Home-visit compliance of one village today.")
class VillageVisitCompliance:
    region_code: str
    vulnerable: int = strawberry.field(description="Elders in the visit programme today.")
    overdue: int
    rate: float | None = strawberry.field(
        description="Share not overdue; null when nobody is in the programme."
    )


@strawberry.type(description="Home-visit compliance for vulnerable elders, per village and in total.")
class ElderVisitCompliance:
    villages: list[VillageVisitCompliance]
    vulnerable: int
    overdue: int
    rate: float | None
