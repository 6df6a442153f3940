"""The relay process's gRPC health (``kit.relay_main``), which its container's probes read in Kubernetes.

``""`` is SERVING once the relay has connected to NATS and the database answers, and while both do;
NOT_SERVING from the moment it is told to stop; ``liveness`` stays SERVING while the process runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.kit import relay_main
from services.kit.db import Database
from services.kit.grpc_server import LIVENESS
from services.kit.local_nats import LocalNats
from services.kit.relay import OutboxRelay
from services.kit.settings import Settings
from tests.contract.kit.support import eventually

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@dataclass
class RunningRelay:
    """``run_relay`` as a task, its stop event and a health stub on the port it bound."""

    task: asyncio.Task[OutboxRelay]
    stop: asyncio.Event
    health: health_pb2_grpc.HealthStub

    async def status(self, service: str = "") -> int:
        reply = await self.health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        return reply.status


@pytest.fixture
def quick_readiness(monkeypatch: pytest.MonkeyPatch) -> None:
    """The relay rechecks NATS and the database every 0.1 s instead of every 5 s (before it starts)."""
    monkeypatch.setattr(relay_main, "READINESS_INTERVAL_S", 0.1)


@pytest.fixture
async def relay(
    database_url: str, db: Database, nats: LocalNats, service: str
) -> AsyncIterator[RunningRelay]:
    """The relay of ``service``'s outbox on the test database, its health on a free port."""
    settings = Settings(
        service_name=service,
        environment="test",
        nats_url=nats.url,
        database_url=database_url,
        relay_health_port=0,
    )
    stop = asyncio.Event()
    addresses: asyncio.Queue[str] = asyncio.Queue()
    task = asyncio.create_task(relay_main.run_relay(settings, stop, serving=addresses.put_nowait))
    try:
        address = await asyncio.wait_for(addresses.get(), 30)
        async with grpc.aio.insecure_channel(address) as channel:
            yield RunningRelay(task, stop, health_pb2_grpc.HealthStub(channel))
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


@pytest.fixture
def held_pass(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Relay passes wait for this event, so a stopping relay stays up until the test lets it finish."""
    release = asyncio.Event()
    publish_pending = OutboxRelay.publish_pending

    async def held(self: OutboxRelay) -> int:
        await release.wait()
        return await publish_pending(self)

    monkeypatch.setattr(OutboxRelay, "publish_pending", held)
    return release


async def test_the_relay_reports_serving_once_connected_and_not_serving_when_it_stops(
    held_pass: asyncio.Event, relay: RunningRelay
) -> None:
    assert await relay.status() == SERVING
    assert await relay.status(LIVENESS) == SERVING

    relay.stop.set()  # the relay is in a pass (held): it reports NOT_SERVING before it is done
    try:
        await eventually(_status_is(relay, NOT_SERVING), within=10, what="NOT_SERVING once told to stop")
        assert not relay.task.done()
    finally:
        held_pass.set()
    assert isinstance(await asyncio.wait_for(relay.task, 30), OutboxRelay)
    with pytest.raises(grpc.aio.AioRpcError) as gone:
        await relay.status()
    assert gone.value.code() == grpc.StatusCode.UNAVAILABLE, "the health server stops with the relay"


async def test_the_relay_is_not_ready_while_nats_is_away_but_stays_live(
    quick_readiness: None, relay: RunningRelay, nats: LocalNats
) -> None:
    assert await relay.status() == SERVING
    await asyncio.to_thread(nats.stop)
    try:
        await eventually(_status_is(relay, NOT_SERVING), within=15, what="NOT_SERVING while NATS is down")
        assert await relay.status(LIVENESS) == SERVING
    finally:
        await asyncio.to_thread(nats.start)
    await eventually(_status_is(relay, SERVING), within=15, what="SERVING again once NATS is back")


def _status_is(relay: RunningRelay, status: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await relay.status() == status

    return check
