"""The outbox relay as a process of its own: ``python -m services.kit.relay_main --service <name>``.

By default (``MINZHENG_RELAY=inline``: ``Settings.relay``) a service runs its relay in its own event loop,
beside gRPC, consumers and jobs. A job that stages tens of thousands of events (an overdue scan) then
shares one core with the relay publishing them, and the two take turns. With ``MINZHENG_RELAY=separate``
the service runs no relay; this process does, on the service's database and settings (same ``<SERVICE>_*``
and ``MINZHENG_*`` variables), so it gets a core of its own — in Kubernetes a second container of the
service's pod, or its own Deployment.

How many: on PostgreSQL any number (claims are ``FOR UPDATE SKIP LOCKED``: replicas take disjoint
batches). On SQLite one per database file, on the same host as the service (a file shared between
processes; a second relay would only queue on the write lock, see ``kit.relay``).

Waking: after a commit that staged events the service publishes an empty core-NATS message on
``wake_subject(service)`` (``RemoteWake``); the relay process listens there and publishes at once, and
polls every ``poll_interval_s`` regardless, so a lost wake-up costs at most one poll interval.

On SQLite the service and this process take turns at the file's write lock: here a write that finds it
taken fails at once (``busy_timeout`` 0) and the relay tries again every ``SQLITE_LOCK_POLL_S``
(``OutboxRelay.lock_poll_s``) instead of sleeping in SQLite's busy handler.

Health: the process serves grpc.health.v1 on ``grpc_host:relay_health_port`` (``<SERVICE>_RELAY_HEALTH_PORT``,
50060; the kit's ``GrpcServer`` with no services of its own), which the pod's probes read as they read a
service's: ``""`` is SERVING once NATS is connected and the database answers, and while both do;
NOT_SERVING from the moment it is told to stop; ``liveness`` stays SERVING while the process runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy import event

from services.kit.auth import TokenCodec
from services.kit.db import Database
from services.kit.grpc_server import GrpcServer
from services.kit.heap import freeze_startup_heap
from services.kit.logs import setup_logging
from services.kit.nats_conn import connect
from services.kit.readiness import watch_readiness
from services.kit.relay import OutboxRelay
from services.kit.settings import Settings, load_settings
from services.kit.stream import ensure_stream
from services.kit.telemetry import setup_tracing

log = logging.getLogger(__name__)

RELAY_MODE_ENV = "MINZHENG_RELAY"
INLINE, SEPARATE = "inline", "separate"
# Core NATS, outside the CIVIC stream's subjects: a wake-up is a hint, never an event.
WAKE_SUBJECT_PREFIX = "_minzheng.relay.wake."
SQLITE_LOCK_POLL_S = 0.002
READINESS_INTERVAL_S = 5.0
HEALTH_GRACE_S = 1.0


def wake_subject(service: str) -> str:
    """The core-NATS subject a service's separate relay listens on for wake-ups."""
    return WAKE_SUBJECT_PREFIX + service


class RemoteWake:
    """``notify()`` for a service whose relay runs elsewhere: an empty message on the wake subject."""

    def __init__(self, nc: NatsClient, service: str) -> None:
        self._nc = nc
        self._subject = wake_subject(service)
        self._pending: asyncio.Task[None] | None = None

    def notify(self) -> None:
        # Called from sync code after a commit; one wake-up in flight is enough (the relay drains
        # everything committed when it wakes), so commits in quick succession send one message.
        if self._pending is not None and not self._pending.done():
            return
        self._pending = asyncio.get_running_loop().create_task(self._send())

    async def _send(self) -> None:
        with contextlib.suppress(Exception):  # a hint: the relay's poll catches up if it is lost
            await self._nc.publish(self._subject, b"")


async def run_relay(
    settings: Settings,
    stop: asyncio.Event,
    *,
    poll_interval_s: float = 0.2,
    serving: Callable[[str], object] | None = None,
) -> OutboxRelay:
    """Relay ``settings``' database to JetStream until ``stop`` is set; the relay (for its stats).

    Serves gRPC health meanwhile (see above); ``serving(address)`` is called once it reports SERVING,
    with the ``host:port`` it listens on (``relay_health_port`` 0 picks a free one).
    """
    db = Database(settings.resolved_database_url)
    if db.is_sqlite:
        _fail_fast_on_lock(db)
    nc = await connect(settings.nats_url, name=f"{settings.service_name}-relay")
    try:
        js = nc.jetstream()
        await ensure_stream(js, settings)
        relay = OutboxRelay(
            db,
            js,
            settings,
            poll_interval_s=poll_interval_s,
            lock_poll_s=SQLITE_LOCK_POLL_S if db.is_sqlite else 0.0,
        )

        async def woken(_msg: object) -> None:
            relay.notify()

        await nc.subscribe(wake_subject(settings.service_name), cb=woken)
        await db.ping()  # SERVING only once it answers; if it does not, the process exits (and is restarted)
        health = GrpcServer(
            # Health and reflection answer without a token; the codec is the interceptor's, unused here.
            codec=TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience),
            service_names=[],
            register=lambda _server: None,
            host=settings.grpc_host,
            port=settings.relay_health_port,
        )
        await health.start()
        if serving is not None:
            serving(health.address)
        watch = asyncio.create_task(_watch_readiness(health, db, nc, stop), name="relay-readiness")
        freeze_startup_heap()  # see kit.heap
        try:
            await relay.run(stop)
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
            await health.stop(HEALTH_GRACE_S)
        return relay
    finally:
        with contextlib.suppress(Exception):
            await nc.drain()
        await db.dispose()


async def _watch_readiness(health: GrpcServer, db: Database, nc: NatsClient, stop: asyncio.Event) -> None:
    """SERVING while the database and NATS answer (as a service's readiness); NOT_SERVING once stopping."""
    await watch_readiness(health, db, nc, stop, interval_s=READINESS_INTERVAL_S, what="relay readiness")
    await health.set_serving(False)


def _fail_fast_on_lock(db: Database) -> None:
    """This process's SQLite connections report a taken write lock at once (the relay polls, see above)."""

    @event.listens_for(db.engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # After kit.db's own connect hook, which set the service's busy timeout.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()


async def _serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("%s outbox relay process starting", settings.service_name)
    await run_relay(settings, stop)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--service", required=True, help="the service whose outbox to relay (childwelfare…)")
    args = parser.parse_args(argv)
    settings = load_settings(args.service)
    setup_logging(f"{args.service}-relay", settings.log_level, settings.log_format)
    setup_tracing(f"{args.service}-relay", settings.otel_exporter, settings.otel_endpoint)
    asyncio.run(_serve(settings))


if __name__ == "__main__":
    main()
