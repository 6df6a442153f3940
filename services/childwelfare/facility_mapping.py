"""Between the facilities proto messages and the adoption, children's home and station models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from minzheng.childwelfare.v1 import facilities_pb2 as pb

from services.childwelfare.facilities_coverage import TownCoverage
from services.childwelfare.facility_rules import (
    AdopterRelation,
    AdoptionStatus,
    AssessmentResult,
    CompletionOutcome,
    DemonstrationTier,
    HomeLevel,
    is_open_on,
)
from services.childwelfare.models import Adopter, AdoptionRegistration, ChildrenHome, ChildrenHomeLevel
from services.childwelfare.models import ProtectionStation as StationRow
from services.childwelfare.rules import age_on
from services.kit.idcard import mask_id_number
from services.kit.protoconv import timestamp

STATUS_TO_PB: dict[AdoptionStatus, pb.AdoptionStatus.ValueType] = {
    s: pb.AdoptionStatus.Value(f"ADOPTION_STATUS_{s.name}") for s in AdoptionStatus
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
RESULT_TO_PB: dict[AssessmentResult, pb.AssessmentResult.ValueType] = {
    r: pb.AssessmentResult.Value(f"ASSESSMENT_RESULT_{r.name}") for r in AssessmentResult
}
RESULT_FROM_PB = {v: k for k, v in RESULT_TO_PB.items()}
RELATION_TO_PB: dict[AdopterRelation, pb.AdopterRelation.ValueType] = {
    r: pb.AdopterRelation.Value(f"ADOPTER_RELATION_{r.name}") for r in AdopterRelation
}
RELATION_FROM_PB = {v: k for k, v in RELATION_TO_PB.items()}
OUTCOME_FROM_PB: dict[pb.AdoptionOutcome.ValueType, CompletionOutcome] = {
    pb.AdoptionOutcome.Value(f"ADOPTION_OUTCOME_{o.name}"): o for o in CompletionOutcome
}
LEVEL_TO_PB: dict[HomeLevel, pb.ChildrenHomeLevel.ValueType] = {
    lv: pb.ChildrenHomeLevel.Value(f"CHILDREN_HOME_LEVEL_{lv.name}") for lv in HomeLevel
}
LEVEL_FROM_PB = {v: k for k, v in LEVEL_TO_PB.items()}
TIER_TO_PB: dict[DemonstrationTier, pb.DemonstrationTier.ValueType] = {
    t: pb.DemonstrationTier.Value(f"DEMONSTRATION_TIER_{t.name}") for t in DemonstrationTier
}
TIER_FROM_PB = {v: k for k, v in TIER_TO_PB.items()}


def day(value: date | None) -> str:
    """An ISO date, or '' for none."""
    return value.isoformat() if value is not None else ""


def _tier(value: str | None) -> pb.DemonstrationTier.ValueType:
    return TIER_TO_PB[DemonstrationTier(value)] if value else pb.DEMONSTRATION_TIER_UNSPECIFIED


def _number(value: str, reveal: bool) -> str:
    return value if reveal else mask_id_number(value)


def adoption_to_pb(row: AdoptionRegistration, adopters: Sequence[Adopter], *, reveal_id: bool) -> pb.Adoption:
    """The wire form of an adoption; every ID number masked unless ``reveal_id``."""
    message = pb.Adoption(
        id=row.id,
        region_code=row.region_code,
        child_id=row.child_id or "",
        child_id_number=_number(row.child_id_number, reveal_id),
        child_name=row.child_name,
        # Birth dates are the masked middle of the ID numbers: shown with the clear numbers only.
        child_birth_date=day(row.child_birth_date) if reveal_id else "",
        child_sex=row.child_sex,
        child_age_on_application=age_on(row.child_birth_date, row.applied_on),
        applied_on=day(row.applied_on),
        status=STATUS_TO_PB[AdoptionStatus(row.status)],
        adopters=[
            pb.Adopter(
                name=a.name,
                id_number=_number(a.id_number, reveal_id),
                relation=RELATION_TO_PB[AdopterRelation(a.relation)],
                sex=a.sex,
                birth_date=day(a.birth_date) if reveal_id else "",
                age_on_application=age_on(a.birth_date, row.applied_on),
            )
            for a in sorted(adopters, key=lambda a: a.position)
        ],
        decided_on=day(row.decided_on),
        certificate_number=row.certificate_number or "",
        decision_reason=row.decision_reason,
        created_at=timestamp(row.created_at),
        updated_at=timestamp(row.updated_at),
    )
    if row.assessment_result:
        message.assessment.CopyFrom(
            pb.AdoptionAssessment(
                result=RESULT_TO_PB[AssessmentResult(row.assessment_result)],
                assessed_on=day(row.assessed_on),
                assessed_by=row.assessed_by or "",
                notes=row.assessment_notes,
            )
        )
    return message


def home_to_pb(home: ChildrenHome, history: Sequence[ChildrenHomeLevel], *, today: date) -> pb.ChildrenHome:
    """The wire form of a children's home with its level history, oldest first."""
    return pb.ChildrenHome(
        id=home.id,
        region_code=home.region_code,
        name=home.name,
        level=LEVEL_TO_PB[HomeLevel(home.level)],
        tier=_tier(home.tier),
        opened_on=day(home.opened_on),
        closed_on=day(home.closed_on),
        close_reason=home.close_reason,
        open=is_open_on(home.opened_on, home.closed_on, today),
        level_history=[
            pb.ChildrenHomeLevelPeriod(
                level=LEVEL_TO_PB[HomeLevel(p.level)],
                tier=_tier(p.tier),
                effective_from=day(p.effective_from),
                effective_to=day(p.effective_to),
                reason=p.reason,
            )
            for p in history
        ],
    )


def station_to_pb(station: StationRow) -> pb.ProtectionStation:
    """The wire form of a protection station."""
    return pb.ProtectionStation(
        id=station.id,
        region_code=station.region_code,
        name=station.name,
        opened_on=day(station.opened_on),
        staff_count=station.staff_count,
        contact=station.contact,
    )


def coverage_to_pb(town: TownCoverage) -> pb.TownFacilityCoverage:
    """One town's facility coverage."""
    row = pb.TownFacilityCoverage(
        town_code=town.town_code,
        town_name=town.town_name,
        has_station=town.station_name is not None,
        station_name=town.station_name or "",
        village_count=town.village_count,
        villages_with_home=town.villages_with_home,
        demonstration_homes=town.demonstration_homes,
    )
    if town.home_rate is not None:
        row.home_rate = town.home_rate
    return row
