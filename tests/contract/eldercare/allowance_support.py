"""Fixtures for the allowance, voucher and inbound tests: eldercare with a movable clock and a test policy.

The packaged policy has no figures (the seeds give none), so these tests run on their own policy file
with plainly made-up test amounts. Elders are inserted straight into the service's database (the
elder registry is another area's API); everything else goes through gRPC or NATS.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from minzheng.eldercare.v1 import allowances_pb2 as pb
from minzheng.eldercare.v1.allowances_pb2_grpc import ElderAllowanceServiceStub
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from nats import connect as nats_connect
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.eldercare.allowance_policy import load_allowance_policy
from services.eldercare.handlers import DURABLE
from services.eldercare.models import Elder
from services.eldercare.spec import make_spec
from services.kit.cloudevents import CloudEvent, event_type
from services.kit.db import Database
from services.kit.idcard import make_id_number
from services.kit.iddigest import digest_key, id_number_digest
from services.kit.local_nats import LocalNats
from services.kit.relay import CONTENT_TYPE, MSG_ID_HEADER
from services.kit.service import ServiceProcess
from services.kit.settings import Settings, load_settings
from services.kit.stream import ensure_stream
from tests.contract.eldercare.conftest import ADMIN, SECRET, md
from tests.contract.kit.support import eventually

VILLAGE = "330109001001"
OTHER_VILLAGE = "330109002001"
# 15 June 2025, 10:00 in Shanghai.
START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)

TEST_POLICY = """
tables:
  old_age_allowance:
    entries:
      - {key: age_80, from: 2020-01-01, value: {min_age: 80, monthly: "100.00"}}
      - {key: age_90, from: 2020-01-01, value: {min_age: 90, monthly: "200.00"}}
      - {key: age_100, from: 2020-01-01, value: {min_age: 100, monthly: null}}
  eldercare_voucher:
    entries:
      - key: relief_impaired
        from: 2020-01-01
        value:
          min_age: 60
          capability_levels: [moderate, severe, complete]
          relief: [dibao, dibian]
          monthly: "300.00"
      - key: relief
        from: 2020-01-01
        value: {min_age: 60, relief: [dibao, dibian, tekun], monthly: "100.00"}
      - key: very_old_impaired
        from: 2020-01-01
        value: {min_age: 95, capability_levels: [severe, complete], monthly: null}
"""


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Allowances:
    """A running eldercare service, its stubs, clock, policy and (for events) a JetStream publisher."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    stub: ElderAllowanceServiceStub
    beds: EldercareServiceStub
    clock: MovableClock
    policy_path: str
    js: JetStreamContext
    settings: Settings
    _sequence: int = 0

    @property
    def db(self) -> Database:
        assert self.process.ctx is not None
        return self.process.ctx.db

    @property
    def policy(self) -> Any:
        return load_allowance_policy(self.policy_path)

    async def count(self, table_and_where: str) -> int:
        """Rows in one of the service's tables (to show what was or was not written)."""
        async with self.db.read() as session:
            result = await session.exec(sa.text(f"SELECT count(*) FROM {table_and_where}"))  # type: ignore[call-overload]
            return int(result.scalar_one())

    async def elder(
        self,
        born: date,
        *,
        region: str = VILLAGE,
        level: str | None = None,
        deceased_on: date | None = None,
        name: str = "王秀英",
    ) -> Elder:
        """Insert an elder (a valid ID number with that birth date) straight into the database."""
        self._sequence += 2
        number = make_id_number(area_code="330109", birth_date=born, sequence=self._sequence)
        fields: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "id_number": number,
            "name": name,
            "sex": "F",
            "birth_date": born,
            "region_code": region,
            "living_arrangement": "alone",
            "capability_level": level,
            "deceased_on": deceased_on,
            "registered_at": self.clock.now,
            "registered_by": "test",
            "updated_at": self.clock.now,
        }
        async with self.db.unit_of_work() as session:
            session.add(Elder(**fields))
        return Elder(**fields)  # detached: the test reads its fields, never the session's copy

    def digest(self, id_number: str) -> str:
        return id_number_digest(id_number, digest_key(self.settings))

    async def run(self, period: str = "", token: str = "") -> pb.ElderAllowanceRun:
        """RunElderAllowances as the district admin (default) for a month."""
        return await self.stub.RunElderAllowances(
            pb.RunElderAllowancesRequest(period=period), metadata=md(token or ADMIN)
        )

    async def paid(self, elder: Elder, programme: int = 0, token: str = "") -> list[tuple[str, str, int]]:
        """(period, policy_key, amount_fen) of an elder's payments, oldest first."""
        reply = await self.stub.ListElderAllowancePayments(
            pb.ListElderAllowancePaymentsRequest(elder_id=elder.id, programme=programme),  # type: ignore[arg-type]
            metadata=md(token or ADMIN),
        )
        return sorted((p.period, p.policy_key, p.amount_fen) for p in reply.payments)

    async def publish(
        self, subject: str, data: dict[str, Any], *, event_id: str | None = None
    ) -> tuple[CloudEvent, int]:
        """Publish a CloudEvent as relief's or funeral's relay would; returns it and its stream sequence."""
        ce = CloudEvent(
            type=event_type(subject),
            source="/minzheng/" + subject.split(".")[1],
            data=data,
            **({"id": event_id} if event_id else {}),
        )
        msg_id = ce.id if event_id is None else f"{ce.id}-{uuid.uuid4()}"
        ack = await self.js.publish(
            subject, ce.to_json(), headers={MSG_ID_HEADER: msg_id, "Content-Type": CONTENT_TYPE}
        )
        return ce, ack.seq

    async def settled(self, seq: int) -> None:
        """Wait until the durable has acknowledged (or given up on) everything up to ``seq``."""

        async def done() -> bool:
            info = await self.js.consumer_info(self.settings.stream_name, DURABLE)
            return info.ack_floor.stream_seq >= seq

        await eventually(done, what=f"the eldercare inbound consumer settled stream seq {seq}")


@pytest.fixture(name="allow")
async def allow_fixture(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Allowances]:
    """eldercare on a fresh database with the test policy, a movable clock and no scheduled jobs."""
    policy = tmp_path / "allowances.yaml"
    policy.write_text(TEST_POLICY, encoding="utf-8")
    settings = load_settings(
        "eldercare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
        consumer_max_deliver=2,
    )
    nc = await nats_connect(nats.url)
    js = nc.jetstream()
    await ensure_stream(js, settings)
    # A fresh durable and no old relief/funeral messages: nothing from an earlier test is replayed here.
    for subject in ("civic.relief.>", "civic.funeral.>"):
        await js.purge_stream(settings.stream_name, subject=subject)
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(settings.stream_name, DURABLE)
    clock = MovableClock()
    spec = make_spec(clock=clock, allowance_policy_path=str(policy))
    process = ServiceProcess(spec, settings, schedule_jobs=False)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Allowances(
            process,
            channel,
            ElderAllowanceServiceStub(channel),
            EldercareServiceStub(channel),
            clock,
            str(policy),
            js,
            settings,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)
        await nc.close()


def at(day: date, hour_utc: int = 2) -> datetime:
    """An instant on a Shanghai calendar day (10:00 there by default)."""
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)
