"""Alarm ingestion under load: batches from a vendor platform, and concurrent single calls sharing
transactions (kit.group_commit) — every alarm stored and announced once, refusals one by one.

Real service, real socket, both databases, real NATS.
"""

# The fixtures come from safety_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
from minzheng.eldercare.v1 import safety_pb2 as pb

from services.eldercare.alarms import event_id
from services.eldercare.safety_requests import MAX_INGEST_BATCH
from tests.contract.eldercare.safety_support import (  # noqa: F401  (fixtures)
    ADMIN,
    GATEWAY,
    HOTLINE,
    Safety,
    Watcher,
    ingest,
    install,
    md,
    safety,
    ts,
    watch,
)

RAISED = "civic.eldercare.safety-alarm-raised.v1"


def alarm(svc: Safety, vendor_alarm_id: str, **fields: object) -> pb.IngestAlarmRequest:
    values: dict[str, object] = {
        "vendor": "acme",
        "vendor_alarm_id": vendor_alarm_id,
        "serial": "SOS-0001",
        "kind": pb.ALARM_KIND_SOS,
        "occurred_at": ts(svc.clock.now),
    } | fields
    return pb.IngestAlarmRequest(**values)  # type: ignore[arg-type]


async def test_a_batch_stores_each_alarm_as_a_single_call_would_and_refuses_only_the_bad_ones(
    safety: Safety, watch: Watcher
) -> None:
    elder = await safety.add_elder()
    await install(safety, elder)
    await install(safety, elder, kind=pb.DEVICE_KIND_SMOKE, serial="SMK-1")
    earlier = await ingest(safety, "V-0")
    before = await safety.counts()

    reply = await safety.stub.IngestAlarms(
        pb.IngestAlarmsRequest(
            alarms=[
                alarm(safety, "V-1"),
                alarm(safety, "V-0"),  # stored before: answered, not stored again
                alarm(safety, "V-2", serial="SMK-1", kind=pb.ALARM_KIND_SMOKE),
                alarm(safety, "V-1"),  # twice in the same batch
                alarm(safety, "V-3", serial="NOPE-1"),
                alarm(safety, "V-4", serial="SMK-1", kind=pb.ALARM_KIND_FALL),
                alarm(safety, "V-5", occurred_at=ts(safety.clock.now + timedelta(hours=1))),
            ]
        ),
        metadata=md(GATEWAY),
    )
    got = [(r.vendor_alarm_id, r.created, r.error_code) for r in reply.results]
    assert got == [
        ("V-1", True, ""),
        ("V-0", False, ""),
        ("V-2", True, ""),
        ("V-1", False, ""),
        ("V-3", False, "NOT_FOUND"),
        ("V-4", False, "INVALID_ARGUMENT"),
        ("V-5", False, "INVALID_ARGUMENT"),
    ]
    results = reply.results
    assert results[1].alarm_id == earlier.alarm.id and results[0].alarm_id == results[3].alarm_id
    assert "NOPE-1" in results[4].error_message and "occurred_at" in results[6].error_message
    assert all(r.alarm_id == "" for r in results[4:])

    after = await safety.counts()
    # Two alarms, each with its first step and its event; nothing of the refused ones.
    assert after["safety_alarm"] - before["safety_alarm"] == 2
    assert after["safety_alarm_step"] - before["safety_alarm_step"] == 2
    assert after["outbox"] - before["outbox"] == 2
    for stored in (results[0], results[2]):
        body = await watch.body(RAISED, stored.alarm_id)
        assert body["id"] == event_id(stored.alarm_id, "raised")
    one = await safety.stub.GetAlarm(pb.GetAlarmRequest(id=results[2].alarm_id), metadata=md(HOTLINE))
    assert one.device_serial == "SMK-1" and [s.actor for s in one.steps] == ["service:gateway"]


async def test_concurrent_single_calls_are_each_stored_and_announced_exactly_once(
    safety: Safety, watch: Watcher
) -> None:
    serials = [f"SOS-{i:04d}" for i in range(1, 4)]
    for i, serial in enumerate(serials):
        await install(safety, await safety.add_elder(sequence=i + 1), serial=serial)

    distinct = [ingest(safety, f"C-{i}", serial=serials[i % 3]) for i in range(60)]
    repeated = [ingest(safety, "C-same", serial=serials[0]) for _ in range(6)]
    replies = await asyncio.gather(*distinct, *repeated)

    assert all(r.created for r in replies[:60]) and len({r.alarm.id for r in replies[:60]}) == 60
    same = replies[60:]
    assert sum(r.created for r in same) == 1 and len({r.alarm.id for r in same}) == 1
    assert await safety.count("safety_alarm") == 61
    assert await safety.count("safety_alarm_step") == 61
    assert await safety.count(f"outbox WHERE type = '{RAISED}'") == 61
    # Each reply carries its own alarm: the serial it was sent for, its one step.
    for i, reply in enumerate(replies[:60]):
        assert reply.alarm.vendor_alarm_id == f"C-{i}" and reply.alarm.device_serial == serials[i % 3]
        assert len(reply.alarm.steps) == 1
    seen = await watch.all_of(RAISED, wait_s=2.0)
    assert sorted(b["data"]["vendor_alarm_id"] for b in seen) == sorted(
        [f"C-{i}" for i in range(60)] + ["C-same"]
    )


async def test_a_batch_holds_1_to_500_alarms_and_only_machine_callers_send_one(safety: Safety) -> None:
    await install(safety, await safety.add_elder())
    for size in (0, MAX_INGEST_BATCH + 1):
        request = pb.IngestAlarmsRequest(alarms=[alarm(safety, f"B-{i}") for i in range(size)])
        try:
            await safety.stub.IngestAlarms(request, metadata=md(GATEWAY))
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT and "alarms" in (exc.details() or "")
        else:
            raise AssertionError(f"a batch of {size} was taken")
    for token in (ADMIN, HOTLINE):
        try:
            await safety.stub.IngestAlarms(
                pb.IngestAlarmsRequest(alarms=[alarm(safety, "B-1")]), metadata=md(token)
            )
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.PERMISSION_DENIED
        else:
            raise AssertionError("a person's token sent a batch")
    assert await safety.count("safety_alarm") == 0
