"""The life of a service process: migrate, connect, serve gRPC, relay the outbox, consume events,
report readiness, and stop cleanly on SIGTERM/SIGINT.

A service describes itself with a ``ServiceSpec`` (its servicers, migrations and subscriptions,
listed in one place) and calls ``run(spec)`` from its ``__main__``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext

from services.kit.auth import Principal, Role, TokenCodec
from services.kit.consumer import EventConsumer, Handler
from services.kit.db import Database
from services.kit.grpc_server import GrpcServer
from services.kit.heap import freeze_startup_heap
from services.kit.housekeeping import run_housekeeping
from services.kit.logs import setup_logging
from services.kit.nats_conn import connect
from services.kit.readiness import watch_readiness
from services.kit.relay import OutboxRelay
from services.kit.relay_main import SEPARATE, RemoteWake
from services.kit.settings import Settings, load_settings
from services.kit.stream import ensure_stream
from services.kit.telemetry import setup_tracing

log = logging.getLogger(__name__)
READINESS_INTERVAL_S = 5.0


@dataclass
class Subscription:
    """A durable consumer: the subjects it filters and the handler for them."""

    durable: str
    subjects: list[str]
    handler: Handler


@dataclass
class Job:
    """Scheduled work: ``run`` at start and then every ``interval_s`` seconds until the service stops.

    Every replica runs its own jobs, so a job must be idempotent across replicas and restarts.
    """

    name: str
    interval_s: float
    run: Callable[[], Awaitable[object]]


def interval_from_env(name: str, default_s: float, environ: Mapping[str, str] = os.environ) -> float:
    """A job's interval in seconds from the variable ``name`` (unset: ``default_s``); bad values refused."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default_s
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


@dataclass
class ServiceContext:
    """What servicers and handlers are built from (constructor injection, no globals)."""

    settings: Settings
    db: Database
    codec: TokenCodec
    nc: NatsClient
    js: JetStreamContext
    relay: OutboxRelay
    # Who event handlers and scheduled jobs act as: the service itself, within its own regions.
    principal: Principal
    # Set when the relay runs in a process of its own (kit.relay_main): wakes that one instead.
    remote_wake: RemoteWake | None = None

    def notify_outbox(self) -> None:
        """Ask the relay to publish now instead of at its next poll (call after a commit)."""
        if self.remote_wake is not None:
            self.remote_wake.notify()
        else:
            self.relay.notify()


@dataclass
class ServiceSpec:
    """One service's description: name, gRPC servicers, migrations, subscriptions, scheduled jobs."""

    name: str
    grpc_service_names: list[str]
    register: Callable[[grpc.aio.Server, ServiceContext], None]
    migrations: Path
    subscriptions: Callable[[ServiceContext], list[Subscription]] = field(default=lambda _ctx: [])
    jobs: Callable[[ServiceContext], list[Job]] = field(default=lambda _ctx: [])


class ServiceProcess:
    """A running service; ``start`` and ``stop`` are separate so tests can run one in-process."""

    def __init__(self, spec: ServiceSpec, settings: Settings, *, schedule_jobs: bool = True) -> None:
        # Tests that drive a job themselves (on a moved clock) start the service without its scheduler,
        # so a scheduled run cannot race theirs.
        self.spec = spec
        self.settings = settings
        self.schedule_jobs = schedule_jobs
        self.ctx: ServiceContext | None = None
        self.server: GrpcServer | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def address(self) -> str:
        """host:port the gRPC server listens on."""
        assert self.server is not None
        return self.server.address

    async def start(self) -> None:
        """Migrate, connect to NATS, ensure the stream, start relay, consumers and the gRPC server."""
        s = self.settings
        db = Database(s.resolved_database_url)
        await db.migrate(self.spec.migrations)
        nc = await connect(s.nats_url, name=s.service_name)
        js = nc.jetstream()
        await ensure_stream(js, s)
        codec = TokenCodec(s.jwt_secret, issuer=s.jwt_issuer, audience=s.jwt_audience)
        relay = OutboxRelay(db, js, s)
        # MINZHENG_RELAY=separate: `python -m services.kit.relay_main` publishes this outbox on its own core.
        separate_relay = s.relay == SEPARATE
        principal = Principal(
            subject=f"service:{s.service_name}", roles=frozenset({Role.SERVICE}), regions=s.service_regions
        )
        self.ctx = ctx = ServiceContext(
            settings=s,
            db=db,
            codec=codec,
            nc=nc,
            js=js,
            relay=relay,
            principal=principal,
            remote_wake=RemoteWake(nc, s.service_name) if separate_relay else None,
        )
        self.server = GrpcServer(
            codec=codec,
            service_names=self.spec.grpc_service_names,
            register=lambda server: self.spec.register(server, ctx),
            host=s.grpc_host,
            port=s.grpc_port,
        )
        if not separate_relay:
            self._tasks.append(asyncio.create_task(relay.run(self._stop), name="outbox-relay"))
        self._tasks.append(asyncio.create_task(run_housekeeping(db, s, self._stop), name="housekeeping"))
        for sub in self.spec.subscriptions(ctx):
            consumer = EventConsumer(
                js,
                db,
                durable=sub.durable,
                subjects=sub.subjects,
                handler=sub.handler,
                principal=principal,
                settings=s,
                nc=nc,
            )
            self._tasks.append(asyncio.create_task(consumer.run(self._stop), name=f"consumer-{sub.durable}"))
        for job in self.spec.jobs(ctx) if self.schedule_jobs else []:
            self._tasks.append(asyncio.create_task(self._run_job(job), name=f"job-{job.name}"))
        await self.server.start()
        self._tasks.append(asyncio.create_task(self._watch_readiness(), name="readiness"))

    async def _run_job(self, job: Job) -> None:
        # A failed run is logged and retried at the next interval; it never stops the service.
        while not self._stop.is_set():
            try:
                await job.run()
            except Exception:
                log.exception("job %s failed", job.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), job.interval_s)

    async def _watch_readiness(self) -> None:
        # Ready means the database and NATS answer; the gRPC health status is what probes read.
        assert self.ctx is not None and self.server is not None
        await watch_readiness(
            self.server, self.ctx.db, self.ctx.nc, self._stop, interval_s=READINESS_INTERVAL_S
        )

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop taking calls, finish running ones, flush the relay once more, close connections."""
        self._stop.set()
        if self.server is not None:
            await self.server.stop(grace_s)
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=grace_s)
        if self.ctx is not None:
            with contextlib.suppress(Exception):
                await self.ctx.nc.drain()
            await self.ctx.db.dispose()


async def serve(spec: ServiceSpec, settings: Settings) -> None:
    """Run until SIGTERM or SIGINT."""
    process = ServiceProcess(spec, settings)
    await process.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    freeze_startup_heap()  # after the migrations, demo data and first imports: see kit.heap
    log.info("%s ready on %s", spec.name, process.address)
    await stop.wait()
    log.info("%s stopping", spec.name)
    await process.stop()


def main(spec: ServiceSpec) -> None:
    """Entry point for ``python -m services.<name>``."""
    settings = load_settings(spec.name)
    setup_logging(spec.name, settings.log_level, settings.log_format)
    setup_tracing(spec.name, settings.otel_exporter, settings.otel_endpoint)
    asyncio.run(serve(spec, settings))
