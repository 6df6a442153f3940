"""Durable pull consumers of the CIVIC stream, with an inbox, bounded redelivery and dead letters.

For each message: parse the CloudEvent; in one unit of work record "this consumer processed this
event id" (kit.inbox) and, if it is new, run the handler with the same session; commit; then ack.
A redelivery (lost ack, crash between commit and ack, a republish) finds the inbox row and changes
nothing. A handler that raises rolls the whole unit back and the message is nak'ed with a growing
delay; after ``max_deliver`` deliveries it is copied to ``deadletter.<subject>`` in CIVIC_DLQ with
headers naming the consumer, the delivery count and the reason, and terminated. A message that is
not a CloudEvent goes there at once.

JetStream itself does not move a message anywhere when ``max_deliver`` is reached (e.g. a consumer
that crashed or hung past ``ack_wait`` on the last delivery): the consumer therefore also listens to
``$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<durable>`` (queue group: one replica acts),
fetches the message by its stream sequence and dead-letters it. Both paths use the same
``Nats-Msg-Id``, so CIVIC_DLQ stores each dead letter once.

A nats-py pull subscription can stop receiving after a server restart (nats.py#504): the fetch loop
re-binds (re-ensuring the durable and opening a new inbox) after a reconnect, after repeated fetch
errors, and when it sits idle while the server reports messages pending.

A service lists what it consumes in one place, ``{subject pattern: handler}``, and builds one
``EventConsumer`` per durable, e.g. ``EventConsumer.for_routes(js, db, durable=…, routes=…)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import nats.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from opentelemetry.trace import SpanKind
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.cloudevents import CloudEvent
from services.kit.db import Database
from services.kit.inbox import mark_processed
from services.kit.relay import MSG_ID_HEADER, jetstream_client
from services.kit.settings import Settings
from services.kit.stream import DLQ_SUFFIX, dead_letter_subject
from services.kit.telemetry import context_from_traceparent, tracer

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]

DEFAULT_BACKOFF_S: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)
ADVISORY_MAX_DELIVERIES = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"
# Headers of a dead letter (the original's headers are kept, its Nats-* ones renamed Civic-Original-*).
DL_CONSUMER = "Civic-Dead-Letter-Consumer"
DL_DELIVERIES = "Civic-Dead-Letter-Deliveries"
DL_REASON = "Civic-Dead-Letter-Reason"
DL_STREAM = "Civic-Dead-Letter-Stream"
DL_SEQUENCE = "Civic-Dead-Letter-Sequence"
DL_SUBJECT = "Civic-Dead-Letter-Subject"
DL_TIME = "Civic-Dead-Letter-Time"
_REASON_MAX_LEN = 500
_MAX_REMEMBERED_FAILURES = 10_000


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard match: ``*`` is one token, a final ``>`` is one or more tokens."""
    pat, sub = pattern.split("."), subject.split(".")
    for i, token in enumerate(pat):
        if token == ">":
            return i == len(pat) - 1 and len(sub) > i
        if i >= len(sub) or (token != "*" and token != sub[i]):
            return False
    return len(pat) == len(sub)


def _covers(wide: str, narrow: str) -> bool:
    """Every subject ``narrow`` matches is also matched by ``wide``."""
    w, n = wide.split("."), narrow.split(".")
    for i, token in enumerate(w):
        if token == ">":
            return len(n) > i
        if i >= len(n) or n[i] == ">" or (token != "*" and (n[i] == "*" or token != n[i])):
            return False
    return len(w) == len(n)


def _overlap(a: str, b: str) -> bool:
    """Some subject matches both patterns."""
    x, y = a.split("."), b.split(".")
    for i in range(max(len(x), len(y))):
        xi = x[i] if i < len(x) else None
        yi = y[i] if i < len(y) else None
        if ">" in (xi, yi):
            # A tail wildcard needs at least one token from the other pattern at its position.
            return xi is not None and yi is not None
        if xi is None or yi is None or (xi != yi and "*" not in (xi, yi)):
            return False
    return True


def filter_subjects(patterns: Sequence[str]) -> list[str]:
    """The durable's filter: the patterns minus those another one covers (JetStream refuses overlaps)."""
    unique = list(dict.fromkeys(patterns))
    kept = [p for p in unique if not any(q != p and _covers(q, p) for q in unique)]
    for i, a in enumerate(kept):
        for b in kept[i + 1 :]:
            if _overlap(a, b):
                raise ValueError(f"subjects {a!r} and {b!r} overlap; give them one durable filter each")
    return kept


def route(routes: Mapping[str, Handler]) -> Handler:
    """One handler dispatching by the event's subject: an exact pattern wins, else the first match."""
    table = dict(routes)

    async def dispatch(session: AsyncSession, event: CloudEvent) -> None:
        subject = event.nats_subject
        handler = table.get(subject)
        if handler is None:
            handler = next((h for p, h in table.items() if subject_matches(p, subject)), None)
        if handler is None:
            # The durable's filter and the routes come from the same dict, so this is a type whose
            # subject differs from the one it was published on; nothing here wants it.
            log.warning("no handler for %s (event %s); skipped", subject, event.id)
            return
        await handler(session, event)

    return dispatch


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")[:_REASON_MAX_LEN]


def dead_letter_headers(
    original: Mapping[str, str] | None,
    *,
    stream: str,
    consumer: str,
    sequence: int,
    subject: str,
    deliveries: int,
    reason: str,
) -> dict[str, str]:
    """Headers of the copy sent to the dead-letter stream (de-duplicated per stream/consumer/sequence)."""
    headers: dict[str, str] = {}
    for key, value in (original or {}).items():
        if key.lower().startswith("nats-"):
            # Nats-Msg-Id and friends would steer JetStream; keep them for the record under a new name.
            headers["Civic-Original-" + key[len("Nats-") :]] = str(value)
        else:
            headers[key] = str(value)
    headers.update(
        {
            MSG_ID_HEADER: f"deadletter:{stream}:{consumer}:{sequence}",
            DL_CONSUMER: consumer,
            DL_DELIVERIES: str(deliveries),
            DL_REASON: _one_line(reason) or "unknown",
            DL_STREAM: stream,
            DL_SEQUENCE: str(sequence),
            DL_SUBJECT: subject,
            DL_TIME: datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
    )
    return headers


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
        self.js = js
        self.db = db
        self.durable = durable
        self.subjects = filter_subjects(subjects)
        self.handler = handler
        self.stream = stream or settings.stream_name
        self.dead_letter_stream = f"{self.stream}{DLQ_SUFFIX}"
        self.max_deliver = max_deliver or settings.consumer_max_deliver
        self.ack_wait = ack_wait
        self.backoff = tuple(backoff) or (1.0,)
        # A new durable replays from a point in time when given one; an existing durable keeps its place.
        self.deliver_policy = DeliverPolicy.BY_START_TIME if start_time is not None else deliver_policy
        self.start_time = start_time
        self.batch = batch
        self.fetch_timeout = fetch_timeout
        self.idle_check_s = idle_check_s
        self.nc = nc or jetstream_client(js)
        if self.nc is None:
            raise ValueError("pass nc= when the JetStream context does not expose its connection")
        self.handled = 0
        self.skipped = 0
        self.failed = 0
        self.dead_lettered = 0
        self.rebinds = 0
        # Why recent deliveries failed, by stream sequence, so an advisory-fed dead letter can say why.
        self._failures: OrderedDict[int, str] = OrderedDict()
        self._tracer = tracer(__name__)

    @classmethod
    def for_routes(
        cls, js: JetStreamContext, db: Database, *, durable: str, routes: Mapping[str, Handler], **kwargs: Any
    ) -> EventConsumer:
        """A consumer whose filter subjects are the routes' patterns and whose handler dispatches on them."""
        return cls(js, db, durable=durable, subjects=list(routes), handler=route(routes), **kwargs)

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

    async def listen_dead_letters(self) -> Subscription:
        """Subscribe to the max-deliveries advisory of this durable (one replica per advisory)."""
        subject = f"{ADVISORY_MAX_DELIVERIES}.{self.stream}.{self.durable}"
        assert self.nc is not None
        return await self.nc.subscribe(
            subject, queue=f"deadletter-{self.durable}", cb=self._on_max_deliveries
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch and process messages until ``stop`` is set, surviving NATS restarts."""
        assert self.nc is not None
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
                        advisory = await self.listen_dead_letters()
                    if sub is not None and self.nc.stats["reconnects"] != reconnects:
                        # After a reconnect the old pull inbox may never see a message again (nats.py#504).
                        sub = await self._drop(sub)
                    if sub is None:
                        reconnects = self.nc.stats["reconnects"]
                        sub = await self.bind()
                    try:
                        msgs = await sub.fetch(self.batch, timeout=self.fetch_timeout)
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
                        await self.handler(session, event)
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
        self._failures.pop(meta.sequence.stream, None)

    async def _ack(self, msg: Msg) -> None:
        await msg.ack()

    async def _failed(self, msg: Msg, exc: Exception) -> None:
        self.failed += 1
        meta = msg.metadata
        reason = f"handler failed: {type(exc).__name__}: {exc}"
        self._remember_failure(meta.sequence.stream, reason)
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
            await self.dead_letter(
                msg.subject, msg.data, msg.headers, meta.sequence.stream, meta.num_delivered, reason
            )
        except Exception:
            # Not copied: let JetStream redeliver (or raise the max-deliveries advisory) and try again.
            log.exception("consumer %s: dead-lettering seq %d failed", self.durable, meta.sequence.stream)
            with contextlib.suppress(Exception):
                await msg.nak(delay=self.backoff[0])
            return
        await msg.term()

    async def dead_letter(
        self,
        subject: str,
        data: bytes,
        headers: Mapping[str, str] | None,
        sequence: int,
        deliveries: int,
        reason: str,
    ) -> None:
        """Copy a message to ``deadletter.<subject>`` in the dead-letter stream."""
        await self.js.publish(
            dead_letter_subject(subject),
            data,
            stream=self.dead_letter_stream,
            headers=dead_letter_headers(
                headers,
                stream=self.stream,
                consumer=self.durable,
                sequence=sequence,
                subject=subject,
                deliveries=deliveries,
                reason=reason,
            ),
        )
        self.dead_lettered += 1
        self._failures.pop(sequence, None)
        log.warning("consumer %s: %s (seq %d) dead-lettered: %s", self.durable, subject, sequence, reason)

    async def _on_max_deliveries(self, advisory: Msg) -> None:
        try:
            body = json.loads(advisory.data)
            sequence = int(body["stream_seq"])
            deliveries = int(body.get("deliveries") or self.max_deliver)
        except (ValueError, KeyError, TypeError):
            log.warning(
                "consumer %s: unreadable max-deliveries advisory %r", self.durable, advisory.data[:200]
            )
            return
        reason = self._failures.get(sequence) or "max deliveries reached without an acknowledgement"
        for attempt in range(5):
            try:
                original = await self.js.get_msg(self.stream, sequence)
                await self.dead_letter(
                    original.subject or "unknown",
                    original.data or b"",
                    original.headers,
                    sequence,
                    deliveries,
                    reason,
                )
                return
            except NotFoundError:
                log.error(
                    "consumer %s: seq %d left the stream before it was dead-lettered", self.durable, sequence
                )
                return
            except Exception as exc:
                log.warning(
                    "consumer %s: dead-lettering seq %d failed (%s), retrying", self.durable, sequence, exc
                )
                await asyncio.sleep(0.2 * 2**attempt)
        log.error("consumer %s: gave up dead-lettering seq %d", self.durable, sequence)

    def _remember_failure(self, sequence: int, reason: str) -> None:
        self._failures[sequence] = reason
        self._failures.move_to_end(sequence)
        while len(self._failures) > _MAX_REMEMBERED_FAILURES:
            self._failures.popitem(last=False)


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
