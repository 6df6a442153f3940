"""Watching what a service publishes on NATS, for contract tests: every new message on a subject filter.

The relay promises no order between events staged together (rows committed in one transaction go out
in one batch), so a message read while looking for another is kept for the next look instead of being
dropped: a test may wait for events in any order.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

WAIT_S = 10.0


class EventWatcher:
    """Messages on the filter since the watcher started; ``seen`` lists every one read so far."""

    def __init__(self, sub: JetStreamContext.PushSubscription) -> None:
        self._sub = sub
        self._kept: list[Msg] = []
        self.seen: list[Msg] = []

    def _take(self, ce_type: str, subject: str | None) -> Msg | None:
        for msg in self._kept:
            body = json.loads(msg.data)
            if body["type"] == ce_type and (subject is None or body.get("subject") == subject):
                self._kept.remove(msg)
                return msg
        return None

    async def _next(self, wait_s: float) -> Msg:
        msg = await self._sub.next_msg(timeout=wait_s)
        self.seen.append(msg)
        return msg

    async def message(self, ce_type: str, subject: str, *, wait_s: float = WAIT_S) -> Msg:
        """The event of the type about the subject (waiting up to ``wait_s`` for each message)."""
        if (kept := self._take(ce_type, subject)) is not None:
            return kept
        while True:
            msg = await self._next(wait_s)
            body = json.loads(msg.data)
            if body["type"] == ce_type and body.get("subject") == subject:
                return msg
            self._kept.append(msg)

    async def body(self, ce_type: str, subject: str, *, wait_s: float = WAIT_S) -> dict[str, Any]:
        """The CloudEvent body of ``message``."""
        return dict(json.loads((await self.message(ce_type, subject, wait_s=wait_s)).data))

    async def all_of(self, ce_type: str, *, wait_s: float = 1.0) -> list[dict[str, Any]]:
        """Bodies of the events of the type kept so far and arriving until none has for ``wait_s``."""
        found = []
        while (kept := self._take(ce_type, None)) is not None:
            found.append(dict(json.loads(kept.data)))
        while True:
            try:
                msg = await self._next(wait_s)
            except NatsTimeout:
                return found
            body = dict(json.loads(msg.data))
            if body["type"] == ce_type:
                found.append(body)
            else:
                self._kept.append(msg)


@asynccontextmanager
async def watching(nats_url: str, subjects: str) -> AsyncIterator[EventWatcher]:
    """An ``EventWatcher`` of what is published on ``subjects`` from now on (the stream is shared)."""
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().subscribe(subjects, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    try:
        yield EventWatcher(sub)
    finally:
        await sub.unsubscribe()
        await nc.close()
