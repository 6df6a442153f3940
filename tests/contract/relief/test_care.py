"""Care visits, happiness-list items, the overdue care scan and the care rates, over gRPC on both
databases: bad input names the field and writes nothing, everything is region-scoped, an overdue
household is announced once per period and level (also after a restart and across replicas)."""

# The fixtures come from care_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import json
from datetime import date

import grpc
import pytest
import sqlalchemy as sa
from minzheng.common.v1 import common_pb2
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import care_pb2 as cpb

from services.kit.visits import overdue_event_id
from services.relief.care_overdue import ScanResult
from services.relief.events import HOUSEHOLD_VISIT_OVERDUE
from tests.contract.relief.application_support import (
    DISTRICT_OFFICER,
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    outbox,
)
from tests.contract.relief.care_support import (  # noqa: F401  (fixtures)
    Care,
    at,
    care,
    granted_household,
    list_item,
    scan,
    start_process,
    visit,
)
from tests.contract.relief.conftest import (
    ADMIN,
    TOWN,
    VIEWER,
    VILLAGE,
    VILLAGE_2,
    md,
    rpc_error,
    violated_fields,
)

OVERDUE = HOUSEHOLD_VISIT_OVERDUE.type


async def levels(svc: Care, household_ids: list[str]) -> dict[str, list[str]]:
    """The escalation levels announced per household, in the order staged (read from the outbox)."""
    found: dict[str, list[str]] = {h: [] for h in household_ids}
    rows = await svc.rows(
        f"SELECT subject, data FROM outbox WHERE type = '{OVERDUE}' ORDER BY created_at, id"
    )
    for subject, data in rows:
        if subject in found:
            found[str(subject)].append(json.loads(str(data))["escalation_level"])
    return found


async def test_visits_and_list_items_are_recorded_listed_newest_first_and_audited(care: Care) -> None:
    household = await granted_household(care, 101)
    first = await visit(care, household, "2024-09-10", token=TOWN_REVIEWER)
    second = await visit(care, household, "2024-09-14", visitor_region=TOWN)
    assert first.visitor.region_code == VILLAGE and first.needs == "冬季衣物"
    assert first.recorded_by == "chengxiang-officer" and first.region_code == VILLAGE
    page = await care.care.ListVisits(
        cpb.ListVisitsRequest(household_id=household, page=common_pb2.PageRequest(page_size=1)),
        metadata=md(ADMIN),
    )
    assert [v.id for v in page.visits] == [second.id] and page.page_info.total_count == 2
    rest = await care.care.ListVisits(
        cpb.ListVisitsRequest(
            household_id=household,
            page=common_pb2.PageRequest(page_size=1, page_token=page.page_info.next_page_token),
        ),
        metadata=md(ADMIN),
    )
    assert [v.id for v in rest.visits] == [first.id] and not rest.page_info.next_page_token

    item = await list_item(care, household, "2024-09-12", kind=cpb.LIST_ITEM_KIND_COMFORT)
    assert item.kind == cpb.LIST_ITEM_KIND_COMFORT and item.delivered_by == "湘湖社区慈善工作站"
    items = await care.care.ListListItems(
        cpb.ListListItemsRequest(household_id=household), metadata=md(VIEWER)
    )
    assert [i.id for i in items.items] == [item.id]
    audited = await care.rows("SELECT action, target FROM audit_log WHERE action LIKE 'care.%' ORDER BY at")
    assert sorted(audited) == sorted([("care.visit", household)] * 2 + [("care.list_item", household)])
    # The visit clock runs from the later of the last visit and the grant's start (15 September).
    await scan(care.process)
    clocks = await care.rows("SELECT programme, last_visit_on, visit_anchor_on FROM relief_care_clock")
    assert [tuple(str(v) for v in row) for row in clocks] == [("dibao", "2024-09-14", "2024-09-15")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_on": "2024-09-16"}, "visited_on"),  # tomorrow
        ({"visited_on": "15/09/2024"}, "visited_on"),
        ({"visitor": cpb.CareVisitor(name=" ", region_code=VILLAGE)}, "visitor.name"),
        ({"visitor": cpb.CareVisitor(name="陈网格", region_code="330109")}, "visitor.region_code"),
        ({"visitor": cpb.CareVisitor(name="陈网格", region_code=VILLAGE_2)}, "visitor.region_code"),
        ({"household_id": ""}, "household_id"),
        ({"findings": "x" * 1001}, "findings"),
    ],
)
async def test_a_bad_visit_names_the_field_and_writes_nothing(care: Care, change: dict, field: str) -> None:
    household = await granted_household(care, 101)
    before = await care.care_counts()
    request = cpb.RecordVisitRequest(
        household_id=household,
        visited_on="2024-09-15",
        visitor=cpb.CareVisitor(name="陈网格", region_code=VILLAGE),
    )
    for key, value in change.items():
        if isinstance(value, cpb.CareVisitor):
            request.visitor.CopyFrom(value)
        else:
            setattr(request, key, value)
    error = await rpc_error(care.care.RecordVisit(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {field}
    assert await care.care_counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": cpb.LIST_ITEM_KIND_UNSPECIFIED}, "kind"),
        ({"kind": 99}, "kind"),
        ({"delivered_on": "2024-09-16"}, "delivered_on"),
        ({"delivered_on": ""}, "delivered_on"),
        ({"delivered_by": ""}, "delivered_by"),
    ],
)
async def test_a_bad_list_item_names_the_field_and_writes_nothing(
    care: Care, change: dict, field: str
) -> None:
    household = await granted_household(care, 101)
    before = await care.care_counts()
    fields: dict[str, object] = {
        "household_id": household,
        "kind": cpb.LIST_ITEM_KIND_MATERIAL,
        "delivered_on": "2024-09-15",
        "delivered_by": "社工",
    }
    request = cpb.RecordListItemRequest(**(fields | change))  # type: ignore[arg-type]
    error = await rpc_error(care.care.RecordListItem(request, metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {field}
    assert await care.care_counts() == before


async def test_care_is_scoped_to_the_callers_regions_and_viewers_only_read(care: Care) -> None:
    household = await granted_household(care, 101)
    before = await care.care_counts()
    for call in (
        visit(care, household, "2024-09-15", token=OTHER_TOWN_OFFICER),
        list_item(care, household, "2024-09-15", token=OTHER_TOWN_OFFICER),
        care.care.ListVisits(cpb.ListVisitsRequest(household_id=household), metadata=md(OTHER_TOWN_OFFICER)),
        care.care.ListListItems(
            cpb.ListListItemsRequest(household_id=household), metadata=md(OTHER_TOWN_OFFICER)
        ),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.NOT_FOUND
    for call in (
        visit(care, household, "2024-09-15", token=VIEWER),
        list_item(care, household, "2024-09-15", token=VIEWER),
    ):
        assert (await rpc_error(call)).code() == grpc.StatusCode.PERMISSION_DENIED
    unauthenticated = await rpc_error(care.care.ListVisits(cpb.ListVisitsRequest(household_id=household)))
    assert unauthenticated.code() == grpc.StatusCode.UNAUTHENTICATED
    assert await care.care_counts() == before


async def test_overdue_households_are_announced_once_per_level_until_visited(care: Care) -> None:
    late = await granted_household(care, 101)  # 低保 from 2024-09-15: quarterly, due by 2024-12-31
    visited = await granted_household(care, 201)
    ids = [late, visited]
    care.clock.now = at(date(2024, 12, 31))
    assert await scan(care.process) == ScanResult(0, 0)
    care.clock.now = at(date(2025, 1, 1))
    assert (await scan(care.process)).published == 2
    assert (await scan(care.process)).published == 0  # a second scan announces nothing new
    [(event_id, _subject, region, data)] = [r for r in await outbox(care, OVERDUE) if r[1] == late]
    assert event_id == overdue_event_id(OVERDUE, late, "2024-12", "village") and region == VILLAGE
    assert json.loads(str(data)) | {"at": None} == {
        "household_id": late,
        "region_code": VILLAGE,
        "town_code": TOWN,
        "programme": "dibao",
        "due_on": "2024-12-31",
        "days_overdue": 1,
        "escalation_level": "village",
        "period": "2024-12",
        "at": None,
    }

    care.clock.now = at(date(2025, 1, 2))
    await visit(care, visited, "2025-01-02")
    care.clock.now = at(date(2025, 1, 6))  # day 6: still the village's
    assert (await scan(care.process)).published == 0
    care.clock.now = at(date(2025, 1, 7))  # day 7: the town's
    assert (await scan(care.process)).published == 1
    care.clock.now = at(date(2025, 1, 14))  # day 14: the district's
    assert (await scan(care.process)).published == 1
    assert await levels(care, ids) == {late: ["village", "town", "district"], visited: ["village"]}
    assert len(await care.rows("SELECT 1 FROM relief_overdue_notice")) == 4


async def test_a_restarted_service_does_not_announce_a_period_again(care: Care) -> None:
    late = await granted_household(care, 101)
    care.clock.now = at(date(2025, 1, 1))
    assert (await scan(care.process)).published == 1
    await care.process.stop(grace_s=1)
    restarted = start_process(care.settings, care.clock)
    await restarted.start()
    try:
        assert restarted.ctx is not None
        async with restarted.ctx.db.unit_of_work() as session:  # what housekeeping does days later
            await session.exec(sa.text("DELETE FROM outbox WHERE published_at IS NOT NULL"))  # type: ignore[call-overload]
        care.clock.now = at(date(2025, 1, 3))
        assert (await scan(restarted)).published == 0
        assert await care.rows("SELECT household_id, level FROM relief_overdue_notice") == [(late, "village")]
    finally:
        await restarted.stop(grace_s=1)


async def test_concurrent_scans_on_two_replicas_announce_each_household_once(care: Care) -> None:
    households = [await granted_household(care, 101 + 10 * i) for i in range(3)]
    care.clock.now = at(date(2025, 1, 1))
    replica = start_process(care.settings, care.clock)
    await replica.start()
    try:
        results = await asyncio.gather(scan(care.process), scan(replica), scan(care.process), scan(replica))
    finally:
        await replica.stop(grace_s=5)
    assert sum(r.published for r in results) == len(households)
    assert await levels(care, households) == {h: ["village"] for h in households}


async def test_a_terminated_grant_stops_the_announcements(care: Care) -> None:
    late = await granted_household(care, 101)
    [grant_id] = [
        r[0] for r in await care.rows(f"SELECT id FROM assistance_grant WHERE household_id = '{late}'")
    ]
    await care.applications.TerminateGrant(
        apb.TerminateGrantRequest(id=str(grant_id), reason="收入超标"),
        metadata=md(DISTRICT_OFFICER),
    )
    care.clock.now = at(date(2025, 1, 20))
    assert await scan(care.process) == ScanResult(0, 0)
    assert await care.rows("SELECT 1 FROM relief_care_clock") == []


async def test_the_care_rates_per_town_count_visits_list_items_and_one_thing_applications(care: Care) -> None:
    joint = await granted_household(care, 101, "dibao", "medical")  # handled as one thing
    single = await granted_household(care, 201)
    await list_item(care, joint, "2024-09-15")

    rates = await care.care.GetCareRates(cpb.GetCareRatesRequest(year=2024), metadata=md(ADMIN))
    assert rates.reference_day == "2024-09-15" and rates.target == pytest.approx(0.9)
    [town] = rates.towns
    assert (town.town_code, town.households, town.visited, town.list_delivered, town.one_thing) == (
        TOWN,
        2,
        2,  # just granted: nothing due yet
        1,
        1,
    )
    assert (town.visited_rate, town.list_delivered_rate, town.one_thing_rate) == (1.0, 0.5, 0.5)
    assert rates.total.households == 2 and rates.total.town_code == ""

    care.clock.now = at(date(2025, 1, 2))
    await visit(care, joint, "2025-01-01")
    await list_item(care, single, "2025-01-02")
    this_year = await care.care.GetCareRates(cpb.GetCareRatesRequest(year=2025), metadata=md(TOWN_REVIEWER))
    [town] = this_year.towns
    assert (town.households, town.visited, town.list_delivered, town.one_thing) == (2, 1, 1, 1)
    assert this_year.target == pytest.approx(1.0) and this_year.reference_day == "2025-01-02"
    last_year = await care.care.GetCareRates(cpb.GetCareRatesRequest(year=2024), metadata=md(ADMIN))
    assert last_year.reference_day == "2024-12-31" and last_year.towns[0].visited == 2

    elsewhere = await care.care.GetCareRates(
        cpb.GetCareRatesRequest(year=2025), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert list(elsewhere.towns) == [] and elsewhere.total.households == 0
    assert not elsewhere.total.HasField("visited_rate")
    for year in (2020, 2026):
        error = await rpc_error(
            care.care.GetCareRates(cpb.GetCareRatesRequest(year=year), metadata=md(ADMIN))
        )
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"year"}
