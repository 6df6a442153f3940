"""Home-safety devices over gRPC: install, list, remove, heartbeats, and the offline scan.

Real service, real socket, both databases, real NATS; the service's clock is moved by the tests.
"""

# The fixtures come from safety_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

from datetime import timedelta

import grpc
from minzheng.eldercare.v1 import safety_pb2 as pb

from services.eldercare.safety_jobs import OFFLINE_JOB, ScanResult, offline_event_id
from services.kit.grpc_client import field_violations
from tests.contract.eldercare.safety_support import (  # noqa: F401  (fixtures)
    ADMIN,
    GATEWAY,
    HOTLINE,
    OTHER_TOWN_OFFICER,
    OTHER_VILLAGE,
    TOWN_OFFICER,
    VIEWER,
    Safety,
    Watcher,
    install,
    md,
    safety,
    ts,
    watch,
)

OFFLINE = "civic.eldercare.device-offline.v1"


async def devices(svc: Safety, *, token: str = ADMIN, **filters: object) -> list[pb.Device]:
    """Every device the token sees with the filters, across pages of two."""
    found: list[pb.Device] = []
    page_token = ""
    while True:
        reply = await svc.stub.ListDevices(
            pb.ListDevicesRequest(**filters, page={"page_size": 2, "page_token": page_token}),  # type: ignore[arg-type]
            metadata=md(token),
        )
        found.extend(reply.devices)
        page_token = reply.page_info.next_page_token
        if not page_token:
            return found


async def beats(svc: Safety, *serials: str, minutes_ago: int = 0) -> pb.RecordHeartbeatsResponse:
    """Heartbeats of the acme devices with these serials."""
    at = ts(svc.clock.now - timedelta(minutes=minutes_ago))
    return await svc.stub.RecordHeartbeats(
        pb.RecordHeartbeatsRequest(
            heartbeats=[pb.Heartbeat(vendor="acme", serial=s, at=at) for s in serials]
        ),
        metadata=md(GATEWAY),
    )


async def run_offline(svc: Safety) -> ScanResult:
    """Run the service's own offline scan once, as its scheduler would."""
    result = await svc.job(OFFLINE_JOB).run()
    assert isinstance(result, ScanResult)
    return result


async def test_devices_are_installed_for_an_elder_listed_by_pages_and_removed(safety: Safety) -> None:
    elder = await safety.add_elder()
    other = await safety.add_elder(region=OTHER_VILLAGE, name="李大爷")
    sos = await install(safety, elder, serial="SOS-1")
    safety.clock.now += timedelta(minutes=1)
    smoke = await install(safety, elder, kind=pb.DEVICE_KIND_SMOKE, serial="SMK-1", token=TOWN_OFFICER)
    safety.clock.now += timedelta(minutes=1)
    await install(safety, other, kind=pb.DEVICE_KIND_FALL_RADAR, serial="RAD-1")
    assert sos.status == pb.DEVICE_STATUS_ACTIVE and sos.elder_name == "王秀英"
    assert sos.region_code == "330109001001" and sos.installed_on == "2025-06-15"
    assert [d.serial for d in await devices(safety)] == ["SOS-1", "SMK-1", "RAD-1"]
    assert [d.serial for d in await devices(safety, token=TOWN_OFFICER)] == ["SOS-1", "SMK-1"]
    assert [d.serial for d in await devices(safety, elder_id=other)] == ["RAD-1"]

    removed = await safety.stub.RemoveDevice(
        pb.RemoveDeviceRequest(id=smoke.id, reason="moved"), metadata=md(ADMIN)
    )
    assert removed.status == pb.DEVICE_STATUS_REMOVED and removed.removal_reason == "moved"
    assert [d.serial for d in await devices(safety, status=pb.DEVICE_STATUS_ACTIVE)] == ["SOS-1", "RAD-1"]
    again = await rpc_error_of(
        safety.stub.RemoveDevice(pb.RemoveDeviceRequest(id=smoke.id), metadata=md(ADMIN))
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION
    # A removed serial may be installed again (a device moved to another home).
    assert (await install(safety, other, kind=pb.DEVICE_KIND_SMOKE, serial="SMK-1")).status == 1
    assert await safety.count("audit_log WHERE action LIKE 'safety-device.%'") == 5


async def rpc_error_of(call: object) -> grpc.aio.AioRpcError:
    """The error a call fails with."""
    try:
        await call  # type: ignore[misc]
    except grpc.aio.AioRpcError as exc:
        return exc
    raise AssertionError("the call succeeded")


async def test_bad_installs_are_refused_naming_the_field_and_nothing_is_written(safety: Safety) -> None:
    elder = await safety.add_elder()
    await install(safety, elder, serial="SOS-1")
    before = await safety.counts()
    bad = await rpc_error_of(
        safety.stub.InstallDevice(
            pb.InstallDeviceRequest(
                elder_id=elder, kind=0, vendor="ACME!", serial="", installed_on="2099-01-01"
            ),
            metadata=md(ADMIN),
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in field_violations(bad)} == {"kind", "vendor", "serial", "installed_on"}
    taken = await rpc_error_of(install(safety, elder, serial="SOS-1"))
    assert taken.code() == grpc.StatusCode.ALREADY_EXISTS
    elsewhere = await rpc_error_of(install(safety, elder, serial="SOS-2", token=OTHER_TOWN_OFFICER))
    assert elsewhere.code() == grpc.StatusCode.NOT_FOUND
    for token in (HOTLINE, VIEWER):
        denied = await rpc_error_of(install(safety, elder, serial="SOS-3", token=token))
        assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    assert await safety.counts() == before


async def test_heartbeats_keep_devices_active_and_silent_ones_are_reported_offline_once_per_outage(
    safety: Safety, watch: Watcher
) -> None:
    elder = await safety.add_elder()
    sos = await install(safety, elder, serial="SOS-1")  # offline after 60 minutes of silence
    smoke = await install(safety, elder, kind=pb.DEVICE_KIND_SMOKE, serial="SMK-1")  # after 1500
    reply = await beats(safety, "SOS-1", "SMK-1", "NOPE-1")
    assert reply.accepted == 2 and [(u.vendor, u.serial) for u in reply.unknown] == [("acme", "NOPE-1")]
    denied = await rpc_error_of(
        safety.stub.RecordHeartbeats(
            pb.RecordHeartbeatsRequest(heartbeats=[pb.Heartbeat(vendor="acme", serial="SOS-1")]),
            metadata=md(ADMIN),
        )
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED

    safety.clock.now += timedelta(minutes=59)
    assert await run_offline(safety) == ScanResult(0, 0)
    last_beat = safety.clock.now - timedelta(minutes=59)
    safety.clock.now += timedelta(minutes=2)
    assert await run_offline(safety) == ScanResult(1, 1)
    assert await run_offline(safety) == ScanResult(0, 0)
    event = await watch.body(OFFLINE, sos.id)
    assert event["id"] == offline_event_id(sos.id, last_beat)
    assert event["data"]["serial"] == "SOS-1" and event["data"]["offline_after_minutes"] == 60
    assert event["data"]["elder_id_masked"].count("*") == 8
    shown = {d.serial: d for d in await devices(safety)}
    assert shown["SOS-1"].status == pb.DEVICE_STATUS_OFFLINE and shown["SOS-1"].HasField("offline_since")
    assert shown["SMK-1"].status == pb.DEVICE_STATUS_ACTIVE
    assert smoke.id != sos.id

    # A heartbeat brings it back; a new silence is a new outage with its own event.
    assert (await beats(safety, "SOS-1")).accepted == 1
    assert (await devices(safety, status=pb.DEVICE_STATUS_OFFLINE)) == []
    safety.clock.now += timedelta(minutes=61)
    assert await run_offline(safety) == ScanResult(1, 1)
    assert await safety.count(f"outbox WHERE type = '{OFFLINE}'") == 2
