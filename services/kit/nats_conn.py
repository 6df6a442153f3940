"""One way to connect to NATS: reconnect forever and say so in the logs.

A service must outlive a NATS restart or a cluster rolling update, so the connection never gives up
(``max_reconnect_attempts=-1``); the relay and the consumers retry their own work on top of it.
``url`` may list several servers separated by commas (a JetStream cluster).
"""

from __future__ import annotations

import logging
from typing import Any

import nats
from nats.aio.client import Client

log = logging.getLogger(__name__)

DEFAULT_RECONNECT_WAIT_S = 1.0
DEFAULT_CONNECT_TIMEOUT_S = 2.0


def server_list(url: str) -> list[str]:
    """The servers of a comma-separated NATS URL list."""
    servers = [part.strip() for part in url.split(",") if part.strip()]
    if not servers:
        raise ValueError("no NATS server URL given")
    return servers


async def connect(url: str, name: str, **options: Any) -> Client:
    """A nats-py client that reconnects without limit and logs errors, disconnects and reconnects."""
    nc = nats.NATS()

    async def on_error(exc: Exception) -> None:
        log.warning("nats (%s): %s: %s", name, type(exc).__name__, exc)

    async def on_disconnected() -> None:
        # close() also reports a disconnect; only an unplanned one deserves a warning.
        log.log(logging.INFO if nc.is_closed else logging.WARNING, "nats (%s): disconnected", name)

    async def on_reconnected() -> None:
        log.info("nats (%s): reconnected to %s", name, nc.connected_url.netloc if nc.connected_url else "?")

    async def on_closed() -> None:
        log.info("nats (%s): connection closed", name)

    settings: dict[str, Any] = {
        "name": name,
        "allow_reconnect": True,
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": DEFAULT_RECONNECT_WAIT_S,
        "connect_timeout": DEFAULT_CONNECT_TIMEOUT_S,
        "error_cb": on_error,
        "disconnected_cb": on_disconnected,
        "reconnected_cb": on_reconnected,
        "closed_cb": on_closed,
    }
    settings.update(options)
    await nc.connect(servers=server_list(url), **settings)
    log.info("nats (%s): connected to %s", name, url)
    return nc
