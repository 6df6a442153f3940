"""Adoption, children's home and protection station types, built from ChildFacilitiesService replies."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from minzheng.childwelfare.v1 import facilities_pb2 as pb
from strawberry import relay

from gateway.schema.common import day, timestamp


@strawberry.enum(description="Where an adoption registration (收养登记) stands.")
class AdoptionStatus(Enum):
    APPLIED = strawberry.enum_value(pb.ADOPTION_STATUS_APPLIED, description="申请, awaiting assessment")
    ASSESSED = strawberry.enum_value(pb.ADOPTION_STATUS_ASSESSED, description="收养评估 recorded")
    REGISTERED = strawberry.enum_value(pb.ADOPTION_STATUS_REGISTERED, description="登记, certificate issued")
    REFUSED = strawberry.enum_value(pb.ADOPTION_STATUS_REFUSED, description="不予登记")
    WITHDRAWN = strawberry.enum_value(pb.ADOPTION_STATUS_WITHDRAWN, description="撤回申请")


@strawberry.enum(description="Outcome of the adoption assessment (收养评估).")
class AssessmentResult(Enum):
    SUITABLE = pb.ASSESSMENT_RESULT_SUITABLE
    UNSUITABLE = pb.ASSESSMENT_RESULT_UNSUITABLE


@strawberry.enum(description="How an adopter is related to the child (decides the Civil Code exemptions).")
class AdopterRelation(Enum):
    STEP_PARENT = strawberry.enum_value(
        pb.ADOPTER_RELATION_STEP_PARENT, description="继父母: need only be adults (民法典 第1103条)."
    )
    RELATIVE = strawberry.enum_value(
        pb.ADOPTER_RELATION_RELATIVE,
        description="Collateral relative of the same generation within three generations (第1099条).",
    )
    OTHER = pb.ADOPTER_RELATION_OTHER


@strawberry.enum(description="How an open adoption ends.")
class AdoptionOutcome(Enum):
    REGISTER = strawberry.enum_value(
        pb.ADOPTION_OUTCOME_REGISTER, description="Only after a suitable assessment."
    )
    REFUSE = pb.ADOPTION_OUTCOME_REFUSE
    WITHDRAW = pb.ADOPTION_OUTCOME_WITHDRAW


@strawberry.enum(description="Level of a children's home (儿童之家).")
class ChildrenHomeLevel(Enum):
    BASIC = strawberry.enum_value(pb.CHILDREN_HOME_LEVEL_BASIC, description="基础型")
    DEMONSTRATION = strawberry.enum_value(pb.CHILDREN_HOME_LEVEL_DEMONSTRATION, description="示范型")


@strawberry.enum(description="Recognition of a demonstration home beyond the district.")
class DemonstrationTier(Enum):
    CITY = strawberry.enum_value(pb.DEMONSTRATION_TIER_CITY, description="市级示范型")
    PROVINCE = strawberry.enum_value(pb.DEMONSTRATION_TIER_PROVINCE, description="省级示范型")


def _tier(value: int) -> DemonstrationTier | None:
    return DemonstrationTier(value) if value else None


@strawberry.type(description="An adopter (one, or a couple).")
class Adopter:
    name: str
    id_number: str = strawberry.field(
        description="Masked unless you are a district-level role; clear reads are audited."
    )
    relation: AdopterRelation
    sex: str
    birth_date: date | None = strawberry.field(
        description="Only with the ID number in clear: it is the masked middle of the number."
    )
    age_on_application: int


@strawberry.type(description="The adoption assessment (收养评估).")
class AdoptionAssessment:
    result: AssessmentResult
    assessed_on: date
    assessed_by: str
    notes: str | None


@strawberry.type(description="An adoption registration (收养登记); district-level and sensitive.")
class Adoption(relay.Node):
    id: relay.NodeID[str]
    region_code: str
    child_id: str | None = strawberry.field(description="The child's registry file, when there is one.")
    child_id_number: str = strawberry.field(description="Masked unless you are a district-level role.")
    child_name: str
    child_birth_date: date | None = strawberry.field(
        description="Only with the ID number in clear: it is the masked middle of the number."
    )
    child_sex: str
    child_age_on_application: int
    applied_on: date
    status: AdoptionStatus
    adopters: list[Adopter]
    assessment: AdoptionAssessment | None
    decided_on: date | None = strawberry.field(description="When it was registered, refused or withdrawn.")
    certificate_number: str | None = strawberry.field(description="收养登记证 number, once registered.")
    decision_reason: str | None
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_pb(cls, m: pb.Adoption) -> Adoption:
        """The GraphQL adoption of a reply."""
        a = m.assessment
        return cls(
            id=m.id,
            region_code=m.region_code,
            child_id=m.child_id or None,
            child_id_number=m.child_id_number,
            child_name=m.child_name,
            child_birth_date=date.fromisoformat(m.child_birth_date) if m.child_birth_date else None,
            child_sex=m.child_sex,
            child_age_on_application=m.child_age_on_application,
            applied_on=date.fromisoformat(m.applied_on),
            status=AdoptionStatus(m.status),
            adopters=[
                Adopter(
                    name=p.name,
                    id_number=p.id_number,
                    relation=AdopterRelation(p.relation),
                    sex=p.sex,
                    birth_date=date.fromisoformat(p.birth_date) if p.birth_date else None,
                    age_on_application=p.age_on_application,
                )
                for p in m.adopters
            ],
            assessment=AdoptionAssessment(
                result=AssessmentResult(a.result),
                assessed_on=date.fromisoformat(a.assessed_on),
                assessed_by=a.assessed_by,
                notes=a.notes or None,
            )
            if m.HasField("assessment")
            else None,
            decided_on=day(m.decided_on),
            certificate_number=m.certificate_number or None,
            decision_reason=m.decision_reason or None,
            created_at=timestamp(m, "created_at"),
            updated_at=timestamp(m, "updated_at"),
        )


@strawberry.type(description="Adoptions, a page at a time (forward pagination with first/after).")
class AdoptionConnection(relay.Connection[Adoption]):
    total_count: int


@strawberry.type(description="A span during which a children's home held one level.")
class ChildrenHomeLevelPeriod:
    level: ChildrenHomeLevel
    tier: DemonstrationTier | None
    effective_from: date
    effective_to: date | None = strawberry.field(description="Null for the current level.")
    reason: str | None


@strawberry.type(description="A village's children's home (儿童之家).")
class ChildrenHome(relay.Node):
    id: relay.NodeID[str]
    region_code: str = strawberry.field(description="12-digit village code.")
    name: str
    level: ChildrenHomeLevel
    tier: DemonstrationTier | None = strawberry.field(description="Only on a demonstration home.")
    opened_on: date
    closed_on: date | None
    close_reason: str | None
    open: bool = strawberry.field(description="Whether it operates today.")
    level_history: list[ChildrenHomeLevelPeriod] = strawberry.field(description="Oldest first.")

    @classmethod
    def from_pb(cls, m: pb.ChildrenHome) -> ChildrenHome:
        """The GraphQL home of a reply."""
        return cls(
            id=m.id,
            region_code=m.region_code,
            name=m.name,
            level=ChildrenHomeLevel(m.level),
            tier=_tier(m.tier),
            opened_on=date.fromisoformat(m.opened_on),
            closed_on=day(m.closed_on),
            close_reason=m.close_reason or None,
            open=m.open,
            level_history=[
                ChildrenHomeLevelPeriod(
                    level=ChildrenHomeLevel(p.level),
                    tier=_tier(p.tier),
                    effective_from=date.fromisoformat(p.effective_from),
                    effective_to=day(p.effective_to),
                    reason=p.reason or None,
                )
                for p in m.level_history
            ],
        )


@strawberry.type(description="Children's homes, a page at a time (forward pagination with first/after).")
class ChildrenHomeConnection(relay.Connection[ChildrenHome]):
    total_count: int


@strawberry.type(description="A town's minors' protection station (未成年人保护工作站).")
class ProtectionStation:
    id: strawberry.ID
    region_code: str = strawberry.field(description="9-digit town code.")
    name: str
    opened_on: date
    staff_count: int
    contact: str | None

    @classmethod
    def from_pb(cls, m: pb.ProtectionStation) -> ProtectionStation:
        """The GraphQL station of a reply."""
        return cls(
            id=strawberry.ID(m.id),
            region_code=m.region_code,
            name=m.name,
            opened_on=date.fromisoformat(m.opened_on),
            staff_count=m.staff_count,
            contact=m.contact or None,
        )


@strawberry.type(description="One town's facilities today, over the villages inside your regions.")
class TownFacilityCoverage:
    town_code: str
    town_name: str
    has_station: bool
    station_name: str | None
    village_count: int
    villages_with_home: int = strawberry.field(description="Villages with a children's home open today.")
    demonstration_homes: int
    home_rate: float | None = strawberry.field(description="villagesWithHome / villageCount; null if none.")

    @classmethod
    def from_pb(cls, m: pb.TownFacilityCoverage) -> TownFacilityCoverage:
        """The GraphQL row of a reply."""
        return cls(
            town_code=m.town_code,
            town_name=m.town_name,
            has_station=m.has_station,
            station_name=m.station_name or None,
            village_count=m.village_count,
            villages_with_home=m.villages_with_home,
            demonstration_homes=m.demonstration_homes,
            home_rate=m.home_rate if m.HasField("home_rate") else None,
        )


@strawberry.type(description="Facility coverage per town in your regions, today.")
class FacilityCoverage:
    towns: list[TownFacilityCoverage]
    towns_with_station: int
    towns_with_home: int = strawberry.field(description="Towns with at least one open children's home.")
    towns_fully_covered: int = strawberry.field(description="Towns where every village has an open home.")
    as_of: date
