"""Child welfare (儿童福利 / 萧芽护) object types, built from ChildWelfareService replies.

Plain attributes throughout (no resolver per scalar field); only ``NetworkMember.compliance``
resolves, through the request's DataLoader, so a list of directors costs one extra call.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from strawberry import relay
from strawberry.relay.utils import to_base64

from gateway.context import Info
from gateway.loaders import ComplianceKey
from gateway.pagination import DEFAULT_FIRST, MAX_FIRST
from gateway.schema.common import day, timestamp

if TYPE_CHECKING:
    from gateway.schema.childwelfare_pages import AllowancePaymentConnection, VisitConnection

# A child's visits and payments are connections defined there (that module imports this one).
PAGES = "gateway.schema.childwelfare_pages"


@strawberry.enum(description="Protection category of a child (儿童保障类别); a child has one at a time.")
class ProtectionCategory(Enum):
    ORPHAN_INSTITUTION = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_ORPHAN_INSTITUTION, description="机构养育孤儿"
    )
    ORPHAN_SCATTERED = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED, description="社会散居孤儿"
    )
    DE_FACTO_UNATTENDED = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED, description="事实无人抚养儿童"
    )
    DIBAO_FAMILY = strawberry.enum_value(pb.PROTECTION_CATEGORY_DIBAO_FAMILY, description="低保家庭儿童")
    DIBIAN_FAMILY = strawberry.enum_value(pb.PROTECTION_CATEGORY_DIBIAN_FAMILY, description="低边家庭儿童")
    LEFT_BEHIND = strawberry.enum_value(pb.PROTECTION_CATEGORY_LEFT_BEHIND, description="留守儿童")
    DISABLED_IN_DIFFICULTY = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_DISABLED_IN_DIFFICULTY, description="困境残疾儿童"
    )
    PARENT_DEPRIVED_OF_LIBERTY = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_PARENT_DEPRIVED_OF_LIBERTY,
        description="Parent in prison, compulsory drug rehab or otherwise deprived of liberty > 6 months.",
    )
    PARENT_LOST_GUARDIANSHIP = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_PARENT_LOST_GUARDIANSHIP,
        description="Parent's guardianship revoked (撤销监护资格).",
    )
    PARENT_DEPORTED = strawberry.enum_value(
        pb.PROTECTION_CATEGORY_PARENT_DEPORTED, description="父母被遣送（驱逐）出境"
    )
    STREET_CHILD = strawberry.enum_value(pb.PROTECTION_CATEGORY_STREET_CHILD, description="流浪儿童")
    OTHER = pb.PROTECTION_CATEGORY_OTHER


@strawberry.enum(description="How a guardian is related to the child.")
class GuardianRelation(Enum):
    FATHER = pb.GUARDIAN_RELATION_FATHER
    MOTHER = pb.GUARDIAN_RELATION_MOTHER
    GRANDPARENT = pb.GUARDIAN_RELATION_GRANDPARENT
    SIBLING = pb.GUARDIAN_RELATION_SIBLING
    OTHER_RELATIVE = pb.GUARDIAN_RELATION_OTHER_RELATIVE
    INSTITUTION = strawberry.enum_value(
        pb.GUARDIAN_RELATION_INSTITUTION,
        description="An institution or the civil-affairs department (e.g. 临时监护).",
    )
    OTHER = pb.GUARDIAN_RELATION_OTHER


@strawberry.enum(description="Risk found on a home visit.")
class RiskLevel(Enum):
    LOW = pb.RISK_LEVEL_LOW
    MEDIUM = pb.RISK_LEVEL_MEDIUM
    HIGH = pb.RISK_LEVEL_HIGH


@strawberry.enum(description="A place in the three-tier network (district → town → village).")
class NetworkRole(Enum):
    SUPERVISOR = strawberry.enum_value(pb.NETWORK_ROLE_SUPERVISOR, description="儿童督导员, per town/street")
    DIRECTOR = strawberry.enum_value(
        pb.NETWORK_ROLE_DIRECTOR, description="儿童主任, one per village/community"
    )


@strawberry.enum(description="How visit compliance figures are grouped.")
class ComplianceGrouping(Enum):
    VILLAGE = pb.COMPLIANCE_GROUPING_VILLAGE
    TOWN = pb.COMPLIANCE_GROUPING_TOWN
    DIRECTOR = pb.COMPLIANCE_GROUPING_DIRECTOR


@strawberry.type(description="Monthly home-visit compliance of one group (or the total), today.")
class ComplianceRow:
    key: str = strawberry.field(description="Village or town code, or the director's subject.")
    name: str = strawberry.field(description="Region name, or the director's name.")
    in_programme: int = strawberry.field(description="Children in the visit programme today.")
    up_to_date: int
    overdue: int
    rate: float | None = strawberry.field(
        description="upToDate / inProgramme; null when nobody is in the programme (no rate, not 100%)."
    )

    @classmethod
    def from_pb(cls, m: pb.ComplianceRow) -> ComplianceRow:
        """The GraphQL row of a reply."""
        return cls(
            key=m.key,
            name=m.name,
            in_programme=m.in_programme,
            up_to_date=m.up_to_date,
            overdue=m.overdue,
            rate=m.rate if m.HasField("rate") else None,
        )


@strawberry.type(description="Visit compliance in your regions (or one region inside them).")
class VisitCompliance:
    rows: list[ComplianceRow]
    total: ComplianceRow
    as_of: date = strawberry.field(description="The day the figures are computed for (Asia/Shanghai).")


@strawberry.type(description="A town supervisor (督导员) or village child director (儿童主任) in office.")
class NetworkMember:
    id: strawberry.ID
    role: NetworkRole
    subject: str = strawberry.field(
        description="The person's login (token subject); visits are attributed to it."
    )
    name: str
    contact: str | None
    region_code: str = strawberry.field(
        description="Town code for a supervisor, village code for a director."
    )
    assigned_on: date | None
    child_count: int = strawberry.field(description="Children under this member (their village's or town's).")

    @strawberry.field(
        description="Visit compliance of this director (all their villages) or this supervisor's town, "
        "within your regions; null when none of their children is in the visit programme. "
        "Across a list, one service call."
    )
    async def compliance(self, info: Info) -> ComplianceRow | None:
        if self.role is NetworkRole.DIRECTOR:
            key = ComplianceKey(pb.COMPLIANCE_GROUPING_DIRECTOR, self.subject)
        else:
            key = ComplianceKey(pb.COMPLIANCE_GROUPING_TOWN, self.region_code)
        row = await info.context.loaders.compliance.load(key)
        return ComplianceRow.from_pb(row) if row is not None else None

    @classmethod
    def from_pb(cls, m: pb.NetworkMember) -> NetworkMember:
        """The GraphQL member of a reply."""
        return cls(
            id=strawberry.ID(to_base64("NetworkMember", m.id)),
            role=NetworkRole(m.role),
            subject=m.subject,
            name=m.name,
            contact=m.contact or None,
            region_code=m.region_code,
            assigned_on=day(m.assigned_on),
            child_count=m.child_count,
        )


@strawberry.type(description="Supervisors and directors in office in your regions (or one inside them).")
class ChildWelfareNetwork:
    supervisors: list[NetworkMember]
    directors: list[NetworkMember]


@strawberry.type(description="A village with registered children but no child director.")
class VillageWithoutDirector:
    region_code: str
    child_count: int


@strawberry.type(description="A guardian of a child.")
class Guardian:
    name: str
    relation: GuardianRelation
    contact: str | None
    is_primary: bool


@strawberry.type(description="A period in one protection category; the history is kept.")
class CategoryPeriod:
    category: ProtectionCategory
    effective_from: date
    effective_to: date | None = strawberry.field(description="Null while the period is current.")
    reason: str | None


@strawberry.type(description="One child's file (一人一档).")
class Child(relay.Node):
    id: relay.NodeID[str]
    id_number: str = strawberry.field(
        description="Masked (330109********123X) unless your role may see ID numbers; reads are audited."
    )
    name: str
    sex: str = strawberry.field(description='"M" or "F", from the ID number.')
    birth_date: date | None = strawberry.field(
        description="Only with the ID number in clear: it is the masked middle of the number."
    )
    age: int = strawberry.field(description="Full years today.")
    adult: bool = strawberry.field(
        description="True from the 18th birthday: the child has left the programmes."
    )
    region_code: str = strawberry.field(description="12-digit village code.")
    category: ProtectionCategory
    category_since: date
    category_history: list[CategoryPeriod]
    guardians: list[Guardian]
    director: NetworkMember | None = strawberry.field(description="The village's child director, if any.")
    in_visit_programme: bool = strawberry.field(
        description="Whether the category requires monthly home visits and the child is under 18."
    )
    last_visit_on: date | None
    visit_due_on: date | None = strawberry.field(
        description="From the last visit (or the category start) and the cadence; null outside the programme."
    )
    visit_overdue: bool
    registered_at: datetime | None

    @strawberry.field(description="Home visits to this child, newest first. Across a list, one call.")
    async def visits(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> Annotated[VisitConnection, strawberry.lazy(PAGES)]:
        from gateway.schema.childwelfare_pages import child_visits  # here: that module imports this one

        return await child_visits(info, self.id, first, after)

    @strawberry.field(
        description="Basic living allowance paid to this child, newest month first. Across a list, one call."
    )
    async def allowance_payments(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description=f"1..{MAX_FIRST}")] = DEFAULT_FIRST,
        after: str | None = None,
    ) -> Annotated[AllowancePaymentConnection, strawberry.lazy(PAGES)]:
        from gateway.schema.childwelfare_pages import child_payments  # here: that module imports this one

        return await child_payments(info, self.id, first, after)

    @classmethod
    def from_pb(cls, m: pb.Child) -> Child:
        """The GraphQL child of a reply."""
        return cls(
            id=m.id,
            id_number=m.id_number,
            name=m.name,
            sex=m.sex,
            birth_date=date.fromisoformat(m.birth_date) if m.birth_date else None,
            age=m.age,
            adult=m.adult,
            region_code=m.region_code,
            category=ProtectionCategory(m.category),
            category_since=date.fromisoformat(m.category_since),
            category_history=[
                CategoryPeriod(
                    category=ProtectionCategory(p.category),
                    effective_from=date.fromisoformat(p.effective_from),
                    effective_to=day(p.effective_to),
                    reason=p.reason or None,
                )
                for p in m.category_history
            ],
            guardians=[
                Guardian(
                    name=g.name,
                    relation=GuardianRelation(g.relation),
                    contact=g.contact or None,
                    is_primary=g.is_primary,
                )
                for g in m.guardians
            ],
            director=NetworkMember.from_pb(m.director) if m.HasField("director") else None,
            in_visit_programme=m.in_visit_programme,
            last_visit_on=day(m.last_visit_on),
            visit_due_on=day(m.visit_due_on),
            visit_overdue=m.visit_overdue,
            registered_at=timestamp(m, "registered_at"),
        )


@strawberry.type(description="Children, a page at a time (forward pagination with first/after).")
class ChildConnection(relay.Connection[Child]):
    total_count: int = strawberry.field(description="Children matching the filter, across all pages.")


@strawberry.type(description="A home visit to a child.")
class Visit:
    id: strawberry.ID
    child_id: strawberry.ID
    region_code: str
    visited_on: date
    visited_by: str = strawberry.field(description="Subject (login) of who visited.")
    living_conditions: str
    schooling: str
    guardianship: str
    risk_level: RiskLevel
    notes: str
    recorded_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Visit) -> Visit:
        """The GraphQL visit of a reply."""
        return cls(
            id=strawberry.ID(to_base64("Visit", m.id)),
            child_id=strawberry.ID(to_base64("Child", m.child_id)),
            region_code=m.region_code,
            visited_on=date.fromisoformat(m.visited_on),
            visited_by=m.visited_by,
            living_conditions=m.living_conditions,
            schooling=m.schooling,
            guardianship=m.guardianship,
            risk_level=RiskLevel(m.risk_level),
            notes=m.notes,
            recorded_at=timestamp(m, "recorded_at"),
        )
