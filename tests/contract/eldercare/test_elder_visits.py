"""Monthly visits to vulnerable elders over gRPC: recording and listing visits, overdue computed for the
day asked about, compliance per village, and the overdue scan publishing elder-visit-overdue exactly
once per elder, period and escalation level (read back from JetStream), across restarts and replicas.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date

import grpc
import pytest
import sqlalchemy as sa
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as pb

from services.eldercare import demo_elders
from services.eldercare.elder_overdue import ScanResult, scan_overdue
from services.eldercare.elder_policy import load_visit_policy
from services.eldercare.events import ELDER_VISIT_OVERDUE
from services.kit.auth import Role, TokenCodec
from services.kit.idcard import mask_id_number
from services.kit.visits import overdue_event_id
from tests.contract.eldercare.conftest import (
    ADMIN,
    CODEC,
    SECRET,
    TOWN,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)
from tests.contract.eldercare.elder_support import (
    OTHER_VILLAGE,
    VILLAGE,
    VILLAGE_2,
    Elders,
    assess,
    at,
    elder_number,
    es,
    events_about,
    get,
    list_all,
    register,
    scan,
    start_process,
    visit,
)

__all__ = ["es"]  # the fixture, imported so pytest finds it

GRID_WORKER = CODEC.mint("grid-xianghu", roles=[Role.VILLAGE_DIRECTOR], regions=[VILLAGE])


def _levels(events: dict[str, list[dict[str, object]]]) -> dict[str, list[str]]:
    return {e: [ev["data"]["escalation_level"] for ev in evs] for e, evs in events.items()}  # type: ignore[index]


async def test_a_visit_moves_the_due_date_and_visits_list_newest_first(es: Elders) -> None:
    made = await register(es, elder_number(101))  # 15 June: due 31 July
    es.clock.now = at(date(2025, 7, 20))
    recorded = await visit(es, made.id, "2025-07-18", token=GRID_WORKER)
    assert recorded.visitor.region_code == VILLAGE and recorded.risk_level == pb.VISIT_RISK_LEVEL_LOW
    await visit(es, made.id, "2025-07-02")  # entered late for an earlier day: moves nothing back
    elder = await get(es, made.id)
    assert (elder.last_visit_on, elder.visit_due_on, elder.visit_overdue) == (
        "2025-07-18",
        "2025-08-31",
        False,
    )

    first = await es.stub.ListElderVisits(
        pb.ListElderVisitsRequest(elder_id=made.id, page=common_pb2.PageRequest(page_size=1)),
        metadata=md(VIEWER),
    )
    assert [v.visited_on for v in first.visits] == ["2025-07-18"] and first.page_info.total_count == 2
    rest = await es.stub.ListElderVisits(
        pb.ListElderVisitsRequest(
            elder_id=made.id,
            page=common_pb2.PageRequest(page_size=1, page_token=first.page_info.next_page_token),
        ),
        metadata=md(VIEWER),
    )
    assert [v.visited_on for v in rest.visits] == ["2025-07-02"] and not rest.page_info.next_page_token


@pytest.mark.parametrize(
    ("on", "visitor_region", "field"),
    [
        ("2025-06-16", VILLAGE, "visited_on"),  # tomorrow
        ("", VILLAGE, "visited_on"),
        ("2025-06-10", VILLAGE_2, "visitor.region_code"),  # another village's worker
        ("2025-06-10", OTHER_VILLAGE, "visitor.region_code"),
        ("2025-06-10", "33010900100", "visitor.region_code"),  # not a region code
    ],
)
async def test_bad_visits_name_the_field_and_write_nothing(
    es: Elders, on: str, visitor_region: str, field: str
) -> None:
    made = await register(es, elder_number(102))
    before = await es.counts()
    error = await rpc_error(visit(es, made.id, on, visitor_region=visitor_region))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and field in violated_fields(error)
    assert await es.counts() == before
    assert (await get(es, made.id)).last_visit_on == ""


async def test_a_town_worker_may_visit_any_elder_of_the_town_and_a_viewer_none(es: Elders) -> None:
    made = await register(es, elder_number(103), region=VILLAGE_2)
    assert (await visit(es, made.id, "2025-06-14", visitor_region=TOWN)).visitor.region_code == TOWN
    denied = await rpc_error(visit(es, made.id, "2025-06-14", token=VIEWER))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    # The grid worker of another village does not see this elder at all.
    hidden = await rpc_error(visit(es, made.id, "2025-06-14", token=GRID_WORKER))
    assert hidden.code() == grpc.StatusCode.NOT_FOUND


async def test_overdue_is_computed_for_the_day_asked_and_counted_per_village(es: Elders) -> None:
    late = await register(es, elder_number(104))
    visited = await register(es, elder_number(105))
    await register(es, elder_number(106), region=VILLAGE_2)
    await register(es, elder_number(107), living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)  # not in the programme
    es.clock.now = at(date(2025, 7, 31))  # the due day itself: on time
    assert await list_all(es, visit_overdue_only=True) == []
    await visit(es, visited.id, "2025-07-30")
    es.clock.now = at(date(2025, 8, 1))
    assert {e.id for e in await list_all(es, visit_overdue_only=True, region_code=VILLAGE)} == {late.id}
    elder = await get(es, late.id)
    assert (elder.visit_overdue, elder.days_overdue, elder.visit_due_on) == (True, 1, "2025-07-31")

    compliance = await es.stub.GetElderVisitCompliance(
        pb.GetElderVisitComplianceRequest(), metadata=md(VIEWER)
    )
    rows = {v.region_code: (v.vulnerable, v.overdue, round(v.rate, 2)) for v in compliance.villages}
    assert rows == {VILLAGE: (2, 1, 0.5), VILLAGE_2: (1, 1, 0.0)}
    assert (compliance.vulnerable, compliance.overdue, round(compliance.rate, 2)) == (3, 2, 0.33)
    empty = await es.stub.GetElderVisitCompliance(
        pb.GetElderVisitComplianceRequest(region_code=OTHER_VILLAGE), metadata=md(ADMIN)
    )
    assert list(empty.villages) == [] and not empty.HasField("rate")


async def test_overdue_elders_are_announced_once_per_level_until_visited(es: Elders) -> None:
    number = elder_number(110)
    late = await register(es, number)
    visited = await register(es, elder_number(111), region=VILLAGE_2)
    family = await register(es, elder_number(112), living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
    disabled = await register(es, elder_number(113), living=pb.LIVING_ARRANGEMENT_WITH_FAMILY)
    await assess(es, disabled.id, pb.CAPABILITY_LEVEL_SEVERE, "2025-06-10")
    ids = [late.id, visited.id, family.id, disabled.id]

    es.clock.now = at(date(2025, 7, 31))
    assert await scan(es.process) == ScanResult(0, 0)
    es.clock.now = at(date(2025, 8, 1))
    assert (await scan(es.process)).published == 3
    assert (await scan(es.process)).published == 0  # a second scan announces nothing new
    events = await events_about(es, ELDER_VISIT_OVERDUE, ids)
    assert _levels(events) == {
        late.id: ["village"],
        visited.id: ["village"],
        family.id: [],
        disabled.id: ["village"],
    }
    [event] = events[late.id]
    assert event["id"] == overdue_event_id(ELDER_VISIT_OVERDUE.type, late.id, "2025-07", "village")
    assert event["type"] == "civic.eldercare.elder-visit-overdue.v1"
    assert event["data"] | {"at": None} == {  # type: ignore[operator]
        "elder_id": late.id,
        "elder_id_masked": mask_id_number(number),
        "region_code": VILLAGE,
        "town_code": TOWN,
        "at": None,
        "due_on": "2025-07-31",
        "days_overdue": 1,
        "escalation_level": "village",
        "period": "2025-07",
        "reasons": ["alone"],
    }
    assert number not in json.dumps(event)
    assert events[disabled.id][0]["data"]["reasons"] == ["disabled"]  # type: ignore[index]

    es.clock.now = at(date(2025, 8, 2))
    await visit(es, visited.id, "2025-08-02", visitor_region=VILLAGE_2)
    es.clock.now = at(date(2025, 8, 6))  # day 6: still the village's
    assert (await scan(es.process)).published == 0
    es.clock.now = at(date(2025, 8, 7))  # day 7: the town's
    assert (await scan(es.process)).published == 2
    es.clock.now = at(date(2025, 8, 14))  # day 14: the district's
    assert (await scan(es.process)).published == 2
    levels = _levels(await events_about(es, ELDER_VISIT_OVERDUE, ids))
    assert levels[late.id] == ["village", "town", "district"] and levels[visited.id] == ["village"]


async def test_a_restarted_service_does_not_announce_a_period_again(es: Elders) -> None:
    late = await register(es, elder_number(120))
    es.clock.now = at(date(2025, 8, 1))
    assert (await scan(es.process)).published == 1
    await es.process.stop(grace_s=1)
    restarted = start_process(es.settings, es.clock)
    await restarted.start()
    try:
        assert restarted.ctx is not None
        async with restarted.ctx.db.unit_of_work() as session:  # what housekeeping does days later
            await session.exec(sa.text("DELETE FROM outbox WHERE published_at IS NOT NULL"))  # type: ignore[call-overload]
        es.clock.now = at(date(2025, 8, 3))
        assert (await scan(restarted)).published == 0
        events = await events_about(es, ELDER_VISIT_OVERDUE, [late.id], process=restarted)
        assert _levels(events) == {late.id: ["village"]}
    finally:
        await restarted.stop(grace_s=1)


async def test_concurrent_scans_on_two_replicas_announce_each_elder_once(es: Elders) -> None:
    elders = [await register(es, elder_number(130 + i)) for i in range(6)]
    es.clock.now = at(date(2025, 8, 1))
    replica = start_process(es.settings, es.clock)
    await replica.start()
    try:
        results = await asyncio.gather(scan(es.process), scan(replica), scan(es.process), scan(replica))
    finally:
        await replica.stop(grace_s=5)
    assert sum(r.published for r in results) == len(elders)
    events = await events_about(es, ELDER_VISIT_OVERDUE, [e.id for e in elders])
    assert _levels(events) == {e.id: ["village"] for e in elders}
    assert await es.count("elder_overdue_notice") == len(elders)


async def test_leaving_the_programme_stops_the_announcements(es: Elders) -> None:
    made = await register(es, elder_number(140))
    es.clock.now = at(date(2025, 7, 20))
    await es.stub.UpdateElder(
        pb.UpdateElderRequest(id=made.id, living_arrangement=pb.LIVING_ARRANGEMENT_WITH_FAMILY),
        metadata=md(ADMIN),
    )
    es.clock.now = at(date(2025, 8, 20))
    assert await scan(es.process) == ScanResult(0, 0)
    assert (await get(es, made.id)).visit_due_on == ""


async def test_the_demo_converges_and_has_some_elders_overdue(es: Elders) -> None:
    today = date(2025, 6, 15)  # the service's day
    codec = TokenCodec(SECRET)
    await demo_elders.load(es.channel, codec, today=today)
    elders = await list_all(es, token=VIEWER)
    assert len(elders) == 12 * demo_elders.ELDERS_PER_VILLAGE
    vulnerable = [e for e in elders if e.vulnerability]
    overdue = [e for e in vulnerable if e.visit_overdue]
    assert 0 < len(overdue) < len(vulnerable) < len(elders)
    assert any(e.capability_level for e in elders)
    before = await es.counts()
    await demo_elders.load(es.channel, codec, today=today)
    assert await es.counts() == before  # a second run adds nothing (and its masked reads audit nothing)


async def test_a_scan_in_small_pages_announces_everyone_once(es: Elders) -> None:
    elders = [await register(es, elder_number(150 + i)) for i in range(5)]
    assert es.process.ctx is not None
    now = at(date(2025, 8, 1))
    first = await scan_overdue(es.process.ctx.db, policy=load_visit_policy(), now=now, page_size=2)
    again = await scan_overdue(es.process.ctx.db, policy=load_visit_policy(), now=now, page_size=2)
    assert (first, again) == (ScanResult(5, 5), ScanResult(0, 0))
    assert _levels(await events_about(es, ELDER_VISIT_OVERDUE, [e.id for e in elders])) == {
        e.id: ["village"] for e in elders
    }
