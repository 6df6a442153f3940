"""Fixtures and helpers of the home-safety contract tests (imported by them; not a conftest).

The real eldercare service runs in-process on a fresh database (both backends) with a movable clock and
without its scheduler: tests run the escalation and offline scans themselves after moving the clock.
Elders are inserted straight into the service's database (the elder API is another area's).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import safety_pb2 as pb
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub

from services.eldercare.models import Elder
from services.eldercare.spec import make_spec
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import Job, ServiceProcess
from services.kit.settings import load_settings
from tests.event_watch import EventWatcher, watching

SECRET = "contract-test-secret-0123456789abcdef"
CODEC = TokenCodec(SECRET)
DISTRICT = "330109"
TOWN = "330109001"
VILLAGE = "330109001001"
OTHER_VILLAGE = "330109002001"

ADMIN = CODEC.mint("district-admin", roles=[Role.ADMIN], regions=[DISTRICT])
TOWN_OFFICER = CODEC.mint("chengxiang-officer", roles=[Role.TOWN_OFFICER], regions=[TOWN])
OTHER_TOWN_OFFICER = CODEC.mint("beigan-officer", roles=[Role.TOWN_OFFICER], regions=["330109002"])
HOTLINE = CODEC.mint("hotline-07", roles=[Role.HOTLINE], regions=[DISTRICT])
VIEWER = CODEC.mint("cockpit", roles=[Role.VIEWER], regions=[DISTRICT])
GATEWAY = CODEC.service_token("gateway", regions=[DISTRICT])

# 15 June 2025, 10:00 in Shanghai.
START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Safety:
    """A running eldercare service, a HomeSafetyService stub, its clock and database URL."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    stub: HomeSafetyServiceStub
    clock: MovableClock
    database_url: str
    settings_kwargs: dict[str, object]

    async def count(self, table: str) -> int:
        """Rows in one of the service's tables (read straight from its database)."""
        assert self.process.ctx is not None
        async with self.process.ctx.db.read() as session:
            return int((await session.exec(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())  # type: ignore[call-overload]

    async def counts(self) -> dict[str, int]:
        """Every home-safety table's rows, plus the outbox and audit log."""
        tables = ("safety_device", "safety_alarm", "safety_alarm_step", "safety_alarm_escalation", "outbox")
        return {t: await self.count(t) for t in (*tables, "audit_log")}

    def job(self, name: str) -> Job:
        """The service's own scheduled job ``name`` (run it as the scheduler would)."""
        assert self.process.ctx is not None
        return next(j for j in self.process.spec.jobs(self.process.ctx) if j.name == name)

    async def add_elder(
        self, *, region: str = VILLAGE, name: str = "王秀英", sequence: int | None = None
    ) -> str:
        """Insert an elder straight into the database; the elder's id."""
        assert self.process.ctx is not None
        seq = sequence if sequence is not None else int(uuid.uuid4().int % 900) + 1
        born = date(1940, 3, 8)
        elder = Elder(
            id=str(uuid.uuid4()),
            id_number=make_id_number(area_code=DISTRICT, birth_date=born, sequence=seq),
            name=name,
            sex="M" if seq % 2 else "F",
            birth_date=born,
            region_code=region,
            living_arrangement="alone",
            registered_at=self.clock.now,
            registered_by="test",
            updated_at=self.clock.now,
        )
        async with self.process.ctx.db.unit_of_work() as session:
            session.add(elder)
        return elder.id


async def start_safety(database_url: str, nats_url: str, data_dir: Path, clock: MovableClock) -> Safety:
    """Start eldercare on ``database_url`` with ``clock`` (no scheduler) and connect a stub."""
    kwargs: dict[str, object] = {
        "database_url": database_url,
        "nats_url": nats_url,
        "grpc_port": 0,
        "jwt_secret": SECRET,
        "environment": "test",
        "data_dir": data_dir,
    }
    process = ServiceProcess(
        make_spec(clock=clock), load_settings("eldercare", **kwargs), schedule_jobs=False
    )
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    return Safety(process, channel, HomeSafetyServiceStub(channel), clock, database_url, kwargs)


async def stop_safety(svc: Safety) -> None:
    """Close the stub's channel and stop the service."""
    await svc.channel.close()
    await svc.process.stop(grace_s=1)


@pytest.fixture
async def safety(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Safety]:
    """eldercare on a fresh database with a movable clock, serving on a free port."""
    svc = await start_safety(database_url, nats.url, tmp_path, MovableClock())
    try:
        yield svc
    finally:
        await stop_safety(svc)


def md(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata carrying a bearer token."""
    return auth_metadata(token)


def ts(moment: datetime) -> Timestamp:
    """A protobuf Timestamp."""
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


async def install(
    svc: Safety,
    elder_id: str,
    *,
    kind: pb.DeviceKind.ValueType = pb.DEVICE_KIND_SOS,
    vendor: str = "acme",
    serial: str = "SOS-0001",
    token: str = ADMIN,
) -> pb.Device:
    """Install a device."""
    return await svc.stub.InstallDevice(
        pb.InstallDeviceRequest(elder_id=elder_id, kind=kind, vendor=vendor, serial=serial),
        metadata=md(token),
    )


async def ingest(
    svc: Safety,
    vendor_alarm_id: str,
    *,
    serial: str = "SOS-0001",
    vendor: str = "acme",
    kind: pb.AlarmKind.ValueType = pb.ALARM_KIND_SOS,
    occurred_at: datetime | None = None,
    token: str = GATEWAY,
) -> pb.IngestAlarmResponse:
    """Ingest an alarm as the gateway would."""
    return await svc.stub.IngestAlarm(
        pb.IngestAlarmRequest(
            vendor=vendor,
            vendor_alarm_id=vendor_alarm_id,
            serial=serial,
            kind=kind,
            occurred_at=ts(occurred_at or svc.clock.now),
            detail="按下一键呼叫",
        ),
        metadata=md(token),
    )


# The fixture's type, as the safety tests import it.
Watcher = EventWatcher


@pytest.fixture
async def watch(safety: Safety) -> AsyncIterator[EventWatcher]:
    """A watcher of eldercare's events from now on."""
    async with watching(safety.process.settings.nats_url, "civic.eldercare.>") as watcher:
        yield watcher
