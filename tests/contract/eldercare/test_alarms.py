"""Home-safety alarms over gRPC: idempotent ingestion, refusals, the lifecycle, escalation once per level.

Real service, real socket, both databases, real NATS; the service's clock is moved by the tests.
"""

# The fixtures come from safety_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
from minzheng.eldercare.v1 import safety_pb2 as pb

from services.eldercare import demo_safety
from services.eldercare.alarms import event_id
from services.eldercare.safety_jobs import ESCALATION_JOB, ScanResult, escalation_event_id
from services.eldercare.safety_rules import EscalationLevel
from services.kit.auth import TokenCodec
from services.kit.grpc_client import field_violations
from tests.contract.eldercare.safety_support import (  # noqa: F401  (fixtures)
    ADMIN,
    GATEWAY,
    HOTLINE,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    SECRET,
    TOWN_OFFICER,
    VIEWER,
    Safety,
    Watcher,
    ingest,
    install,
    md,
    safety,
    start_safety,
    stop_safety,
    ts,
    watch,
)

RAISED = "civic.eldercare.safety-alarm-raised.v1"
ACKNOWLEDGED = "civic.eldercare.safety-alarm-acknowledged.v1"
ESCALATED = "civic.eldercare.safety-alarm-escalated.v1"
RESOLVED = "civic.eldercare.safety-alarm-resolved.v1"


async def rpc_error_of(call: object) -> grpc.aio.AioRpcError:
    """The error a call fails with."""
    try:
        await call  # type: ignore[misc]
    except grpc.aio.AioRpcError as exc:
        return exc
    raise AssertionError("the call succeeded")


async def run_escalation(svc: Safety) -> ScanResult:
    """Run the service's own escalation scan once, as its scheduler would."""
    result = await svc.job(ESCALATION_JOB).run()
    assert isinstance(result, ScanResult)
    return result


async def with_device(svc: Safety, **kwargs: object) -> pb.Device:
    """An elder in 湘湖社区 with an acme SOS button SOS-0001 (or as ``kwargs`` say)."""
    return await install(svc, await svc.add_elder(), **kwargs)  # type: ignore[arg-type]


async def test_an_alarm_is_ingested_once_per_vendor_alarm_id_and_announced_once(
    safety: Safety, watch: Watcher
) -> None:
    device = await with_device(safety)
    first = await ingest(safety, "V-1")
    alarm = first.alarm
    assert first.created and alarm.status == pb.ALARM_STATUS_RAISED and alarm.device_id == device.id
    assert alarm.elder_name == "王秀英" and alarm.elder_id_number.count("*") == 8
    assert alarm.region_code == "330109001001" and alarm.kind == pb.ALARM_KIND_SOS
    assert [s.action for s in alarm.steps] == [pb.ALARM_ACTION_RAISE]
    assert alarm.steps[0].actor == "service:gateway"
    due = safety.clock.now + timedelta(minutes=3)  # policy: SOS escalates to the town after 3 minutes
    assert alarm.acknowledge_due_at.ToDatetime().replace(tzinfo=due.tzinfo) == due
    assert list(alarm.allowed_next) == [pb.ALARM_ACTION_ACKNOWLEDGE]

    repeats = await asyncio.gather(*(ingest(safety, "V-1") for _ in range(3)))
    assert [r.created for r in repeats] == [False] * 3 and {r.alarm.id for r in repeats} == {alarm.id}
    assert await safety.count("safety_alarm") == 1
    assert await safety.count(f"outbox WHERE type = '{RAISED}'") == 1
    body = await watch.body(RAISED, alarm.id)
    assert body["id"] == event_id(alarm.id, "raised") and body["region"] == "330109001001"
    assert body["data"]["device_serial"] == "SOS-0001" and body["data"]["kind"] == "sos"
    assert body["data"]["elder_id_masked"] == alarm.elder_id_number
    assert await watch.all_of(RAISED) == []


async def test_alarms_from_unknown_or_removed_devices_are_refused_and_nothing_is_written(
    safety: Safety,
) -> None:
    device = await with_device(safety)
    await safety.stub.RemoveDevice(pb.RemoveDeviceRequest(id=device.id, reason="moved"), metadata=md(ADMIN))
    await with_device(safety, kind=pb.DEVICE_KIND_SMOKE, serial="SMK-1")
    before = await safety.counts()

    unknown = await rpc_error_of(ingest(safety, "V-1", serial="NOPE-1"))
    assert unknown.code() == grpc.StatusCode.NOT_FOUND and "NOPE-1" in (unknown.details() or "")
    removed = await rpc_error_of(ingest(safety, "V-2"))
    assert removed.code() == grpc.StatusCode.FAILED_PRECONDITION and "removed" in (removed.details() or "")
    wrong_kind = await rpc_error_of(ingest(safety, "V-3", serial="SMK-1", kind=pb.ALARM_KIND_FALL))
    assert wrong_kind.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in field_violations(wrong_kind)} == {"kind"}
    bad = await rpc_error_of(
        safety.stub.IngestAlarm(
            pb.IngestAlarmRequest(vendor="Acme Inc", vendor_alarm_id="has space", serial="", kind=0),
            metadata=md(GATEWAY),
        )
    )
    assert {v.field for v in field_violations(bad)} == {
        "vendor",
        "vendor_alarm_id",
        "serial",
        "kind",
        "occurred_at",
    }
    future = await rpc_error_of(
        ingest(
            safety,
            "V-4",
            serial="SMK-1",
            kind=pb.ALARM_KIND_SMOKE,
            occurred_at=safety.clock.now + timedelta(hours=1),
        )
    )
    assert {v.field for v in field_violations(future)} == {"occurred_at"}
    for token in (ADMIN, HOTLINE, VIEWER):
        denied = await rpc_error_of(
            ingest(safety, "V-5", serial="SMK-1", kind=pb.ALARM_KIND_SMOKE, token=token)
        )
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await safety.counts() == before


async def test_an_alarm_is_acknowledged_dispatched_twice_and_resolved_each_step_recorded_and_announced(
    safety: Safety, watch: Watcher
) -> None:
    await with_device(safety)
    alarm = (await ingest(safety, "V-1")).alarm
    safety.clock.now += timedelta(minutes=1)
    acked = await safety.stub.AcknowledgeAlarm(
        pb.AcknowledgeAlarmRequest(id=alarm.id, note="called back, no answer"), metadata=md(HOTLINE)
    )
    assert acked.status == pb.ALARM_STATUS_ACKNOWLEDGED and acked.HasField("acknowledged_at")
    family = await safety.stub.DispatchAlarm(
        pb.DispatchAlarmRequest(id=alarm.id, target=pb.DISPATCH_TARGET_FAMILY), metadata=md(HOTLINE)
    )
    grid = await safety.stub.DispatchAlarm(
        pb.DispatchAlarmRequest(id=alarm.id, target=pb.DISPATCH_TARGET_COMMUNITY_GRID, note="family away"),
        metadata=md(TOWN_OFFICER),
    )
    assert family.dispatch_target == pb.DISPATCH_TARGET_FAMILY
    assert (
        grid.status == pb.ALARM_STATUS_DISPATCHED
        and grid.dispatch_target == pb.DISPATCH_TARGET_COMMUNITY_GRID
    )
    resolved = await safety.stub.ResolveAlarm(
        pb.ResolveAlarmRequest(
            id=alarm.id, outcome=pb.ALARM_OUTCOME_HANDLED_ON_SITE, note="helped up, unhurt"
        ),
        metadata=md(TOWN_OFFICER),
    )
    assert (
        resolved.status == pb.ALARM_STATUS_RESOLVED and resolved.outcome == pb.ALARM_OUTCOME_HANDLED_ON_SITE
    )
    assert list(resolved.allowed_next) == []
    assert [(s.action, s.actor) for s in resolved.steps] == [
        (pb.ALARM_ACTION_RAISE, "service:gateway"),
        (pb.ALARM_ACTION_ACKNOWLEDGE, "hotline-07"),
        (pb.ALARM_ACTION_DISPATCH, "hotline-07"),
        (pb.ALARM_ACTION_DISPATCH, "chengxiang-officer"),
        (pb.ALARM_ACTION_RESOLVE, "chengxiang-officer"),
    ]
    assert resolved.steps[1].note == "called back, no answer" and resolved.steps[1].HasField("at")
    assert await safety.count(f"audit_log WHERE target = '{alarm.id}'") == 4

    ack = await watch.body(ACKNOWLEDGED, alarm.id)
    assert ack["data"]["acknowledged_by"] == "hotline-07"
    done = await watch.body(RESOLVED, alarm.id)
    assert (
        done["data"]["outcome"] == "handled_on_site" and done["data"]["dispatch_target"] == "community_grid"
    )
    assert done["id"] == event_id(alarm.id, "resolved")
    # Acknowledged in time: the escalation scan finds nothing, even much later.
    safety.clock.now += timedelta(hours=2)
    assert await run_escalation(safety) == ScanResult(0, 0)


async def test_wrong_steps_are_refused_and_change_nothing(safety: Safety) -> None:
    await with_device(safety)
    alarm = (await ingest(safety, "V-1")).alarm
    dispatch = pb.DispatchAlarmRequest(id=alarm.id, target=pb.DISPATCH_TARGET_EMERGENCY_120)
    resolve = pb.ResolveAlarmRequest(id=alarm.id, outcome=pb.ALARM_OUTCOME_FALSE_ALARM, note="checked")
    before = await safety.counts()
    for call in (
        safety.stub.DispatchAlarm(dispatch, metadata=md(HOTLINE)),
        safety.stub.ResolveAlarm(resolve, metadata=md(HOTLINE)),
    ):
        error = await rpc_error_of(call)
        assert error.code() == grpc.StatusCode.FAILED_PRECONDITION and "raised" in (error.details() or "")
    for token in (VIEWER, GATEWAY):
        denied = await rpc_error_of(
            safety.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=md(token))
        )
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    hidden = await rpc_error_of(
        safety.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=md(OTHER_TOWN_OFFICER))
    )
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    missing = await rpc_error_of(
        safety.stub.ResolveAlarm(pb.ResolveAlarmRequest(id=alarm.id), metadata=md(HOTLINE))
    )
    assert {v.field for v in field_violations(missing)} == {"outcome", "note"}
    assert await safety.counts() == before

    # Two operators acknowledging at once: exactly one wins.
    ack = pb.AcknowledgeAlarmRequest(id=alarm.id)
    results = await asyncio.gather(
        *(safety.stub.AcknowledgeAlarm(ack, metadata=md(HOTLINE)) for _ in range(3)), return_exceptions=True
    )
    assert sum(isinstance(r, pb.Alarm) for r in results) == 1
    assert all(
        r.code() == grpc.StatusCode.FAILED_PRECONDITION for r in results if not isinstance(r, pb.Alarm)
    )
    await safety.stub.ResolveAlarm(resolve, metadata=md(HOTLINE))
    again = await rpc_error_of(safety.stub.AcknowledgeAlarm(ack, metadata=md(HOTLINE)))
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_an_unacknowledged_alarm_escalates_once_per_level_across_replicas_and_a_restart(
    safety: Safety, watch: Watcher, tmp_path: Path
) -> None:
    await with_device(safety)
    alarm = (await ingest(safety, "V-1")).alarm
    await with_device(safety, kind=pb.DEVICE_KIND_DOOR, serial="DOOR-1")
    slow = (await ingest(safety, "V-2", serial="DOOR-1", kind=pb.ALARM_KIND_INACTIVITY)).alarm  # 15 minutes

    safety.clock.now += timedelta(minutes=2, seconds=59)
    assert await run_escalation(safety) == ScanResult(0, 0)
    safety.clock.now += timedelta(seconds=1)
    results = await asyncio.gather(run_escalation(safety), run_escalation(safety), run_escalation(safety))
    assert sum(r.announced for r in results) == 1
    town = await watch.body(ESCALATED, alarm.id)
    assert town["id"] == escalation_event_id(alarm.id, EscalationLevel.TOWN)
    assert town["data"]["level"] == "town" and town["data"]["minutes_unacknowledged"] == 3
    assert town["region"] == "330109001001"
    shown = await safety.stub.GetAlarm(pb.GetAlarmRequest(id=alarm.id), metadata=md(HOTLINE))
    assert shown.escalation_level == pb.ESCALATION_LEVEL_TOWN and shown.status == pb.ALARM_STATUS_RAISED

    # A restarted service (same database) announces nothing it already did.
    await stop_safety(safety)
    restarted = await start_safety(
        safety.database_url, safety.process.settings.nats_url, tmp_path, safety.clock
    )
    try:
        assert await run_escalation(restarted) == ScanResult(0, 0)
        restarted.clock.now += timedelta(minutes=7)  # 10 minutes: the district; the door alarm is not due
        assert await run_escalation(restarted) == ScanResult(1, 1)
        district = await watch.body(ESCALATED, alarm.id)
        assert district["data"]["level"] == "district" and district["data"]["level_number"] == 2
        restarted.clock.now += timedelta(minutes=5)  # 15 minutes: the door alarm's town level
        assert await run_escalation(restarted) == ScanResult(1, 1)
        assert (await watch.body(ESCALATED, slow.id))["data"]["level"] == "town"
        restarted.clock.now += timedelta(days=1)  # the door alarm's district level, nothing more for the SOS
        assert await run_escalation(restarted) == ScanResult(1, 1)
        assert await run_escalation(restarted) == ScanResult(0, 0)
        assert await restarted.count("safety_alarm_escalation") == 4
        assert await restarted.count(f"outbox WHERE type = '{ESCALATED}'") == 4
        late = await restarted.stub.AcknowledgeAlarm(
            pb.AcknowledgeAlarmRequest(id=alarm.id), metadata=md(HOTLINE)
        )
        assert (
            late.escalation_level == pb.ESCALATION_LEVEL_DISTRICT
            and late.status == pb.ALARM_STATUS_ACKNOWLEDGED
        )
    finally:
        await stop_safety(restarted)
        # The fixture stops its own (already stopped) service again; that is harmless.


async def test_a_late_delivery_runs_its_deadline_from_when_the_device_fired(
    safety: Safety, watch: Watcher
) -> None:
    await with_device(safety)
    alarm = (await ingest(safety, "V-1", occurred_at=safety.clock.now - timedelta(minutes=20))).alarm
    assert await run_escalation(safety) == ScanResult(1, 2)  # one alarm: town and district both due
    levels = sorted(e["data"]["level_number"] for e in await watch.all_of(ESCALATED))
    assert levels == [1, 2] and alarm.status == pb.ALARM_STATUS_RAISED


async def test_alarms_list_newest_first_by_pages_filtered_by_status_and_region(safety: Safety) -> None:
    await with_device(safety)
    other = await install(safety, await safety.add_elder(region=OTHER_VILLAGE), serial="SOS-2")
    ids = []
    for i in range(3):
        ids.append((await ingest(safety, f"V-{i}")).alarm.id)
        safety.clock.now += timedelta(seconds=10)
    elsewhere = (await ingest(safety, "V-9", serial=other.serial)).alarm.id
    await safety.stub.AcknowledgeAlarm(pb.AcknowledgeAlarmRequest(id=ids[0]), metadata=md(HOTLINE))

    async def listed(token: str = ADMIN, **filters: object) -> list[str]:
        found, page_token = [], ""
        while True:
            reply = await safety.stub.ListAlarms(
                pb.ListAlarmsRequest(**filters, page={"page_size": 2, "page_token": page_token}),  # type: ignore[arg-type]
                metadata=md(token),
            )
            assert reply.page_info.total_count >= len(reply.alarms)
            found.extend(a.id for a in reply.alarms)
            page_token = reply.page_info.next_page_token
            if not page_token:
                return found

    assert await listed() == [elsewhere, ids[2], ids[1], ids[0]]
    assert await listed(status=pb.ALARM_STATUS_RAISED) == [elsewhere, ids[2], ids[1]]
    assert await listed(status=pb.ALARM_STATUS_ACKNOWLEDGED) == [ids[0]]
    assert await listed(TOWN_OFFICER) == [ids[2], ids[1], ids[0]]
    assert await listed(region_code=OTHER_VILLAGE) == [elsewhere]
    assert await listed(VIEWER, region_code="330109001") == [ids[2], ids[1], ids[0]]
    hidden = await rpc_error_of(
        safety.stub.GetAlarm(pb.GetAlarmRequest(id=elsewhere), metadata=md(TOWN_OFFICER))
    )
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    bad = await rpc_error_of(
        safety.stub.ListAlarms(
            pb.ListAlarmsRequest(region_code="33", page={"page_token": "x"}), metadata=md(ADMIN)
        )
    )
    assert {v.field for v in field_violations(bad)} >= {"region_code"}
    assert ts is not None


async def test_the_demo_loads_devices_and_alarms_in_every_state_once(safety: Safety) -> None:
    safety.clock.now = datetime.now(UTC)  # the demo dates its alarms from the real clock
    codec = TokenCodec(SECRET)
    await demo_safety.load(safety.channel, codec, today=safety.clock.now.date())
    changes = "audit_log WHERE action LIKE 'safety-%'"
    first = {**await safety.counts(), "audit_log": await safety.count(changes)}
    await demo_safety.load(safety.channel, codec, today=safety.clock.now.date())
    # Looking the elders up by ID number is an audited read; the demo changes nothing the second time.
    assert {**await safety.counts(), "audit_log": await safety.count(changes)} == first
    assert first["safety_device"] == 9 and first["safety_alarm"] == 5
    reply = await safety.stub.ListAlarms(pb.ListAlarmsRequest(), metadata=md(ADMIN))
    statuses = sorted(a.status for a in reply.alarms)
    assert statuses == [
        pb.ALARM_STATUS_RAISED,
        pb.ALARM_STATUS_RAISED,
        pb.ALARM_STATUS_ACKNOWLEDGED,
        pb.ALARM_STATUS_DISPATCHED,
        pb.ALARM_STATUS_RESOLVED,
    ]
    assert await run_escalation(safety) == ScanResult(1, 2)  # the smoke alarm of 45 minutes ago
