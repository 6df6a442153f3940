"""Many elders' assessments, visits, devices and alarms in one call (what a page of elders shows).

Real service, real socket, both databases, real NATS. Each batch answers as the single-elder listings
would, elder by elder, in the order asked; elders outside the caller's regions are left out.
"""

# The fixtures come from safety_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as epb
from minzheng.eldercare.v1 import safety_pb2 as pb
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub

from services.kit.grpc_client import field_violations
from tests.contract.eldercare.safety_support import (  # noqa: F401  (fixtures)
    ADMIN,
    HOTLINE,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN_OFFICER,
    VILLAGE,
    Safety,
    ingest,
    install,
    md,
    safety,
)


def elders_stub(svc: Safety) -> ElderServiceStub:
    """An ElderService stub on the same service."""
    return ElderServiceStub(svc.channel)


async def assess(svc: Safety, elder_id: str, on: str, level: int = epb.CAPABILITY_LEVEL_MILD) -> str:
    """Record an assessment on a day; its id."""
    request = epb.RecordAssessmentRequest(
        elder_id=elder_id,
        level=level,
        assessed_on=on,
        assessor="李评估",  # type: ignore[arg-type]
    )
    return (await elders_stub(svc).RecordAssessment(request, metadata=md(ADMIN))).id


async def visit(svc: Safety, elder_id: str, on: str, region: str = VILLAGE) -> str:
    """Record a home visit on a day; its id."""
    request = epb.RecordElderVisitRequest(
        elder_id=elder_id,
        visited_on=on,
        visitor=epb.Visitor(name="陈网格", region_code=region),
        risk_level=epb.VISIT_RISK_LEVEL_LOW,
    )
    return (await elders_stub(svc).RecordElderVisit(request, metadata=md(ADMIN))).id


async def rpc_error_of(call: object) -> grpc.aio.AioRpcError:
    """The error a call fails with."""
    try:
        await call  # type: ignore[misc]
    except grpc.aio.AioRpcError as exc:
        return exc
    raise AssertionError("the call succeeded")


async def test_assessments_and_visits_of_many_elders_come_newest_first_per_elder_in_the_order_asked(
    safety: Safety,
) -> None:
    stub = elders_stub(safety)
    a, b, c = [await safety.add_elder(sequence=n) for n in (11, 13, 15)]
    a_assessed = [await assess(safety, a, on) for on in ("2024-01-10", "2025-03-02", "2024-09-30")]
    b_assessed = [await assess(safety, b, "2025-01-05", epb.CAPABILITY_LEVEL_SEVERE)]
    a_visited = [await visit(safety, a, on) for on in ("2025-04-01", "2025-06-01", "2025-05-01")]

    reply = await stub.BatchListAssessments(
        epb.BatchListAssessmentsRequest(elder_ids=[b, a, c, a], per_elder=2), metadata=md(ADMIN)
    )
    assert [e.elder_id for e in reply.elders] == [b, a, c]
    got = {e.elder_id: e for e in reply.elders}
    assert [r.id for r in got[a].assessments] == [a_assessed[1], a_assessed[2]] and got[a].total == 3
    assert [r.current for r in got[a].assessments] == [True, False]
    assert [r.id for r in got[b].assessments] == b_assessed and got[b].total == 1
    assert list(got[c].assessments) == [] and got[c].total == 0
    # Each elder's rows are exactly the single listing's first page.
    single = await stub.ListAssessments(
        epb.ListAssessmentsRequest(elder_id=a, page=common_pb2.PageRequest(page_size=2)), metadata=md(ADMIN)
    )
    assert list(single.assessments) == list(got[a].assessments)

    visits = await stub.BatchListElderVisits(
        epb.BatchListElderVisitsRequest(elder_ids=[a, b]), metadata=md(ADMIN)
    )
    by_elder = {e.elder_id: e for e in visits.elders}
    assert [v.id for v in by_elder[a].visits] == [a_visited[1], a_visited[2], a_visited[0]]
    assert by_elder[a].total == 3 and list(by_elder[b].visits) == [] and by_elder[b].total == 0
    single_visits = await stub.ListElderVisits(epb.ListElderVisitsRequest(elder_id=a), metadata=md(ADMIN))
    assert list(single_visits.visits) == list(by_elder[a].visits)


async def test_devices_and_alarms_of_many_elders_come_per_elder_filtered_by_status_and_masked(
    safety: Safety,
) -> None:
    a, b = await safety.add_elder(sequence=21), await safety.add_elder(sequence=23)
    a_sos = await install(safety, a, serial="A-SOS")
    safety.clock.now += timedelta(seconds=1)  # installed later, so listed after
    a_smoke = await install(safety, a, serial="A-SMOKE", kind=pb.DEVICE_KIND_SMOKE)
    b_sos = await install(safety, b, serial="B-SOS")
    await safety.stub.RemoveDevice(pb.RemoveDeviceRequest(id=a_smoke.id, reason="moved"), metadata=md(ADMIN))
    a_alarms = []
    for i in range(3):
        a_alarms.append((await ingest(safety, f"A-{i}", serial=a_sos.serial)).alarm.id)
        safety.clock.now += timedelta(seconds=10)
    b_alarm = (await ingest(safety, "B-0", serial=b_sos.serial)).alarm.id
    await safety.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=a_alarms[2]), metadata=md(HOTLINE))

    devices = await safety.stub.BatchListDevices(
        pb.BatchListDevicesRequest(elder_ids=[a, b]), metadata=md(ADMIN)
    )
    got = {e.elder_id: e for e in devices.elders}
    assert [d.id for d in got[a].devices] == [a_sos.id, a_smoke.id] and got[a].total == 2
    assert [d.id for d in got[b].devices] == [b_sos.id]
    active = await safety.stub.BatchListDevices(
        pb.BatchListDevicesRequest(elder_ids=[a], status=pb.DEVICE_STATUS_ACTIVE), metadata=md(ADMIN)
    )
    assert [d.id for e in active.elders for d in e.devices] == [a_sos.id]

    alarms = await safety.stub.BatchListElderAlarms(
        pb.BatchListElderAlarmsRequest(elder_ids=[b, a], per_elder=2), metadata=md(ADMIN)
    )
    assert [e.elder_id for e in alarms.elders] == [b, a]
    got_alarms = {e.elder_id: e for e in alarms.elders}
    assert [x.id for x in got_alarms[a].alarms] == [a_alarms[2], a_alarms[1]] and got_alarms[a].total == 3
    assert [x.id for x in got_alarms[b].alarms] == [b_alarm]
    shown = got_alarms[a].alarms[0]
    assert "*" in shown.elder_id_number and shown.device_serial == "A-SOS" and len(shown.steps) == 2
    raised = await safety.stub.BatchListElderAlarms(
        pb.BatchListElderAlarmsRequest(elder_ids=[a], status=pb.ALARM_STATUS_RAISED), metadata=md(ADMIN)
    )
    assert [x.id for e in raised.elders for x in e.alarms] == [a_alarms[1], a_alarms[0]]


async def test_elders_of_another_region_are_left_out_of_every_batch(safety: Safety) -> None:
    stub = elders_stub(safety)
    here = await safety.add_elder(sequence=31)
    there = await safety.add_elder(sequence=33, region=OTHER_VILLAGE)
    await assess(safety, there, "2025-01-05")
    await visit(safety, there, "2025-05-01", region=OTHER_VILLAGE)
    device = await install(safety, there, serial="THERE-1")
    await ingest(safety, "T-0", serial=device.serial)
    ids = [there, here, "no-such-elder"]

    replies = [
        await stub.BatchListAssessments(
            epb.BatchListAssessmentsRequest(elder_ids=ids), metadata=md(TOWN_OFFICER)
        ),
        await stub.BatchListElderVisits(
            epb.BatchListElderVisitsRequest(elder_ids=ids), metadata=md(TOWN_OFFICER)
        ),
        await safety.stub.BatchListDevices(
            pb.BatchListDevicesRequest(elder_ids=ids), metadata=md(TOWN_OFFICER)
        ),
        await safety.stub.BatchListElderAlarms(
            pb.BatchListElderAlarmsRequest(elder_ids=ids), metadata=md(TOWN_OFFICER)
        ),
    ]
    for reply in replies:
        assert [e.elder_id for e in reply.elders] == [here]
    theirs = await safety.stub.BatchListElderAlarms(
        pb.BatchListElderAlarmsRequest(elder_ids=ids), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert [(e.elder_id, len(e.alarms)) for e in theirs.elders] == [(there, 1)]


async def test_bad_batches_are_refused_naming_each_field(safety: Safety) -> None:
    stub = elders_stub(safety)
    too_many = [f"elder-{n}" for n in range(101)]
    cases = [
        (stub.BatchListAssessments(epb.BatchListAssessmentsRequest(), metadata=md(ADMIN)), {"elder_ids"}),
        (
            stub.BatchListElderVisits(
                epb.BatchListElderVisitsRequest(elder_ids=too_many, per_elder=-1), metadata=md(ADMIN)
            ),
            {"elder_ids", "per_elder"},
        ),
        (
            safety.stub.BatchListDevices(
                pb.BatchListDevicesRequest(elder_ids=["x", " "], status=99),
                metadata=md(ADMIN),  # type: ignore[arg-type]
            ),
            {"elder_ids", "status"},
        ),
        (
            safety.stub.BatchListElderAlarms(
                pb.BatchListElderAlarmsRequest(elder_ids=too_many, status=99),
                metadata=md(ADMIN),  # type: ignore[arg-type]
            ),
            {"elder_ids", "status"},
        ),
    ]
    for call, fields in cases:
        error = await rpc_error_of(call)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert {v.field for v in field_violations(error)} == fields
