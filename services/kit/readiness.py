"""Readiness for the gRPC health service: ready while the database and NATS answer.

A service process and a relay process report the same way (``""`` SERVING or NOT_SERVING, which the
Kubernetes probes read): checked at once and then every ``interval_s`` until ``stop`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from nats.aio.client import Client as NatsClient

from services.kit.db import Database

log = logging.getLogger(__name__)

PING_TIMEOUT_S = 2.0


class HealthReporter(Protocol):
    async def set_serving(self, serving: bool) -> None: ...


async def watch_readiness(
    health: HealthReporter,
    db: Database,
    nc: NatsClient,
    stop: asyncio.Event,
    *,
    interval_s: float,
    what: str = "readiness",
) -> None:
    """Set ``health`` SERVING or NOT_SERVING as the database and NATS answer or not, until ``stop``."""
    ready = True
    while not stop.is_set():
        try:
            await asyncio.wait_for(db.ping(), timeout=PING_TIMEOUT_S)
            now_ready = nc.is_connected
        except Exception:  # any failure means not ready; the reason is logged here
            log.exception("%s check failed", what)
            now_ready = False
        if now_ready != ready:
            ready = now_ready
            log.warning("%s changed: %s", what, "SERVING" if ready else "NOT_SERVING")
            await health.set_serving(ready)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
