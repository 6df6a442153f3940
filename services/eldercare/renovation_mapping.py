"""Between the renovation proto messages and the catalogue and plan models."""

from __future__ import annotations

from collections.abc import Sequence

from minzheng.eldercare.v1 import renovation_pb2 as pb

from services.eldercare.community_requests import day
from services.eldercare.models import RenovationItem, RenovationPlan, RenovationPlanLine
from services.eldercare.renovation_rules import PlanStatus, RenovationArea
from services.kit.protoconv import timestamp

AREA_TO_PB: dict[RenovationArea, pb.RenovationArea.ValueType] = {
    a: pb.RenovationArea.Value(f"RENOVATION_AREA_{a.name}") for a in RenovationArea
}
AREA_FROM_PB = {v: k for k, v in AREA_TO_PB.items()}
STATUS_TO_PB: dict[PlanStatus, pb.RenovationPlanStatus.ValueType] = {
    s: pb.RenovationPlanStatus.Value(f"RENOVATION_PLAN_STATUS_{s.name}") for s in PlanStatus
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}


def item_to_pb(item: RenovationItem) -> pb.RenovationItem:
    """The wire form of a catalogue item."""
    return pb.RenovationItem(
        id=item.id,
        code=item.code,
        name=item.name,
        area=AREA_TO_PB[RenovationArea(item.area)],
        unit=item.unit,
        reference_price_fen=item.reference_price_fen,
        active=item.active,
    )


def plan_to_pb(plan: RenovationPlan, lines: Sequence[RenovationPlanLine]) -> pb.RenovationPlan:
    """The wire form of a plan with its lines (by area, then item code)."""
    return pb.RenovationPlan(
        id=plan.id,
        elder_id=plan.elder_id,
        elder_name=plan.elder_name,
        region_code=plan.region_code,
        status=STATUS_TO_PB[PlanStatus(plan.status)],
        lines=[
            pb.PlanLine(
                item_id=line.item_id,
                item_code=line.item_code,
                item_name=line.item_name,
                area=AREA_TO_PB[RenovationArea(line.area)],
                quantity=line.quantity,
                unit_price_fen=line.unit_price_fen,
                line_total_fen=line.quantity * line.unit_price_fen,
            )
            for line in lines
        ],
        total_fen=plan.total_fen,
        subsidy_percent=plan.subsidy_percent,
        subsidy_fen=plan.subsidy_fen,
        self_paid_fen=plan.total_fen - plan.subsidy_fen,
        surveyed_on=day(plan.surveyed_on),
        approved_on=day(plan.approved_on),
        started_on=day(plan.started_on),
        completed_on=day(plan.completed_on),
        cancelled_on=day(plan.cancelled_on),
        notes=plan.notes,
        created_at=timestamp(plan.created_at),
        updated_at=timestamp(plan.updated_at),
    )
