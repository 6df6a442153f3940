"""Age-friendly renovation over the real gRPC socket, on both backends: the catalogue and household plans."""

from __future__ import annotations

from datetime import timedelta

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import renovation_pb2 as pb

from tests.contract.eldercare.community_support import (
    DISTRICT_OFFICER,
    OTHER_VILLAGE,
    Community,
    community,
)
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN_OFFICER,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
TABLES = ("renovation_item", "renovation_plan", "renovation_plan_line")
S = pb.RenovationPlanStatus


async def item(
    svc: Community,
    code: str,
    *,
    name: str = "助浴椅",
    area: pb.RenovationArea.ValueType = pb.RENOVATION_AREA_TOILET_BATHING,
    price: int = 30_000,
    token: str = ADMIN,
) -> pb.RenovationItem:
    """Add a catalogue item."""
    return await svc.renovation.AddRenovationItem(
        pb.AddRenovationItemRequest(code=code, name=name, area=area, unit="个", reference_price_fen=price),
        metadata=md(token),
    )


async def plan(
    svc: Community,
    elder_id: str,
    lines: list[pb.PlanLine],
    *,
    subsidy: int = 0,
    surveyed_on: str = "2025-06-10",
    token: str = ADMIN,
) -> pb.RenovationPlan:
    """Create a surveyed plan."""
    return await svc.renovation.CreateRenovationPlan(
        pb.CreateRenovationPlanRequest(
            elder_id=elder_id,
            surveyed_on=surveyed_on,
            lines=lines,
            subsidy_percent=subsidy,
            notes="卫生间湿滑",
        ),
        metadata=md(token),
    )


async def advance(
    svc: Community,
    plan_id: str,
    to: pb.RenovationPlanStatus.ValueType,
    *,
    on: str = "",
    reason: str = "",
    token: str = ADMIN,
) -> pb.RenovationPlan:
    """Take a plan one step."""
    return await svc.renovation.AdvanceRenovationPlan(
        pb.AdvanceRenovationPlanRequest(plan_id=plan_id, to_status=to, on=on, reason=reason),
        metadata=md(token),
    )


async def test_items_are_added_listed_by_area_and_deactivated(community: Community) -> None:
    chair = await item(community, "TB-01")
    rail = await item(
        community,
        "IM-01",
        name="走廊扶手",
        area=pb.RENOVATION_AREA_INDOOR_MOBILITY,
        price=8_000,
        token=DISTRICT_OFFICER,
    )
    listed = await community.renovation.ListRenovationItems(
        pb.ListRenovationItemsRequest(), metadata=md(VIEWER)
    )
    assert {i.code for i in listed.items} == {"TB-01", "IM-01"}
    bathing = await community.renovation.ListRenovationItems(
        pb.ListRenovationItemsRequest(area=pb.RENOVATION_AREA_TOILET_BATHING), metadata=md(VIEWER)
    )
    assert [i.id for i in bathing.items] == [chair.id]
    gone = await community.renovation.DeactivateRenovationItem(
        pb.DeactivateRenovationItemRequest(item_id=rail.id), metadata=md(ADMIN)
    )
    assert not gone.active
    active = await community.renovation.ListRenovationItems(
        pb.ListRenovationItemsRequest(), metadata=md(VIEWER)
    )
    assert [i.code for i in active.items] == ["TB-01"]
    every = await community.renovation.ListRenovationItems(
        pb.ListRenovationItemsRequest(include_inactive=True), metadata=md(VIEWER)
    )
    assert len(every.items) == 2
    error = await rpc_error(
        community.renovation.DeactivateRenovationItem(
            pb.DeactivateRenovationItemRequest(item_id=rail.id), metadata=md(ADMIN)
        )
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_the_catalogue_is_changed_only_by_district_roles_and_codes_are_unique(
    community: Community,
) -> None:
    error = await rpc_error(item(community, "TB-01", token=TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    await item(community, "TB-01")
    error = await rpc_error(item(community, "TB-01", name="另一个"))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    before = await community.counts(*TABLES)
    error = await rpc_error(
        community.renovation.AddRenovationItem(
            pb.AddRenovationItemRequest(code="bad code!", name="", unit="", reference_price_fen=-1),
            metadata=md(ADMIN),
        )
    )
    assert violated_fields(error) == {"code", "name", "area", "unit", "reference_price_fen"}
    assert await community.counts(*TABLES) == before


async def test_a_plan_totals_its_lines_and_the_subsidy_share(community: Community) -> None:
    chair = await item(community, "TB-01", price=30_000)
    rail = await item(
        community, "IM-01", name="走廊扶手", area=pb.RENOVATION_AREA_INDOOR_MOBILITY, price=8_000
    )
    elder = await community.add_elder()
    made = await plan(
        community,
        elder,
        [
            pb.PlanLine(item_id=chair.id, quantity=1),
            pb.PlanLine(item_id=rail.id, quantity=3, unit_price_fen=7_333),
        ],
        subsidy=85,
    )
    assert made.status == S.RENOVATION_PLAN_STATUS_SURVEYED
    assert made.total_fen == 30_000 + 3 * 7_333
    assert made.subsidy_fen == round(made.total_fen * 0.85)  # 44,599.15 → 44,599 fen
    assert made.self_paid_fen == made.total_fen - made.subsidy_fen
    by_code = {line.item_code: line for line in made.lines}
    assert by_code["TB-01"].unit_price_fen == 30_000  # the reference price
    assert by_code["IM-01"].line_total_fen == 21_999
    assert made.region_code == "330109001001" and made.elder_name == "王秀英"


async def test_a_plan_moves_surveyed_approved_in_progress_completed_and_no_other_way(
    community: Community,
) -> None:
    chair = await item(community, "TB-01")
    elder = await community.add_elder()
    made = await plan(community, elder, [pb.PlanLine(item_id=chair.id, quantity=1)])
    error = await rpc_error(advance(community, made.id, S.RENOVATION_PLAN_STATUS_COMPLETED))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    error = await rpc_error(advance(community, made.id, S.RENOVATION_PLAN_STATUS_APPROVED, on="2025-06-09"))
    assert violated_fields(error) == {"on"}  # before the survey
    approved = await advance(community, made.id, S.RENOVATION_PLAN_STATUS_APPROVED, on="2025-06-11")
    started = await advance(community, made.id, S.RENOVATION_PLAN_STATUS_IN_PROGRESS, on="2025-06-12")
    error = await rpc_error(
        advance(community, made.id, S.RENOVATION_PLAN_STATUS_CANCELLED, reason="老人不同意")
    )
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    done = await advance(community, made.id, S.RENOVATION_PLAN_STATUS_COMPLETED)
    assert (approved.approved_on, started.started_on, done.completed_on) == (
        "2025-06-11",
        "2025-06-12",
        "2025-06-15",
    )
    assert done.status == S.RENOVATION_PLAN_STATUS_COMPLETED
    error = await rpc_error(advance(community, made.id, S.RENOVATION_PLAN_STATUS_IN_PROGRESS))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    error = await rpc_error(advance(community, made.id, S.RENOVATION_PLAN_STATUS_SURVEYED))
    assert violated_fields(error) == {"to_status"}


async def test_one_open_plan_per_household(community: Community) -> None:
    chair = await item(community, "TB-01")
    elder = await community.add_elder()
    first = await plan(community, elder, [pb.PlanLine(item_id=chair.id, quantity=1)])
    error = await rpc_error(plan(community, elder, [pb.PlanLine(item_id=chair.id, quantity=2)]))
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS
    cancelled = await advance(community, first.id, S.RENOVATION_PLAN_STATUS_CANCELLED, reason="老人住院")
    assert cancelled.cancelled_on == "2025-06-15" and "老人住院" in cancelled.notes
    second = await plan(community, elder, [pb.PlanLine(item_id=chair.id, quantity=2)])
    assert second.id != first.id


async def test_bad_plans_are_refused_naming_each_field_and_nothing_is_written(community: Community) -> None:
    chair = await item(community, "TB-01")
    old = await item(community, "TB-02", name="旧款扶手")
    await community.renovation.DeactivateRenovationItem(
        pb.DeactivateRenovationItemRequest(item_id=old.id), metadata=md(ADMIN)
    )
    elder = await community.add_elder()
    before = await community.counts(*TABLES)
    tomorrow = (community.clock.now + timedelta(days=1)).date().isoformat()
    error = await rpc_error(
        plan(
            community,
            elder,
            [
                pb.PlanLine(item_id=chair.id, quantity=0),
                pb.PlanLine(item_id=chair.id, quantity=1, unit_price_fen=-5),
            ],
            subsidy=101,
            surveyed_on=tomorrow,
        )
    )
    assert violated_fields(error) == {
        "lines[0].quantity",
        "lines[1].item_id",
        "lines[1].unit_price_fen",
        "subsidy_percent",
        "surveyed_on",
    }
    error = await rpc_error(plan(community, elder, []))
    assert violated_fields(error) == {"lines"}
    error = await rpc_error(
        plan(
            community,
            elder,
            [pb.PlanLine(item_id=old.id, quantity=1), pb.PlanLine(item_id="nope", quantity=1)],
        )
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(error) == {"lines[0].item_id", "lines[1].item_id"}
    error = await rpc_error(plan(community, "no-such-elder", [pb.PlanLine(item_id=chair.id, quantity=1)]))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert await community.counts(*TABLES) == before


async def test_plans_are_scoped_to_the_callers_regions_and_page_by_keyset(community: Community) -> None:
    chair = await item(community, "TB-01")
    mine = [await community.add_elder(sequence=n) for n in range(1, 4)]
    theirs = await community.add_elder(sequence=9, region=OTHER_VILLAGE)
    for elder in mine:
        await plan(community, elder, [pb.PlanLine(item_id=chair.id, quantity=1)], token=TOWN_OFFICER)
    error = await rpc_error(
        plan(community, theirs, [pb.PlanLine(item_id=chair.id, quantity=1)], token=TOWN_OFFICER)
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    other = await plan(community, theirs, [pb.PlanLine(item_id=chair.id, quantity=1)])
    error = await rpc_error(
        community.renovation.GetRenovationPlan(
            pb.GetRenovationPlanRequest(id=other.id), metadata=md(TOWN_OFFICER)
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(
        advance(community, other.id, S.RENOVATION_PLAN_STATUS_APPROVED, token=TOWN_OFFICER)
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    seen: list[str] = []
    token = ""
    while True:
        page = await community.renovation.ListRenovationPlans(
            pb.ListRenovationPlansRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)),
            metadata=md(TOWN_OFFICER),
        )
        assert page.page_info.total_count == 3
        seen.extend(p.id for p in page.plans)
        token = page.page_info.next_page_token
        if not token:
            break
    assert len(set(seen)) == 3
    theirs_listed = await community.renovation.ListRenovationPlans(
        pb.ListRenovationPlansRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert [p.id for p in theirs_listed.plans] == [other.id]
    surveyed = await community.renovation.ListRenovationPlans(
        pb.ListRenovationPlansRequest(status=S.RENOVATION_PLAN_STATUS_COMPLETED), metadata=md(ADMIN)
    )
    assert surveyed.page_info.total_count == 0
