"""Durable pull consumers of the CIVIC stream, with an inbox, bounded redelivery and dead letters.

For each message: parse the CloudEvent; in one unit of work record "this consumer processed this
event id" (kit.inbox) and, if it is new, run the handler with the same session and the consumer's
service principal; commit; then ack. A redelivery (lost ack, crash between commit and ack, a
republish) finds the inbox row and changes nothing. A handler that raises rolls the whole unit back
and the message is nak'ed with a growing delay; after ``max_deliver`` deliveries it goes to the
dead-letter stream and is terminated (kit.deadletter, which also handles deliveries that ran out
without an ack). A message that is not a CloudEvent goes there at once.

A nats-py pull subscription can stop receiving after a server restart (nats.py#504): the fetch loop
re-binds (re-ensuring the durable and opening a new inbox) after a reconnect, after repeated fetch
errors, and when it sits idle while the server reports messages pending.

A service lists what it consumes in one place, ``{subject pattern: handler}`` (kit.subjects), and
builds one ``EventConsumer`` per durable, e.g.
``EventConsumer.for_routes(js, db, durable=…, routes=…, principal=…)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Mapping, Sequence
from datetime import datetime
from typing import Any

import nats.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from opentelemetry.trace import SpanKind

from services.kit.auth import Principal, Role
from services.kit.cloudevents import CloudEvent
from services.kit.db import Database
from services.kit.deadletter import DeadLetters
from services.kit.inbox import mark_processed
from services.kit.relay import jetstream_client
from services.kit.settings import Settings
from services.kit.subjects import Handler, filter_subjects, route
from services.kit.telemetry import context_from_traceparent, tracer

__all__ = ["DEFAULT_BACKOFF_S", "EventConsumer", "Handler", "Unprocessable"]

log = logging.getLogger(__name__)

DEFAULT_BACKOFF_S: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)


class Unprocessable(ValueError):
    """A handler's verdict that no retry can help (the payload breaks the contract): dead-letter at once.

    Anything else a handler raises is taken as possibly passing (a database or a peer away) and
    retried with backoff up to ``max_deliver`` times.
    """


class EventConsumer:
    """One durable pull consumer of the event stream; ``run(stop)`` processes until stopped."""

    def __init__(
        self,
        js: JetStreamContext,
        db: Database,
        *,
        durable: str,
        subjects: Sequence[str],
        handler: Handler,
        principal: Principal,
        settings: Settings | None = None,
        stream: str | None = None,
        max_deliver: int | None = None,
        ack_wait: float = 30.0,
        backoff: Sequence[float] = DEFAULT_BACKOFF_S,
        deliver_policy: DeliverPolicy = DeliverPolicy.ALL,
        start_time: datetime | None = None,
        batch: int = 32,
        fetch_timeout: float = 1.0,
        idle_check_s: float = 10.0,
        nc: NatsClient | None = None,
    ) -> None:
        settings = settings or Settings()
        if not subjects:
            raise ValueError("a consumer needs at least one subject")
        if not principal.has_role(Role.SERVICE) or not principal.regions:
            # Handlers act for the service, never for whichever user caused the event.
            raise ValueError("event handlers act as a service principal with regions (role 'service')")
        self.js = js
        self.db = db
        self.durable = durable
        self.subjects = filter_subjects(subjects)
        self.handler = handler
        self.principal = principal
        self.stream = stream or settings.stream_name
        self.max_deliver = max_deliver or settings.consumer_max_deliver
        self.ack_wait = ack_wait
        self.backoff = tuple(backoff) or (1.0,)
        # A new durable replays from a point in time when given one; an existing durable keeps its place.
        self.deliver_policy = DeliverPolicy.BY_START_TIME if start_time is not None else deliver_policy
        self.start_time = start_time
        self.batch = batch
        self.fetch_timeout = fetch_timeout
        self.idle_check_s = idle_check_s
        nc = nc or jetstream_client(js)
        if nc is None:
            raise ValueError("pass nc= when the JetStream context does not expose its connection")
        self.nc = nc
        self.dead_letters = DeadLetters(
            js, nc, stream=self.stream, durable=durable, max_deliver=self.max_deliver
        )
        self.handled = 0
        self.skipped = 0
        self.failed = 0
        self.rebinds = 0
        self._tracer = tracer(__name__)

    @classmethod
    def for_routes(
        cls, js: JetStreamContext, db: Database, *, durable: str, routes: Mapping[str, Handler], **kwargs: Any
    ) -> EventConsumer:
        """A consumer whose filter subjects are the routes' patterns and whose handler dispatches on them."""
        return cls(js, db, durable=durable, subjects=list(routes), handler=route(routes), **kwargs)

    @property
    def dead_lettered(self) -> int:
        """Messages this consumer copied to the dead-letter stream."""
        return self.dead_letters.count

    def config(self) -> ConsumerConfig:
        """The durable's configuration (explicit ack, bounded deliveries)."""
        return ConsumerConfig(
            name=self.durable,
            durable_name=self.durable,
            description=f"minzheng consumer {self.durable}",
            deliver_policy=self.deliver_policy,
            opt_start_time=self.start_time,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=self.max_deliver,
            filter_subjects=self.subjects,
        )

    async def ensure(self) -> None:
        """Create the durable, or update the settings that may change on an existing one."""
        wanted = self.config()
        try:
            info = await self.js.consumer_info(self.stream, self.durable)
        except NotFoundError:
            await self.js.add_consumer(self.stream, wanted)
            log.info("created consumer %s on %s for %s", self.durable, self.stream, self.subjects)
            return
        have = info.config
        current = (
            have.ack_wait,
            have.max_deliver,
            sorted(have.filter_subjects or [have.filter_subject or ""]),
        )
        if current != (wanted.ack_wait, wanted.max_deliver, sorted(self.subjects)):
            # Start position and ack policy cannot change on a durable; keep the server's.
            updated = have.evolve(
                ack_wait=wanted.ack_wait,
                max_deliver=wanted.max_deliver,
                filter_subject=None,
                filter_subjects=self.subjects,
            )
            await self.js.add_consumer(self.stream, updated)
            log.info("updated consumer %s on %s", self.durable, self.stream)

    async def bind(self) -> JetStreamContext.PullSubscription:
        """Ensure the durable exists and open a pull subscription on it."""
        await self.ensure()
        return await self.js.pull_subscribe_bind(durable=self.durable, stream=self.stream)

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch and process messages until ``stop`` is set, surviving NATS restarts."""
        advisory: Subscription | None = None
        sub: JetStreamContext.PullSubscription | None = None
        errors = 0
        idle_since = time.monotonic()
        reconnects = self.nc.stats["reconnects"]
        log.info("consumer %s started on %s", self.durable, self.subjects)
        try:
            while not stop.is_set():
                try:
                    if advisory is None:
                        advisory = await self.dead_letters.listen()
                    if sub is not None and self.nc.stats["reconnects"] != reconnects:
                        # After a reconnect the old pull inbox may never see a message again (nats.py#504).
                        sub = await self._drop(sub)
                    if sub is None:
                        reconnects = self.nc.stats["reconnects"]
                        sub = await self.bind()
                    try:
                        msgs = await _unless_stopped(stop, sub.fetch(self.batch, timeout=self.fetch_timeout))
                    except (nats.errors.TimeoutError, TimeoutError):
                        if time.monotonic() - idle_since > self.idle_check_s:
                            idle_since = time.monotonic()
                            if await self._stuck():
                                sub = await self._drop(sub)
                        continue
                    errors = 0
                    idle_since = time.monotonic()
                    for i, msg in enumerate(msgs):
                        if stop.is_set():
                            # Hand the rest back now, not after ack_wait: another replica may take them.
                            for rest in msgs[i:]:
                                await rest.nak()
                            break
                        await self.process(msg)
                except Exception as exc:  # connection trouble, a deleted durable, a database outage
                    errors += 1
                    log.warning(
                        "consumer %s: %s (%d in a row): %s", self.durable, type(exc).__name__, errors, exc
                    )
                    if errors >= 3 and sub is not None:
                        # A subscription that keeps failing is re-created.
                        sub = await self._drop(sub)
                    await _sleep_unless(stop, min(0.1 * 2 ** min(errors, 6), 5.0))
        finally:
            for closing in (sub, advisory):
                if closing is not None:
                    with contextlib.suppress(Exception):
                        await closing.unsubscribe()
            log.info("consumer %s stopped", self.durable)

    async def _drop(self, sub: JetStreamContext.PullSubscription) -> None:
        self.rebinds += 1
        log.info("consumer %s: re-binding its pull subscription", self.durable)
        with contextlib.suppress(Exception):
            await sub.unsubscribe()

    async def _stuck(self) -> bool:
        # Idle fetches while the server holds messages for us mean the subscription went deaf.
        try:
            info = await self.js.consumer_info(self.stream, self.durable)
        except NotFoundError:
            return True
        except Exception:
            return False
        return bool(info.num_pending)

    async def process(self, msg: Msg) -> None:
        """Apply one message: inbox + handler in one unit of work, then ack; nak or dead-letter on failure."""
        meta = msg.metadata
        try:
            event = CloudEvent.from_json(msg.data)
        except (ValueError, TypeError, KeyError) as exc:
            await self._give_up(msg, f"not a CloudEvent: {exc}")
            return
        context = context_from_traceparent(event.traceparent)
        with self._tracer.start_as_current_span(
            f"{msg.subject} process", context=context, kind=SpanKind.CONSUMER
        ) as span:
            span.set_attribute("messaging.message.id", event.id)
            span.set_attribute("messaging.consumer.group.name", self.durable)
            try:
                async with self.db.unit_of_work() as session:
                    new = await mark_processed(session, self.durable, event.id)
                    if new:
                        await self.handler(session, event, self.principal)
            except Exception as exc:
                span.record_exception(exc)
                await self._failed(msg, exc)
                return
        if new:
            self.handled += 1
        else:
            self.skipped += 1
            log.debug("consumer %s: event %s already processed", self.durable, event.id)
        await self._ack(msg)
        self.dead_letters.forget(meta.sequence.stream)

    async def _ack(self, msg: Msg) -> None:
        await msg.ack()

    async def _failed(self, msg: Msg, exc: Exception) -> None:
        self.failed += 1
        meta = msg.metadata
        reason = f"handler failed: {type(exc).__name__}: {exc}"
        self.dead_letters.remember_failure(meta.sequence.stream, reason)
        if isinstance(exc, Unprocessable):
            log.error(
                "consumer %s: %s (stream seq %d) unprocessable, dead-lettering: %s",
                self.durable,
                msg.subject,
                meta.sequence.stream,
                reason,
            )
            await self._give_up(msg, reason)
            return
        if meta.num_delivered >= self.max_deliver:
            log.error(
                "consumer %s: %s (stream seq %d) failed %d times, dead-lettering: %s",
                self.durable,
                msg.subject,
                meta.sequence.stream,
                meta.num_delivered,
                reason,
            )
            await self._give_up(msg, reason)
            return
        delay = self.backoff[min(meta.num_delivered - 1, len(self.backoff) - 1)]
        log.warning(
            "consumer %s: %s (stream seq %d, delivery %d/%d) failed, retry in %gs: %s",
            self.durable,
            msg.subject,
            meta.sequence.stream,
            meta.num_delivered,
            self.max_deliver,
            delay,
            reason,
        )
        await msg.nak(delay=delay)

    async def _give_up(self, msg: Msg, reason: str) -> None:
        meta = msg.metadata
        try:
            await self.dead_letters.publish(
                msg.subject, msg.data, msg.headers, meta.sequence.stream, meta.num_delivered, reason
            )
        except Exception:
            # Not copied: let JetStream redeliver (or raise the max-deliveries advisory) and try again.
            log.exception("consumer %s: dead-lettering seq %d failed", self.durable, meta.sequence.stream)
            with contextlib.suppress(Exception):
                await msg.nak(delay=self.backoff[0])
            return
        await msg.term()


async def _unless_stopped(stop: asyncio.Event, fetch: Awaitable[list[Msg]]) -> list[Msg]:
    """The fetched messages, or none at once when ``stop`` is set first.

    A stopping service must not sit out the rest of a long-poll: a pull it abandons delivers nothing
    it acks, so whatever JetStream sent is redelivered (to another replica) after ``ack_wait``.
    """
    fetching = asyncio.ensure_future(fetch)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (fetching, stopping):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
    return fetching.result() if fetching.done() and not fetching.cancelled() else []


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
