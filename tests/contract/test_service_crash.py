"""A service SIGKILLed after its commit and before its relay published: the event arrives once.

The real ``python -m services.eldercare`` process, on both database backends: NATS is stopped so
the relay cannot publish, AssignBed commits (state + outbox row), the service is killed with
SIGKILL, NATS comes back, the service restarts and its relay delivers the event exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date

import grpc
import nats as nats_py
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.kit.auth import Role, TokenCodec
from services.kit.cloudevents import CloudEvent
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats, free_port

SECRET = "crash-test-secret-0123456789abcdef0123"
ADMIN = auth_metadata(TokenCodec(SECRET).mint("admin", roles=[Role.ADMIN], regions=["330109"]))


class ServiceRun:
    """``python -m services.eldercare`` as its own process."""

    def __init__(self, database_url: str, nats_url: str, tmp: str) -> None:
        self.port = free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MINZHENG_", "ELDERCARE_"))},
            "ELDERCARE_DATABASE_URL": database_url,
            "ELDERCARE_GRPC_PORT": str(self.port),
            "MINZHENG_NATS_URL": nats_url,
            "MINZHENG_JWT_SECRET": SECRET,
            "MINZHENG_DATA_DIR": tmp,
            "MINZHENG_ENVIRONMENT": "test",
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.eldercare"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def wait_serving(self) -> None:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{self.port}") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            for _ in range(300):
                assert self.proc is not None and self.proc.poll() is None, "the service exited"
                try:
                    reply = await health.Check(health_pb2.HealthCheckRequest(), timeout=1)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.aio.AioRpcError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("the service did not become healthy")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def service(database_url: str, nats: LocalNats, tmp_path: object) -> Iterator[ServiceRun]:
    run = ServiceRun(database_url, nats.url, str(tmp_path))
    yield run
    run.stop()


async def bed_assigned_events(nats_url: str, bed_id: str) -> list[CloudEvent]:
    """Every bed-assigned CloudEvent on the stream for one bed."""
    nc = await nats_py.connect(nats_url)
    try:
        js = nc.jetstream()
        sub = await js.pull_subscribe(
            "civic.eldercare.bed-assigned",
            durable=None,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL),
        )
        found: list[CloudEvent] = []
        while True:
            try:
                msgs = await sub.fetch(200, timeout=1)
            except (nats_py.errors.TimeoutError, TimeoutError):  # nats-py raises either when none came
                break
            for msg in msgs:
                ce = CloudEvent.from_json(msg.data)
                if ce.data.get("bed_id") == bed_id:
                    found.append(ce)
                await msg.ack()
        await sub.unsubscribe()
        return found
    finally:
        await nc.close()


async def test_an_event_committed_before_a_sigkill_is_published_once_after_restart(
    service: ServiceRun, nats: LocalNats
) -> None:
    service.start()
    await service.wait_serving()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
        stub = EldercareServiceStub(channel)
        inst = await stub.RegisterInstitution(
            pb.RegisterInstitutionRequest(
                name="所前镇敬老院", kind=pb.INSTITUTION_KIND_PUBLIC, region_code="330109115", star_rating=3
            ),
            metadata=ADMIN,
        )
        beds = await stub.AddBeds(
            pb.AddBedsRequest(institution_id=inst.id, type=pb.BED_TYPE_NURSING, count=1), metadata=ADMIN
        )
        bed_id = beds.beds[0].id

        nats.stop()  # the relay can no longer publish
        elder = make_id_number(birth_date=date(1942, 5, 6), sequence=17)
        await stub.AssignBed(
            pb.AssignBedRequest(bed_id=bed_id, elder_id_number=elder, elder_name="沈大伯"), metadata=ADMIN
        )
    service.kill()  # committed, not published
    nats.start()

    service.start()
    await service.wait_serving()
    deadline = time.monotonic() + 20
    events: list[CloudEvent] = []
    while time.monotonic() < deadline:
        events = await bed_assigned_events(nats.url, bed_id)
        if events:
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # a second publish, if any, would land within the relay's next polls
    events = await bed_assigned_events(nats.url, bed_id)
    assert len(events) == 1
    assert events[0].data["bed_type"] == "nursing"
