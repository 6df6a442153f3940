"""Facility safety inspections over the real gRPC socket, on both backends: the hazard loop, overdue
rectifications (with a movable clock) and the ``hazard-overdue`` events of the scheduled scan."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import grpc
import nats
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import inspections_pb2 as pb
from minzheng.eldercare.v1 import meals_pb2 as mpb
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy

from services.eldercare.events import HAZARD_OVERDUE
from services.eldercare.inspection_jobs import JOB_NAME, overdue_event_id
from services.eldercare.spec import make_spec
from services.kit.service import ServiceProcess
from tests.contract.eldercare.community_support import VILLAGE, Community, community
from tests.contract.eldercare.conftest import (
    ADMIN,
    OTHER_TOWN,
    OTHER_TOWN_OFFICER,
    TOWN,
    TOWN_OFFICER,
    VIEWER,
    md,
    rpc_error,
    violated_fields,
)

__all__ = ["community"]
TABLES = ("inspection", "hazard")
H = pb.HazardStatus


def hazard(
    description: str = "厨房燃气软管老化", *, by: str = "2025-06-20", severity: int = pb.HAZARD_SEVERITY_MAJOR
) -> pb.NewHazard:
    """A hazard as an inspector records it."""
    return pb.NewHazard(description=description, severity=severity, rectify_by=by)  # type: ignore[arg-type]


async def inspect(
    svc: Community,
    facility_id: str,
    hazards: list[pb.NewHazard],
    *,
    on: str = "2025-06-13",
    token: str = ADMIN,
) -> pb.Inspection:
    """Inspect an institution."""
    return await svc.inspections.RecordInspection(
        pb.RecordInspectionRequest(
            facility_kind=pb.FACILITY_KIND_INSTITUTION,
            facility_id=facility_id,
            inspected_on=on,
            inspector="张检查",
            findings="消防通道畅通；厨房燃气存在隐患",
            hazards=hazards,
        ),
        metadata=md(token),
    )


async def rectify(svc: Community, hazard_id: str, *, on: str = "", token: str = ADMIN) -> pb.Inspection:
    """Report a hazard rectified."""
    return await svc.inspections.RecordRectification(
        pb.RecordRectificationRequest(
            hazard_id=hazard_id, rectified_on=on, evidence="更换软管，照片 IMG-0613"
        ),
        metadata=md(token),
    )


async def verify(
    svc: Community, hazard_id: str, *, accepted: bool = True, note: str = "", token: str = ADMIN
) -> pb.Inspection:
    """Verify a rectification."""
    return await svc.inspections.VerifyRectification(
        pb.VerifyRectificationRequest(
            hazard_id=hazard_id, accepted=accepted, verified_by="李复核", note=note
        ),
        metadata=md(token),
    )


async def overdue(
    svc: Community, *, token: str = ADMIN, region: str = ""
) -> pb.ListOverdueRectificationsResponse:
    """Overdue rectifications today."""
    return await svc.inspections.ListOverdueRectifications(
        pb.ListOverdueRectificationsRequest(region_code=region), metadata=md(token)
    )


async def scan(process: ServiceProcess) -> int:
    """Run the service's own hazard-overdue job once (as its scheduler would)."""
    assert process.ctx is not None
    [job] = [j for j in process.spec.jobs(process.ctx) if j.name == JOB_NAME]
    result = await job.run()
    assert isinstance(result, int)
    return result


async def test_each_hazard_is_rectified_then_verified_and_the_inspection_closes_with_the_last(
    community: Community,
) -> None:
    home = await community.add_institution()
    made = await inspect(
        community, home, [hazard(), hazard("疏散指示灯不亮", severity=pb.HAZARD_SEVERITY_MINOR)]
    )
    assert made.status == pb.INSPECTION_STATUS_OPEN
    assert made.facility_name == "城厢街道颐养院" and made.region_code == TOWN
    gas, light = made.hazards
    assert (gas.status, light.status) == (H.HAZARD_STATUS_OPEN, H.HAZARD_STATUS_OPEN)
    after = await rectify(community, gas.id, on="2025-06-14")
    assert after.hazards[0].status == H.HAZARD_STATUS_RECTIFIED
    after = await verify(community, gas.id)
    assert after.hazards[0].status == H.HAZARD_STATUS_CLOSED and after.status == pb.INSPECTION_STATUS_OPEN
    await rectify(community, light.id)
    rejected = await verify(community, light.id, accepted=False, note="仍有一处不亮")
    assert rejected.hazards[1].status == H.HAZARD_STATUS_OPEN
    assert rejected.hazards[1].verification_note == "仍有一处不亮"
    await rectify(community, light.id)
    closed = await verify(community, light.id)
    assert closed.status == pb.INSPECTION_STATUS_CLOSED and closed.closed_on == "2025-06-15"
    got = await community.inspections.GetInspection(pb.GetInspectionRequest(id=made.id), metadata=md(VIEWER))
    assert got == closed


async def test_wrong_steps_of_the_loop_are_failed_preconditions(community: Community) -> None:
    home = await community.add_institution()
    made = await inspect(community, home, [hazard()])
    [found] = made.hazards
    error = await rpc_error(verify(community, found.id))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    await rectify(community, found.id)
    error = await rpc_error(rectify(community, found.id))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    await verify(community, found.id)
    for call in (rectify(community, found.id), verify(community, found.id)):
        assert (await rpc_error(call)).code() == grpc.StatusCode.FAILED_PRECONDITION
    error = await rpc_error(verify(community, "no-such-hazard"))
    assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_an_inspection_without_hazards_is_closed_at_once(community: Community) -> None:
    home = await community.add_institution()
    made = await inspect(community, home, [])
    assert made.status == pb.INSPECTION_STATUS_CLOSED and made.closed_on == "2025-06-13"


async def test_canteens_and_care_centres_are_inspected_too(community: Community) -> None:
    canteen = await community.meals.RegisterMealProvider(
        mpb.RegisterMealProviderRequest(
            kind=mpb.MEAL_PROVIDER_KIND_CANTEEN,
            name="湘湖食堂",
            region_code=VILLAGE,
            operator="居委会",
            opened_on="2025-01-01",
        ),
        metadata=md(ADMIN),
    )
    made = await community.inspections.RecordInspection(
        pb.RecordInspectionRequest(
            facility_kind=pb.FACILITY_KIND_CANTEEN,
            facility_id=canteen.id,
            inspector="张检查",
            hazards=[hazard()],
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert (made.facility_name, made.region_code, made.inspected_on) == ("湘湖食堂", VILLAGE, "2025-06-15")
    centre = await community.inspections.RecordInspection(
        pb.RecordInspectionRequest(
            facility_kind=pb.FACILITY_KIND_CARE_CENTRE,
            facility_id="CX-ZL-01",
            facility_name="湘湖社区居家养老服务照料中心",
            region_code=VILLAGE,
            inspector="张检查",
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert centre.facility_kind == pb.FACILITY_KIND_CARE_CENTRE and centre.region_code == VILLAGE
    listed = await community.inspections.ListInspections(
        pb.ListInspectionsRequest(facility_kind=pb.FACILITY_KIND_CANTEEN), metadata=md(VIEWER)
    )
    assert [i.id for i in listed.inspections] == [made.id]


async def test_bad_inspections_are_refused_naming_each_field_and_nothing_is_written(
    community: Community,
) -> None:
    home = await community.add_institution()
    before = await community.counts(*TABLES)
    tomorrow = (community.clock.now + timedelta(days=1)).date().isoformat()
    error = await rpc_error(
        community.inspections.RecordInspection(
            pb.RecordInspectionRequest(
                facility_kind=pb.FACILITY_KIND_INSTITUTION,
                facility_id=home,
                region_code=TOWN,
                inspected_on=tomorrow,
                hazards=[
                    pb.NewHazard(description="", rectify_by="2025-06-20"),
                    pb.NewHazard(description="x", severity=pb.HAZARD_SEVERITY_MINOR, rectify_by="20250620"),
                ],
            ),
            metadata=md(ADMIN),
        )
    )
    assert violated_fields(error) == {
        "region_code",
        "inspected_on",
        "inspector",
        "hazards[0].description",
        "hazards[0].severity",
        "hazards[1].rectify_by",
    }
    error = await rpc_error(inspect(community, home, [hazard(by="2025-06-12")]))
    assert violated_fields(error) == {"hazards[0].rectify_by"}  # before the inspection
    error = await rpc_error(
        community.inspections.RecordInspection(
            pb.RecordInspectionRequest(
                facility_kind=pb.FACILITY_KIND_CARE_CENTRE, facility_id="C1", inspector="张"
            ),
            metadata=md(ADMIN),
        )
    )
    assert violated_fields(error) == {"facility_name", "region_code"}
    error = await rpc_error(inspect(community, "no-such-institution", [hazard()]))
    assert error.code() == grpc.StatusCode.NOT_FOUND and "facility_id" in (error.details() or "")
    assert await community.counts(*TABLES) == before


async def test_inspections_are_scoped_to_the_callers_regions(community: Community) -> None:
    home = await community.add_institution()
    made = await inspect(community, home, [hazard()], token=TOWN_OFFICER)
    error = await rpc_error(inspect(community, home, [hazard()], token=OTHER_TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(rectify(community, made.hazards[0].id, token=OTHER_TOWN_OFFICER))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(
        community.inspections.GetInspection(
            pb.GetInspectionRequest(id=made.id), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(rectify(community, made.hazards[0].id, token=VIEWER))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    theirs = await community.inspections.ListInspections(
        pb.ListInspectionsRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert theirs.page_info.total_count == 0
    community.clock.now += timedelta(days=30)
    assert len((await overdue(community, token=TOWN_OFFICER)).hazards) == 1
    assert len((await overdue(community, token=OTHER_TOWN_OFFICER)).hazards) == 0
    assert len((await overdue(community, region=OTHER_TOWN)).hazards) == 0


async def test_a_rectification_is_overdue_after_its_deadline_until_closed(community: Community) -> None:
    home = await community.add_institution()
    made = await inspect(community, home, [hazard(by="2025-06-20"), hazard("灭火器过期", by="2025-06-25")])
    gas, extinguisher = made.hazards
    community.clock.now += timedelta(days=5)  # 20 June: the deadline day itself is on time
    assert list((await overdue(community)).hazards) == []
    community.clock.now += timedelta(days=1)  # 21 June
    listed = await overdue(community)
    assert [(h.id, h.days_overdue) for h in listed.hazards] == [(gas.id, 1)]
    assert listed.as_of == "2025-06-21"
    await rectify(community, gas.id)  # awaiting verification: the loop is still open
    assert [h.id for h in (await overdue(community)).hazards] == [gas.id]
    await verify(community, gas.id)
    assert list((await overdue(community)).hazards) == []
    community.clock.now += timedelta(days=10)  # 1 July
    listed = await overdue(community)
    assert [(h.id, h.days_overdue) for h in listed.hazards] == [(extinguisher.id, 6)]


async def test_overdue_rectifications_page_longest_overdue_first(community: Community) -> None:
    home = await community.add_institution()
    await inspect(community, home, [hazard(f"隐患{n}", by=f"2025-06-{14 + n}") for n in range(5)])
    community.clock.now += timedelta(days=30)
    seen: list[int] = []
    token = ""
    while True:
        page = await community.inspections.ListOverdueRectifications(
            pb.ListOverdueRectificationsRequest(page=common_pb2.PageRequest(page_size=2, page_token=token)),
            metadata=md(ADMIN),
        )
        assert page.page_info.total_count == 5
        seen.extend(h.days_overdue for h in page.hazards)
        token = page.page_info.next_page_token
        if not token:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == 5


async def test_the_scan_reports_each_overdue_hazard_once_on_nats(community: Community) -> None:
    home = await community.add_institution()
    made = await inspect(community, home, [hazard(by="2025-06-20"), hazard("灭火器过期", by="2025-07-10")])
    gas, _ = made.hazards
    assert await scan(community.process) == 0
    community.clock.now += timedelta(days=8)  # 23 June
    replica = ServiceProcess(
        make_spec(clock=community.clock), community.process.settings, schedule_jobs=False
    )
    await replica.start()
    try:
        results = await asyncio.gather(scan(community.process), scan(replica), scan(community.process))
    finally:
        await replica.stop(grace_s=5)
    assert sum(results) == 1
    assert await scan(community.process) == 0
    events = [e for e in await _hazard_events(community) if e["subject"] in {h.id for h in made.hazards}]
    assert [e["id"] for e in events] == [overdue_event_id(gas.id)]
    data = events[0]["data"]
    assert (data["hazard_id"], data["days_overdue"], data["severity"], data["region_code"]) == (
        gas.id,
        3,
        "major",
        TOWN,
    )


async def _hazard_events(svc: Community) -> list[dict[str, object]]:
    """Every hazard-overdue CloudEvent on the (session-wide) stream, once the outbox is published."""
    assert svc.process.ctx is not None
    for _ in range(200):
        if await svc.count("outbox WHERE published_at IS NULL") == 0:
            break
        svc.process.ctx.notify_outbox()
        await asyncio.sleep(0.05)
    found: list[dict[str, object]] = []
    nc = await nats.connect(svc.process.settings.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            HAZARD_OVERDUE.subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        while True:
            try:
                msg = await sub.next_msg(timeout=2.0)
            except NatsTimeout:
                break
            found.append(json.loads(msg.data))
            if msg.metadata.num_pending == 0:
                break
        await sub.unsubscribe()
    finally:
        await nc.close()
    return found
