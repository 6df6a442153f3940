"""The outbox relay: publishes committed outbox rows to JetStream, each exactly once in the stream.

How a batch goes out:

1. **Claim** (one short transaction, one statement; the SQL is in kit.outbox_claims): the oldest
   rows with ``published_at IS NULL`` whose claim is free or expired, ``ORDER BY created_at LIMIT
   n`` — on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so replicas claim disjoint batches — get
   ``claimed_until = now + lease``; commit.
2. **Publish** outside any transaction or row lock, concurrently (``publish_async``), with
   ``Nats-Msg-Id`` = event id so JetStream stores a republished event once (duplicate window).
3. **Mark** (a second short transaction): ``published_at`` for rows JetStream acknowledged;
   ``attempts``/``last_error`` and a backed-off ``claimed_until`` for rows that failed.

Every row keeps its own published state; nothing is "after the last id seen", so a transaction that
commits late is never skipped. A relay killed between 2 and 3 leaves rows claimed: when the lease
expires any relay republishes them and JetStream drops the duplicates (within the stream's duplicate
window; after a longer gap the consumers' inbox catches them). Rows are published roughly in
``created_at`` order; a row that failed is retried after its back-off, so consumers must not rely on
a global order.

SQLite (the embedded default): run one relay per database file. Several would still be correct —
``BEGIN IMMEDIATE`` (kit.db) serialises their claims — but they would only take turns. PostgreSQL:
any number of replicas; each pipelines its own batches (claims batch N+1 and marks batch N-1 while
batch N is on the wire).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import PubAck
from nats.js.errors import APIError, NoStreamResponseError
from sqlalchemy.exc import OperationalError

from services.kit import outbox_claims
from services.kit.db import SQLITE_BUSY_TIMEOUT_MS, Database
from services.kit.outbox import OutboxEvent, cloudevent_json
from services.kit.outbox_claims import ClaimedRow
from services.kit.settings import Settings
from services.kit.telemetry import tracer

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
MSG_ID_HEADER = "Nats-Msg-Id"
EXPECTED_STREAM_HEADER = "Nats-Expected-Stream"  # what nats-py's publish_async(stream=…) sets
STATUS_HEADER = "Status"  # a NATS status reply's header (nats-py's api.Header.STATUS)
NO_RESPONDERS_STATUS = "503"  # nobody listens on the subject: no stream takes it
_ERROR_MAX_LEN = 500
# nats-py's default publish_async_max_pending: how many publishes may await their ack at once.
MAX_BATCH = 4000
T = TypeVar("T")


def jetstream_client(js: JetStreamContext) -> NatsClient | None:
    """The core connection behind a JetStream context (nats-py keeps it in a private attribute)."""
    nc = getattr(js, "_nc", None)
    return nc if isinstance(nc, NatsClient) else None


def event_headers(row: ClaimedRow | OutboxEvent) -> dict[str, str]:
    """NATS headers of an outbox row: de-duplication id, content type and trace context."""
    headers = {MSG_ID_HEADER: row.id, "Content-Type": CONTENT_TYPE}
    if row.traceparent:
        headers["traceparent"] = row.traceparent
    return headers


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\r", " ").replace("\n", " ")
    return text[:_ERROR_MAX_LEN]


class _AckInbox:
    """JetStream's acknowledgements of the relay's publishes, on one wildcard inbox of its own.

    What ``js.publish_async`` does, without what the relay pays per message there and does not need:
    an ``asyncio.wait_for`` around a semaphore (the relay bounds a batch itself, ``MAX_BATCH``), a
    NUID and ``os.urandom`` per reply token, a done-callback per future. About a sixth of the relay's
    CPU at 50,000 events (cProfile). The acknowledgement is read as nats-py reads it: a 503 status is
    "no stream", a JSON ``error`` an ``APIError``, anything else a ``PubAck`` — except that an error
    fails its publish at once (nats-py 2.16 lets ``from_error``'s exception escape its callback, so
    the publish waited for the timeout).
    """

    def __init__(self, nc: NatsClient) -> None:
        self._nc = nc
        self._prefix = ""
        self._futures: dict[str, asyncio.Future[PubAck]] = {}
        self._seq = 0

    async def start(self) -> None:
        """Subscribe once (nats-py re-subscribes after a reconnect)."""
        if not self._prefix:
            prefix = f"{self._nc.new_inbox()}."
            await self._nc.subscribe(f"{prefix}*", cb=self._on_reply)
            self._prefix = prefix

    def expect(self) -> tuple[str, asyncio.Future[PubAck]]:
        """A reply subject for one publish and the future its acknowledgement resolves."""
        self._seq += 1
        reply = f"{self._prefix}{self._seq}"
        future: asyncio.Future[PubAck] = asyncio.get_running_loop().create_future()
        self._futures[reply] = future
        return reply, future

    def forget(self, reply: str) -> None:
        """Stop waiting for ``reply`` (published failed or timed out); a late ack is dropped."""
        self._futures.pop(reply, None)

    async def _on_reply(self, msg: Msg) -> None:
        future = self._futures.pop(msg.subject, None)
        if future is None or future.done():
            return
        if msg.headers and msg.headers.get(STATUS_HEADER) == NO_RESPONDERS_STATUS:
            future.set_exception(NoStreamResponseError())
            return
        try:
            resp = json.loads(msg.data)
        except ValueError as exc:
            future.set_exception(exc)
            return
        if "error" in resp:
            try:  # from_error raises the error's class (BadRequestError, NotFoundError, …)
                raise APIError.from_error(resp["error"])
            except APIError as exc:
                future.set_exception(exc)
            return
        future.set_result(
            PubAck(
                stream=resp.get("stream", ""),
                seq=resp.get("seq", 0),
                domain=resp.get("domain"),
                duplicate=resp.get("duplicate"),
            )
        )


@dataclass
class BatchResult:
    """What one claim → publish → mark round did."""

    claimed: int = 0
    published: int = 0
    duplicates: int = 0
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class RelayStats:
    """Counters since the relay was created (for logs, metrics and tests)."""

    published: int = 0
    duplicates: int = 0
    failures: int = 0
    batches: int = 0


class OutboxRelay:
    """Publishes committed outbox rows of one database to JetStream; see the module docstring."""

    def __init__(
        self,
        db: Database,
        js: JetStreamContext,
        settings: Settings,
        *,
        batch_size: int | None = None,
        lease_s: float | None = None,
        poll_interval_s: float = 0.2,
        backoff_initial_s: float = 0.2,
        backoff_max_s: float = 5.0,
        publish_timeout_s: float = 5.0,
        lock_poll_s: float = 0.0,
    ) -> None:
        self.db = db
        self.js = js
        self.stream = settings.stream_name
        self.batch_size = batch_size or settings.relay_batch_size
        if not 0 < self.batch_size <= MAX_BATCH:
            # More would wait on nats-py's in-flight limit with no timeout if NATS vanished mid-batch.
            raise ValueError(f"relay batch size must be 1..{MAX_BATCH}")
        self.lease = timedelta(seconds=lease_s if lease_s is not None else settings.relay_lease_s)
        if self.lease.total_seconds() <= 2 * publish_timeout_s:
            # A batch claimed ahead waits for the one before it: two publish rounds must fit in a lease,
            # or another relay takes rows still in flight (harmless, JetStream de-duplicates, but wasted).
            raise ValueError("the relay lease must be longer than twice the publish timeout")
        self.poll_interval_s = poll_interval_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.publish_timeout_s = publish_timeout_s
        # > 0: the database fails a write at once when another process holds SQLite's write lock (a
        # separate relay, kit.relay_main), and the claim and mark retry every lock_poll_s instead.
        self.lock_poll_s = lock_poll_s
        self.stats = RelayStats()
        self._nc = jetstream_client(js)
        self._acks = _AckInbox(self._nc) if self._nc is not None else None
        self._wake = asyncio.Event()
        self._tracer = tracer(__name__)

    def notify(self) -> None:
        """Publish now instead of at the next poll (call after committing a unit of work with events)."""
        self._wake.set()

    def row_backoff_s(self, attempts: int) -> float:
        """Delay before retrying a row that has failed ``attempts`` times before (exponential, capped)."""
        return min(self.backoff_initial_s * (2 ** min(attempts, 30)), self.backoff_max_s)

    async def publish_pending(self) -> int:
        """One pass: publish claimable rows batch by batch until none are left or a batch fails."""
        if self.db.is_sqlite:
            return await self._publish_serially()
        return await self._publish_pipelined()

    async def _publish_serially(self) -> int:
        total = 0
        while True:
            result = await self.publish_batch()
            total += result.published
            if result.failed or result.claimed < self.batch_size:
                return total

    async def _publish_pipelined(self) -> int:
        # PostgreSQL: while batch N is on the wire, batch N+1 is claimed and batch N-1 marked, each
        # on its own connection (SQLite has a single writer, so there it would only add lock waits).
        total = 0
        failed = False
        marking: asyncio.Task[BatchResult] | None = None
        prefetch: asyncio.Task[list[ClaimedRow]] | None = None
        try:
            rows = await self.claim()
            while rows:
                full = len(rows) == self.batch_size
                if full and not failed:
                    prefetch = asyncio.create_task(self.claim())
                published = await self._publish_traced(rows)
                if marking is not None:
                    total += (await marking).published
                marking = asyncio.create_task(self._finish(rows, *published))
                failed = failed or bool(published[1])
                if prefetch is not None:
                    # Already leased to us: send them even after a failure, then stop.
                    rows, prefetch = await prefetch, None
                else:
                    rows = []
            if marking is not None:
                total += (await marking).published
                marking = None
        finally:
            for task in (prefetch, marking):
                if task is not None and not task.done():
                    # Rows claimed or published but not marked are taken up again when their lease ends.
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task
        return total

    async def publish_batch(self) -> BatchResult:
        """Claim one batch, publish it, record the outcome."""
        rows = await self.claim()
        if not rows:
            return BatchResult()
        return await self._finish(rows, *await self._publish_traced(rows))

    async def _publish_traced(self, rows: Sequence[ClaimedRow]) -> tuple[dict[str, PubAck], dict[str, str]]:
        with self._tracer.start_as_current_span("outbox publish") as span:
            span.set_attribute("messaging.batch.message_count", len(rows))
            return await self._publish(rows)

    async def _finish(
        self, rows: Sequence[ClaimedRow], acks: dict[str, PubAck], failed: dict[str, str]
    ) -> BatchResult:
        await self._record(rows, acks, failed, datetime.now(UTC))
        result = BatchResult(claimed=len(rows), published=len(acks), failed=failed)
        result.duplicates = sum(1 for ack in acks.values() if ack.duplicate)
        self.stats.batches += 1
        self.stats.published += result.published
        self.stats.duplicates += result.duplicates
        self.stats.failures += len(failed)
        if failed:
            sample = next(iter(failed.values()))
            log.warning("outbox: %d of %d events not published (%s)", len(failed), len(rows), sample)
        return result

    async def claim(self, now: datetime | None = None) -> list[ClaimedRow]:
        """Lease the oldest unpublished, unclaimed rows to this relay (committed before returning)."""
        return await self._when_unlocked(
            lambda: outbox_claims.claim(
                self.db, limit=self.batch_size, lease=self.lease, now=now or datetime.now(UTC)
            )
        )

    async def _when_unlocked(self, write: Callable[[], Awaitable[T]]) -> T:
        """Run ``write`` (a whole transaction), retrying it while another process holds SQLite's lock.

        Only with ``lock_poll_s``: SQLite's own busy handler sleeps 1, 2, 5 … up to 100 ms between
        attempts, and a service writing batch after batch frees the lock for well under a millisecond
        between them, so a relay in another process waited hundreds of milliseconds for its claim and
        again for its mark (p99 to NATS 744 ms against 184 ms with the relay inline, bench/safety.py
        single on SQLite). Trying again every ``lock_poll_s`` finds the gaps (eldercare's ingestion also
        pauses a little longer than that between batches: ``GroupCommit(pause_s=…)``). A failed ``BEGIN
        IMMEDIATE`` has written nothing, so the retry is safe.
        """
        if not self.lock_poll_s:
            return await write()
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                return await write()
            except OperationalError as exc:
                if "database is locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(self.lock_poll_s)

    async def _publish(self, rows: Sequence[ClaimedRow]) -> tuple[dict[str, PubAck], dict[str, str]]:
        acks: dict[str, PubAck] = {}
        failed: dict[str, str] = {}
        if self._nc is not None and not self._nc.is_connected:
            # Fail fast while NATS is away instead of filling the reconnect buffer and timing out.
            return acks, dict.fromkeys((row.id for row in rows), "NATS not connected")
        in_flight: list[tuple[str, asyncio.Future[PubAck], str]] = []
        stream = self.stream
        acks_inbox = self._acks
        if acks_inbox is not None:
            await acks_inbox.start()
            publish = self._nc.publish  # type: ignore[union-attr]
            expect = acks_inbox.expect
        for row in rows:
            row_id = row.id
            # The headers publish_async(stream=…) would add to event_headers(row), built in one go.
            headers = {MSG_ID_HEADER: row_id, "Content-Type": CONTENT_TYPE, EXPECTED_STREAM_HEADER: stream}
            if row.traceparent:
                headers["traceparent"] = row.traceparent
            reply = ""
            try:
                if acks_inbox is not None:
                    reply, future = expect()
                    try:
                        await publish(row.nats_subject, cloudevent_json(row), reply=reply, headers=headers)
                    except BaseException:
                        acks_inbox.forget(reply)
                        raise
                else:  # a JetStream context without its core connection at hand: nats-py's own path
                    future = await self.js.publish_async(
                        row.nats_subject, cloudevent_json(row), wait_stall=None, headers=headers
                    )
            except Exception as exc:  # a bad row or a dropped connection: record it, go on
                failed[row_id] = _describe(exc)
                continue
            in_flight.append((row_id, future, reply))
        if in_flight:
            _done, pending = await asyncio.wait([f for _, f, _ in in_flight], timeout=self.publish_timeout_s)
            for future in pending:
                future.cancel()
        for row_id, future, reply in in_flight:
            if future.cancelled():
                if acks_inbox is not None:
                    acks_inbox.forget(reply)
                failed[row_id] = f"no acknowledgement from JetStream within {self.publish_timeout_s:g} s"
            elif (exc := future.exception()) is not None:
                failed[row_id] = _describe(exc)
            else:
                acks[row_id] = future.result()
        return acks, failed

    async def _record(
        self, rows: Sequence[ClaimedRow], acks: dict[str, PubAck], failed: dict[str, str], now: datetime
    ) -> None:
        holds = {}
        if failed:
            attempts = {row.id: row.attempts for row in rows}
            holds = {
                row_id: (error, now + timedelta(seconds=self.row_backoff_s(attempts[row_id])))
                for row_id, error in failed.items()
            }
        await self._when_unlocked(
            lambda: outbox_claims.record(self.db, published=acks, failed=holds, now=now)
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set: poll every ``poll_interval_s``, sooner on ``notify()``."""
        failing_for = 0
        log.info("outbox relay started (stream %s, batch %d)", self.stream, self.batch_size)
        while not stop.is_set():
            self._wake.clear()
            failed = False
            try:
                before = self.stats.failures
                await self.publish_pending()
                failed = self.stats.failures > before
            except Exception:  # the database or NATS is away; keep trying with back-off
                log.exception("outbox relay pass failed")
                failed = True
            if failed:
                failing_for += 1
                delay = min(self.backoff_initial_s * 2 ** min(failing_for - 1, 30), self.backoff_max_s)
                await _wait_any(stop, None, delay)
            else:
                failing_for = 0
                await _wait_any(stop, self._wake, self.poll_interval_s)
        log.info("outbox relay stopped")


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, seconds: float) -> None:
    """Sleep up to ``seconds``, returning early when ``stop`` (or ``wake``) is set."""
    waiters = [asyncio.create_task(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.create_task(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiters:
            task.cancel()
        for task in waiters:
            with contextlib.suppress(asyncio.CancelledError):
                await task
