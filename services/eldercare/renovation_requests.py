"""Taking renovation requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from datetime import date

from minzheng.eldercare.v1 import renovation_pb2 as pb

from services.eldercare import renovation_mapping as rm
from services.eldercare import renovation_rules as rr
from services.eldercare.community_requests import Listing, check_text, listing, past_day, required
from services.eldercare.renovation import LineIn, NewPlan, Step
from services.kit.auth import Principal
from services.kit.errors import Collector

STEP_TARGETS = frozenset(
    {rr.PlanStatus.APPROVED, rr.PlanStatus.IN_PROGRESS, rr.PlanStatus.COMPLETED, rr.PlanStatus.CANCELLED}
)


def parse_add_item(request: pb.AddRenovationItemRequest) -> tuple[str, str, rr.RenovationArea, str, int]:
    """A code, a name, an area, a unit and a reference price."""
    errors = Collector()
    code = request.code.strip()
    rr.check_code(errors, "code", code)
    check_text(errors, "name", request.name, max_length=rr.MAX_ITEM_NAME_LENGTH, required=True)
    area = rm.AREA_FROM_PB.get(request.area)
    errors.check(area is not None, "area", "is required" if not request.area else "unknown")
    check_text(errors, "unit", request.unit, max_length=rr.MAX_UNIT_LENGTH, required=True)
    errors.check(
        0 <= request.reference_price_fen <= rr.MAX_ITEM_PRICE_FEN,
        "reference_price_fen",
        f"must be between 0 and {rr.MAX_ITEM_PRICE_FEN} fen",
    )
    errors.raise_if_any()
    assert area is not None
    return code, request.name.strip(), area, request.unit.strip(), request.reference_price_fen


def parse_list_items(request: pb.ListRenovationItemsRequest) -> rr.RenovationArea | None:
    """An optional area."""
    errors = Collector()
    area = rm.AREA_FROM_PB.get(request.area)
    errors.check(area is not None or request.area == pb.RENOVATION_AREA_UNSPECIFIED, "area", "unknown")
    errors.raise_if_any()
    return area


def parse_create_plan(request: pb.CreateRenovationPlanRequest, *, today: date) -> NewPlan:
    """The elder, the survey day, 1..100 lines (each item once), a subsidy share and notes."""
    errors = Collector()
    required(errors, "elder_id", request.elder_id)
    surveyed_on = past_day(errors, "surveyed_on", request.surveyed_on, today=today)
    errors.check(
        1 <= len(request.lines) <= rr.MAX_LINES, "lines", f"choose between 1 and {rr.MAX_LINES} items"
    )
    lines: list[LineIn] = []
    seen: set[str] = set()
    for n, line in enumerate(request.lines):
        at = f"lines[{n}]"
        item_id = line.item_id.strip()
        required(errors, f"{at}.item_id", item_id)
        if item_id and item_id in seen:
            errors.add(f"{at}.item_id", "is chosen twice; give one line per item with its quantity")
        seen.add(item_id)
        rr.check_line(errors, at, quantity=line.quantity, unit_price_fen=line.unit_price_fen)
        lines.append(LineIn(item_id, line.quantity, line.unit_price_fen))
    errors.check(
        0 <= request.subsidy_percent <= rr.MAX_PERCENT, "subsidy_percent", "must be between 0 and 100"
    )
    check_text(errors, "notes", request.notes, max_length=rr.MAX_NOTES_LENGTH, required=False)
    errors.raise_if_any()
    assert surveyed_on is not None
    return NewPlan(
        request.elder_id.strip(), surveyed_on, tuple(lines), request.subsidy_percent, request.notes.strip()
    )


def parse_advance(request: pb.AdvanceRenovationPlanRequest, *, today: date) -> Step:
    """The plan, the status to move to, the day and (for a cancellation) why."""
    errors = Collector()
    required(errors, "plan_id", request.plan_id)
    target = rm.STATUS_FROM_PB.get(request.to_status)
    if target is None:
        errors.add("to_status", "is required" if not request.to_status else "unknown")
    elif target not in STEP_TARGETS:
        errors.add("to_status", "must be approved, in progress, completed or cancelled")
    on = past_day(errors, "on", request.on, today=today)
    check_text(errors, "reason", request.reason, max_length=200, required=target is rr.PlanStatus.CANCELLED)
    errors.raise_if_any()
    assert target is not None and on is not None
    return Step(request.plan_id.strip(), target, on, request.reason.strip())


def parse_list_plans(
    principal: Principal, request: pb.ListRenovationPlansRequest
) -> tuple[Listing, rr.PlanStatus | None]:
    """Scopes, an optional status and the page."""
    errors = Collector()
    status = rm.STATUS_FROM_PB.get(request.status)
    errors.check(
        status is not None or request.status == pb.RENOVATION_PLAN_STATUS_UNSPECIFIED, "status", "unknown"
    )
    return listing(principal, errors, request.region_code, request.page), status
