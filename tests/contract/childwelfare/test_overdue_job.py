"""The overdue scan: child-visit-overdue once per child, period and level, however often and wherever it runs.

The job is the one the service schedules (``spec.jobs``), run by hand with the service's movable clock;
what counts is what reaches the CIVIC stream, read back from JetStream per child.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

import nats
import pytest
import sqlalchemy as sa
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy

from services.childwelfare.events import CHILD_VISIT_OVERDUE
from services.childwelfare.jobs import ScanResult
from services.childwelfare.spec import make_spec
from services.kit.idcard import mask_id_number
from services.kit.service import ServiceProcess
from services.kit.visits import overdue_event_id
from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR_2,
    TOWN,
    VILLAGE,
    VILLAGE_2,
    ChildWelfare,
    assign_director,
    child_number,
    md,
    register,
    visit,
)

SINCE = "2025-05-02"  # in the programme from here: the first visit is due by 30 June 2025


def _at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def _network(cw: ChildWelfare) -> None:
    await assign_director(cw, VILLAGE, "director-xianghu")
    await assign_director(cw, VILLAGE_2, "director-yujiatan")
    await cw.stub.AssignSupervisor(
        pb.AssignSupervisorRequest(region_code=TOWN, subject="supervisor-cx", name="周督导"),
        metadata=md(ADMIN),
    )


async def scan(process: ServiceProcess) -> ScanResult:
    """Run the service's own overdue-scan job once (as its scheduler would)."""
    assert process.ctx is not None
    [job] = [j for j in process.spec.jobs(process.ctx) if j.name == "childwelfare-overdue-scan"]
    result = await job.run()
    assert isinstance(result, ScanResult)
    return result


async def _published(cw: ChildWelfare) -> None:
    """Wait until the relay has published every outbox row (so the stream holds them)."""
    assert cw.process.ctx is not None
    for _ in range(200):
        async with cw.process.ctx.db.read() as session:
            pending = (
                await session.exec(sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))  # type: ignore[call-overload]
            ).scalar_one()
        if pending == 0:
            return
        cw.process.ctx.notify_outbox()
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox was not published")


async def overdue_events(cw: ChildWelfare, child_ids: Iterable[str]) -> dict[str, list[dict[str, object]]]:
    """Every child-visit-overdue CloudEvent on the CIVIC stream about the children, by child id."""
    await _published(cw)
    wanted = set(child_ids)
    found: dict[str, list[dict[str, object]]] = {c: [] for c in wanted}
    nc = await nats.connect(cw.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            CHILD_VISIT_OVERDUE.subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        while True:
            try:
                msg = await sub.next_msg(timeout=2.0)
            except NatsTimeout:
                break
            body = json.loads(msg.data)
            assert msg.headers and msg.headers.get("Nats-Msg-Id") == body["id"]
            if body["subject"] in wanted:
                found[body["subject"]].append(body)
            if msg.metadata.num_pending == 0:
                break
        await sub.unsubscribe()
    finally:
        await nc.close()
    return found


def _levels(events: dict[str, list[dict[str, object]]]) -> dict[str, list[str]]:
    return {c: [e["data"]["escalation_level"] for e in evs] for c, evs in events.items()}  # type: ignore[index]


async def test_overdue_children_are_announced_once_per_level_until_visited_or_adult(cw: ChildWelfare) -> None:
    await _network(cw)
    number_a = child_number(71)
    late = await register(cw, number_a, since=SINCE)
    visited = await register(
        cw, child_number(72), region=VILLAGE_2, category=pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED, since=SINCE
    )
    turns_18 = await register(cw, child_number(73, born=date(2007, 7, 3)), since=SINCE)
    not_in_programme = await register(
        cw, child_number(74), category=pb.PROTECTION_CATEGORY_DIBAO_FAMILY, since=SINCE
    )
    not_yet_due = await register(cw, child_number(75), since="2025-06-10")
    ids = [c.id for c in (late, visited, turns_18, not_in_programme, not_yet_due)]

    cw.clock.now = _at(date(2025, 6, 30))  # the due day itself: on time
    assert await scan(cw.process) == ScanResult(0, 0)

    cw.clock.now = _at(date(2025, 7, 1))
    assert (await scan(cw.process)).published == 3
    assert (await scan(cw.process)).published == 0  # a second scan announces nothing new
    events = await overdue_events(cw, ids)
    assert _levels(events) == {
        late.id: ["village"],
        visited.id: ["village"],
        turns_18.id: ["village"],
        not_in_programme.id: [],
        not_yet_due.id: [],
    }
    [event] = events[late.id]
    assert event["id"] == overdue_event_id(CHILD_VISIT_OVERDUE.type, late.id, "2025-06", "village")
    assert event["type"] == "civic.childwelfare.child-visit-overdue.v1" and event["region"] == VILLAGE
    assert event["data"] | {"at": None} == {
        "child_id": late.id,
        "child_id_masked": mask_id_number(number_a),
        "region_code": VILLAGE,
        "town_code": TOWN,
        "category": "left_behind",
        "at": None,
        "due_on": "2025-06-30",
        "days_overdue": 1,
        "escalation_level": "village",
        "director_subject": "director-xianghu",
        "supervisor_subject": "supervisor-cx",
        "period": "2025-06",
    }
    assert number_a not in json.dumps(event)

    # A visit stops the announcements for that child; the 18th birthday (3 July) takes the other out.
    cw.clock.now = _at(date(2025, 7, 2))
    await visit(cw, visited.id, "2025-07-02", token=DIRECTOR_2)
    cw.clock.now = _at(date(2025, 7, 6))  # day 6: still the village's
    assert (await scan(cw.process)).published == 0
    cw.clock.now = _at(date(2025, 7, 7))  # day 7: the town supervisor's
    assert (await scan(cw.process)).published == 1
    assert (await scan(cw.process)).published == 0
    events = await overdue_events(cw, ids)
    assert _levels(events)[late.id] == ["village", "town"]
    assert _levels(events)[visited.id] == ["village"] and _levels(events)[turns_18.id] == ["village"]
    town_event = events[late.id][1]["data"]
    assert town_event["days_overdue"] == 7 and town_event["period"] == "2025-06"  # type: ignore[index]

    cw.clock.now = _at(date(2025, 7, 14))  # day 14: the district's
    assert (await scan(cw.process)).published == 1
    assert _levels(await overdue_events(cw, [late.id]))[late.id] == ["village", "town", "district"]


async def test_a_pruned_outbox_does_not_announce_a_period_again(cw: ChildWelfare) -> None:
    child = await register(cw, child_number(81), since=SINCE)
    cw.clock.now = _at(date(2025, 7, 1))
    assert (await scan(cw.process)).published == 1
    await _published(cw)
    assert cw.process.ctx is not None
    async with cw.process.ctx.db.unit_of_work() as session:  # what housekeeping does days later
        await session.exec(sa.text("DELETE FROM outbox"))  # type: ignore[call-overload]
    cw.clock.now = _at(date(2025, 7, 3))
    assert (await scan(cw.process)).published == 0
    assert _levels(await overdue_events(cw, [child.id])) == {child.id: ["village"]}


async def test_a_scan_after_downtime_announces_the_current_level_only(cw: ChildWelfare) -> None:
    child = await register(cw, child_number(82), since=SINCE)
    cw.clock.now = _at(date(2025, 7, 20))
    assert (await scan(cw.process)).published == 1
    [event] = (await overdue_events(cw, [child.id]))[child.id]
    assert event["data"]["escalation_level"] == "district" and event["data"]["days_overdue"] == 20  # type: ignore[index]
    assert event["data"]["director_subject"] is None  # no director in the village yet: said so, not hidden  # type: ignore[index]


async def test_concurrent_scans_on_two_replicas_announce_each_child_once(cw: ChildWelfare) -> None:
    await _network(cw)
    born = [await register(cw, child_number(90 + i), since=SINCE) for i in range(6)]
    cw.clock.now = _at(date(2025, 7, 1))
    replica = ServiceProcess(make_spec(clock=cw.clock), cw.process.settings)
    await replica.start()  # its scheduler runs a scan at start too, concurrently with the ones below
    try:
        results = await asyncio.gather(scan(cw.process), scan(replica), scan(cw.process), scan(replica))
    finally:
        await replica.stop(grace_s=5)
    assert sum(r.published for r in results) <= len(born)
    events = await overdue_events(cw, [c.id for c in born])
    assert _levels(events) == {c.id: ["village"] for c in born}
    assert await cw.count("overdue_notice") == len(born)
    assert await cw.count("outbox") == len(born) + len(born)  # registrations + one overdue each


@pytest.mark.parametrize("day", [date(2025, 7, 1), date(2025, 7, 10)])
async def test_only_masked_id_numbers_leave_the_service(cw: ChildWelfare, day: date) -> None:
    numbers = [child_number(100 + i) for i in range(3)]
    kids = [await register(cw, n, since=SINCE) for n in numbers]
    cw.clock.now = _at(day)
    await scan(cw.process)
    events = await overdue_events(cw, [k.id for k in kids])
    for kid, number in zip(kids, numbers, strict=True):
        [event] = events[kid.id]
        assert event["data"]["child_id_masked"] == mask_id_number(number)  # type: ignore[index]
        assert number not in json.dumps(event)
