"""The discovery contract tests' fixture: relief consuming from the session's nats-server, and a publisher.

Each test starts from a fresh durable and no old eldercare / childwelfare / funeral messages, so nothing
from an earlier test is replayed into its database. Events are published as the other services' relays
do (``Nats-Msg-Id`` = event id; a redelivery test republishes the same event id under a new message id).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pytest
from minzheng.relief.v1 import discovery_pb2 as dpb
from minzheng.relief.v1.applications_pb2_grpc import ApplicationServiceStub
from minzheng.relief.v1.discovery_pb2_grpc import DiscoveryServiceStub
from minzheng.relief.v1.eligibility_pb2_grpc import EligibilityServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub
from nats import connect as nats_connect
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.kit.cloudevents import CloudEvent, event_type
from services.kit.iddigest import digest_key, id_number_digest
from services.kit.local_nats import LocalNats
from services.kit.relay import CONTENT_TYPE, MSG_ID_HEADER
from services.kit.service import ServiceProcess
from services.kit.settings import Settings, load_settings
from services.kit.stream import ensure_stream
from services.relief import digests
from services.relief.discovery import DURABLE
from services.relief.spec import make_spec
from tests.contract.kit.support import eventually
from tests.contract.relief.application_support import Apps, MovableClock
from tests.contract.relief.conftest import ADMIN, SECRET, md

SOURCES = ("civic.eldercare.>", "civic.childwelfare.>", "civic.funeral.>")


@dataclass
class Discovery(Apps):
    """relief with its discovery stub and a JetStream publisher standing in for the other services."""

    discovery: DiscoveryServiceStub = field(default=None)  # type: ignore[assignment]
    js: JetStreamContext = field(default=None)  # type: ignore[assignment]
    settings: Settings = field(default=None)  # type: ignore[assignment]

    def digest(self, id_number: str) -> str:
        return id_number_digest(id_number, digest_key(self.settings))

    async def publish(
        self, subject: str, data: dict[str, Any], *, event_id: str | None = None
    ) -> tuple[CloudEvent, int]:
        """Publish a CloudEvent as a relay would and wait until relief has settled it."""
        ce, seq = await self.publish_nowait(subject, data, event_id=event_id)
        await self.settled(seq)
        return ce, seq

    async def publish_nowait(
        self, subject: str, data: dict[str, Any], *, event_id: str | None = None
    ) -> tuple[CloudEvent, int]:
        """Publish a CloudEvent as a relay would; returns it and its stream sequence."""
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
            try:
                info = await self.js.consumer_info(self.settings.stream_name, DURABLE)
            except NotFoundError:  # the service creates its durable as it starts: not yet
                return False
            return info.ack_floor.stream_seq >= seq

        await eventually(done, what=f"relief's discovery consumer settled stream seq {seq}")

    async def delivered(self, seq: int) -> None:
        """Wait until the durable has delivered ``seq`` at least once (acknowledged or not)."""

        async def done() -> bool:
            info = await self.js.consumer_info(self.settings.stream_name, DURABLE)
            return info.delivered.stream_seq >= seq

        await eventually(done, what=f"relief's discovery consumer delivered stream seq {seq}")

    async def flags(
        self, *, token: str = ADMIN, status: dpb.FlagStatus.ValueType = dpb.FLAG_STATUS_UNSPECIFIED
    ) -> list[dpb.HouseholdFlag]:
        """ListFlags (first page)."""
        reply = await self.discovery.ListFlags(dpb.ListFlagsRequest(status=status), metadata=md(token))
        return list(reply.flags)


@pytest.fixture(name="disc")
async def disc_fixture(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Discovery]:
    """relief on a fresh database with a movable clock, consuming from a fresh durable."""
    settings = load_settings(
        "relief",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
        consumer_max_deliver=4,  # a retried event (digests incomplete) gets a few tries
    )
    nc = await nats_connect(nats.url)
    js = nc.jetstream()
    await ensure_stream(js, settings)
    for subject in SOURCES:
        await js.purge_stream(settings.stream_name, subject=subject)
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(settings.stream_name, DURABLE)
    clock = MovableClock()
    process = ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)
    await process.start()
    # What the digest job does as the service starts (jobs are not scheduled here): the current key's
    # digests complete, so a digest matching nobody means "not one of ours".
    async with process.ctx.db.unit_of_work() as session:
        await digests.sync_digests(session, key=digest_key(settings))
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Discovery(
            process=process,
            channel=channel,
            households=HouseholdServiceStub(channel),
            eligibility=EligibilityServiceStub(channel),
            database_url=database_url,
            applications=ApplicationServiceStub(channel),
            clock=clock,
            discovery=DiscoveryServiceStub(channel),
            js=js,
            settings=settings,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)
        await nc.close()
