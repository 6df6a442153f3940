"""Demo home-safety data (安居守护), through the public gRPC API.

Four elders living alone (registered here unless the elder demo already did), each with a one-key call
button and a smoke detector, the last one also a radar fall detector; a few alarms of the development
vendor ``demo`` in every state: raised a minute ago (it escalates while you watch), raised long ago
(escalated), acknowledged by the 96345 hotline, dispatched to the family, resolved as a false alarm.
Running it again adds nothing: elders are found by ID number, an installed serial is skipped, alarms
are idempotent per vendor alarm id, and only the steps an alarm has not taken yet are taken.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import elders_pb2, safety_pb2
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub

from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import make_id_number
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)
DISTRICT = "330109"
VENDOR = "demo"  # the gateway's development vendor (gateway.webhooks.DEV_VENDOR)
NAMES = ("陈阿婆", "沈大伯", "孙奶奶", "钱爷爷")
Metadata = tuple[tuple[str, str], ...]
Step = safety_pb2.AcknowledgeAlarmRequest | safety_pb2.DispatchAlarmRequest | safety_pb2.ResolveAlarmRequest
# (vendor alarm id, elder index, device kind, alarm kind, minutes ago, steps to take after raising).
ALARMS: tuple[tuple[str, int, str, int, int, tuple[str, ...]], ...] = (
    ("DEMO-ALARM-1", 0, "SOS", safety_pb2.ALARM_KIND_SOS, 1, ()),
    ("DEMO-ALARM-2", 1, "SMK", safety_pb2.ALARM_KIND_SMOKE, 45, ()),
    ("DEMO-ALARM-3", 2, "SOS", safety_pb2.ALARM_KIND_SOS, 20, ("acknowledge",)),
    ("DEMO-ALARM-4", 3, "RAD", safety_pb2.ALARM_KIND_FALL, 30, ("acknowledge", "dispatch")),
    ("DEMO-ALARM-5", 0, "SMK", safety_pb2.ALARM_KIND_LOW_BATTERY, 90, ("acknowledge", "resolve")),
)


def _serial(kind: str, elder: int) -> str:
    return f"DEMO-{kind}-{elder + 1:04d}"


async def _elders(stub: ElderServiceStub, admin: Metadata, villages: list[str]) -> list[str]:
    ids = []
    for i, name in enumerate(NAMES):
        id_number = make_id_number(area_code=DISTRICT, birth_date=date(1938 + i, 9, 9), sequence=871 + 2 * i)
        try:
            elder = await stub.GetElder(elders_pb2.GetElderRequest(id_number=id_number), metadata=admin)
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            elder = await stub.RegisterElder(
                elders_pb2.RegisterElderRequest(
                    id_number=id_number,
                    name=name,
                    region_code=villages[i % len(villages)],
                    living_arrangement=elders_pb2.LIVING_ARRANGEMENT_ALONE,
                ),
                metadata=admin,
            )
        ids.append(elder.id)
    return ids


async def _devices(stub: HomeSafetyServiceStub, admin: Metadata, elders: list[str], today: date) -> int:
    wanted = [(e, "SOS", safety_pb2.DEVICE_KIND_SOS) for e in range(len(elders))]
    wanted += [(e, "SMK", safety_pb2.DEVICE_KIND_SMOKE) for e in range(len(elders))]
    wanted.append((len(elders) - 1, "RAD", safety_pb2.DEVICE_KIND_FALL_RADAR))
    added = 0
    for e, code, kind in wanted:
        request = safety_pb2.InstallDeviceRequest(
            elder_id=elders[e],
            kind=kind,
            vendor=VENDOR,
            serial=_serial(code, e),
            installed_on=(today - timedelta(days=90 - e)).isoformat(),
        )
        try:
            await stub.InstallDevice(request, metadata=admin)
            added += 1
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
    return added


def _step(action: str, alarm_id: str) -> Step:
    if action == "acknowledge":
        return safety_pb2.AcknowledgeAlarmRequest(id=alarm_id, note="已回拨老人,确认情况")
    if action == "dispatch":
        return safety_pb2.DispatchAlarmRequest(
            id=alarm_id, target=safety_pb2.DISPATCH_TARGET_FAMILY, note="已通知子女上门"
        )
    return safety_pb2.ResolveAlarmRequest(
        id=alarm_id, outcome=safety_pb2.ALARM_OUTCOME_FALSE_ALARM, note="电量低误报,已更换电池"
    )


async def _alarms(stub: HomeSafetyServiceStub, machine: Metadata, hotline: Metadata) -> int:
    now = datetime.now(UTC)
    steps_taken = 0
    for vendor_alarm_id, elder, code, kind, minutes_ago, steps in ALARMS:
        occurred = Timestamp()
        occurred.FromDatetime(now - timedelta(minutes=minutes_ago))
        reply = await stub.IngestAlarm(
            safety_pb2.IngestAlarmRequest(
                vendor=VENDOR,
                vendor_alarm_id=vendor_alarm_id,
                serial=_serial(code, elder),
                kind=kind,  # type: ignore[arg-type]
                occurred_at=occurred,
                detail="演示数据",
            ),
            metadata=machine,
        )
        done = len(reply.alarm.steps) - 1  # the first step is the raise
        for action in steps[done:]:
            request = _step(action, reply.alarm.id)
            if isinstance(request, safety_pb2.AcknowledgeAlarmRequest):
                await stub.AcknowledgeAlarm(request, metadata=hotline)
            elif isinstance(request, safety_pb2.DispatchAlarmRequest):
                await stub.DispatchAlarm(request, metadata=hotline)
            else:
                await stub.ResolveAlarm(request, metadata=hotline)
            steps_taken += 1
    return steps_taken


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Load the demo elders' devices and alarms (idempotent)."""
    admin = auth_metadata(codec.mint("demo-loader", roles=[Role.ADMIN], regions=[DISTRICT]))
    hotline = auth_metadata(codec.mint("demo-hotline-96345", roles=[Role.HOTLINE], regions=[DISTRICT]))
    machine = auth_metadata(codec.service_token("demo-vendor-bridge", regions=[DISTRICT]))
    villages = [v.code for v in RegionTree.xiaoshan().villages()[:4]]
    elders = await _elders(ElderServiceStub(channel), admin, villages)
    stub = HomeSafetyServiceStub(channel)
    installed = await _devices(stub, admin, elders, today)
    steps = await _alarms(stub, machine, hotline)
    log.info("demo home safety: %d devices installed, %d alarm steps taken", installed, steps)
