"""Fixtures for the elders contract tests: eldercare with a movable clock, elder helpers, events from NATS.

The service is started like the eldercare conftest starts it, but through ``make_spec(clock=...)``
and without its job scheduler, so tests set "now" and run the overdue scan themselves.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import nats
import pytest
import sqlalchemy as sa
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as pb
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy

from services.eldercare.elder_overdue import JOB_NAME, ScanResult
from services.eldercare.spec import make_spec
from services.kit.event_catalog import EventDef
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import Settings, load_settings
from tests.contract.eldercare.conftest import ADMIN, SECRET, md

VILLAGE = "330109001001"  # 湘湖社区, in 城厢街道 (TOWN)
VILLAGE_2 = "330109001002"  # 俞家潭社区
OTHER_VILLAGE = "330109002001"  # in 北干街道
# 15 June 2025, 10:00 in Shanghai.
START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
ELDER_TABLES = ("elder", "elder_contact", "capability_assessment", "elder_visit", "audit_log", "outbox")


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Elders:
    """A running eldercare service, an ElderService stub, its clock and settings."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    stub: ElderServiceStub
    clock: MovableClock
    settings: Settings
    nats_url: str

    async def count(self, table: str) -> int:
        """Rows in one of the service's tables (to show that nothing was written)."""
        assert self.process.ctx is not None
        async with self.process.ctx.db.read() as session:
            return int((await session.exec(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())  # type: ignore[call-overload]

    async def counts(self) -> dict[str, int]:
        """Rows in every table an elder call writes."""
        return {t: await self.count(t) for t in ELDER_TABLES}


def start_process(settings: Settings, clock: MovableClock) -> ServiceProcess:
    """An eldercare process on ``settings`` with the movable clock and no scheduler."""
    return ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)


@pytest.fixture
async def es(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Elders]:
    """eldercare on a fresh database, serving on a free port, with a movable clock."""
    settings = load_settings(
        "eldercare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    clock = MovableClock()
    process = start_process(settings, clock)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Elders(process, channel, ElderServiceStub(channel), clock, settings, nats.url)
    finally:
        await channel.close()
        await process.stop(grace_s=1)


def at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def elder_number(sequence: int, born: date = date(1948, 4, 2)) -> str:
    """A valid ID number of someone well over 60."""
    return make_id_number(area_code="330109", birth_date=born, sequence=sequence)


def contact(name: str = "王小明", phone: str = "13800138000") -> pb.ElderContact:
    """A contact (a child of the elder)."""
    return pb.ElderContact(name=name, relation=pb.CONTACT_RELATION_CHILD, phone=phone)


async def register(
    es: Elders,
    number: str,
    *,
    name: str = "王秀英",
    region: str = VILLAGE,
    living: pb.LivingArrangement.ValueType = pb.LIVING_ARRANGEMENT_ALONE,
    token: str = ADMIN,
    **flags: bool,
) -> pb.Elder:
    """Register an elder (alone, so vulnerable, unless told otherwise)."""
    request = pb.RegisterElderRequest(
        id_number=number,
        name=name,
        region_code=region,
        living_arrangement=living,
        phone="0571-82345678",
        address="湘湖路 1 号",
        contacts=[contact()],
        **flags,
    )
    return await es.stub.RegisterElder(request, metadata=md(token))


async def assess(
    es: Elders,
    elder_id: str,
    level: pb.CapabilityLevel.ValueType,
    on: str,
    *,
    token: str = ADMIN,
) -> pb.CapabilityAssessment:
    """Record a capability assessment."""
    request = pb.RecordAssessmentRequest(
        elder_id=elder_id, level=level, assessed_on=on, assessor="李评估", organisation="区评估中心"
    )
    return await es.stub.RecordAssessment(request, metadata=md(token))


async def visit(
    es: Elders, elder_id: str, on: str, *, visitor_region: str = VILLAGE, token: str = ADMIN
) -> pb.ElderVisit:
    """Record a home visit by a worker of ``visitor_region``."""
    request = pb.RecordElderVisitRequest(
        elder_id=elder_id,
        visited_on=on,
        visitor=pb.Visitor(name="陈网格", region_code=visitor_region),
        findings="身体尚可",
        risk_level=pb.VISIT_RISK_LEVEL_LOW,
    )
    return await es.stub.RecordElderVisit(request, metadata=md(token))


async def get(es: Elders, elder_id: str, *, token: str = ADMIN) -> pb.Elder:
    """One elder by id."""
    return await es.stub.GetElder(pb.GetElderRequest(id=elder_id), metadata=md(token))


async def list_all(
    es: Elders, *, token: str = ADMIN, page_size: int = 200, **filters: object
) -> list[pb.Elder]:
    """Every elder the token sees with the filters, across pages."""
    found: list[pb.Elder] = []
    page_token = ""
    while True:
        reply = await es.stub.ListElders(
            pb.ListEldersRequest(
                page=common_pb2.PageRequest(page_size=page_size, page_token=page_token),
                **filters,  # type: ignore[arg-type]
            ),
            metadata=md(token),
        )
        found += list(reply.elders)
        page_token = reply.page_info.next_page_token
        if not page_token:
            return found


async def scan(process: ServiceProcess) -> ScanResult:
    """Run the service's own overdue-scan job once (as its scheduler would)."""
    assert process.ctx is not None
    [job] = [j for j in process.spec.jobs(process.ctx) if j.name == JOB_NAME]
    result = await job.run()
    assert isinstance(result, ScanResult)
    return result


async def published(process: ServiceProcess) -> None:
    """Wait until the relay has published every outbox row (so the stream holds them)."""
    assert process.ctx is not None
    for _ in range(200):
        async with process.ctx.db.read() as session:
            pending = (
                await session.exec(sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))  # type: ignore[call-overload]
            ).scalar_one()
        if pending == 0:
            return
        process.ctx.notify_outbox()
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox was not published")


async def events_about(
    es: Elders, event: EventDef, elder_ids: Iterable[str], *, process: ServiceProcess | None = None
) -> dict[str, list[dict[str, object]]]:
    """Every CloudEvent of ``event`` on the CIVIC stream about the elders, by elder id, in stream order."""
    await published(process or es.process)
    wanted = set(elder_ids)
    found: dict[str, list[dict[str, object]]] = {e: [] for e in wanted}
    nc = await nats.connect(es.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            event.subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
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
