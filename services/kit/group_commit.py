"""Group commit: the small writes of concurrent callers go to the database in one transaction.

Under load most of the cost of a one-row write is per transaction (begin, statements compiled and
sent one by one, commit; on SQLite also the wait for the single writer's lock), not per row. A
``GroupCommit`` collects what callers submit while a batch is being written and hands it to the
handler as the next batch: a lone caller waits for no one (there is no timer), a thousand callers
share a few transactions, and the batch grows with the load by itself.

The handler gets the items of a batch and returns one outcome per item, in order: a result, or the
exception that item alone fails with (a domain error such as NOT_FOUND, which must leave nothing of
that item written). An exception raised by the handler fails every item of its batch; the handler's
transaction has then rolled back, so nothing of the batch is written.

``pause_s``: after a batch, with more waiting, wait that long before the next. For SQLite shared with
another process (a relay of its own, kit.relay_main): back-to-back batches hand the write lock on within
the process and leave the other process no gap to take it in (see ``OutboxRelay.lock_poll_s``).

The batch runs in a fresh context, not in the first caller's: it must not act as that caller (the
principal is a context variable) nor look like part of its trace. Its span links every caller's span.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from opentelemetry import trace

from services.kit.telemetry import tracer

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

Handler = Callable[[Sequence[T]], Awaitable[Sequence[R | Exception]]]


@dataclass
class _Waiting(Generic[T, R]):
    item: T
    future: asyncio.Future[R]
    span: trace.SpanContext


class GroupCommit(Generic[T, R]):
    """Batches concurrent ``submit`` calls into calls of ``handle`` (see the module docstring)."""

    def __init__(
        self, name: str, handle: Handler[T, R], *, max_batch: int = 500, pause_s: float = 0.0
    ) -> None:
        if max_batch < 1:
            raise ValueError("a batch holds at least one item")
        self.name = name
        self._handle = handle
        self.max_batch = max_batch
        self.pause_s = pause_s
        self._waiting: list[_Waiting[T, R]] = []
        self._worker: asyncio.Task[None] | None = None
        self._tracer = tracer(__name__)
        self.batches = 0
        self.items = 0

    async def submit(self, item: T) -> R:
        """Write ``item`` with whatever else is waiting; its outcome (or its exception, raised here).

        A caller that gives up (is cancelled) does not take its item back if the batch already started:
        like a client that disconnects after its request was sent, the write may still happen.
        """
        return await self._enqueue(item)

    async def submit_many(self, items: Sequence[T]) -> list[R | BaseException]:
        """Write several items (with whatever else is waiting): each one's outcome or exception, in order."""
        return await asyncio.gather(*(self._enqueue(item) for item in items), return_exceptions=True)

    def _enqueue(self, item: T) -> asyncio.Future[R]:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(item, future, trace.get_current_span().get_span_context()))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain(), context=contextvars.Context())
        return future

    async def _drain(self) -> None:
        batch: list[_Waiting[T, R]] = []
        try:
            while self._waiting:
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                await self._run(batch)
                batch = []
                if self._waiting and self.pause_s:
                    await asyncio.sleep(self.pause_s)
        except asyncio.CancelledError:  # shutting down: no caller may wait for an answer forever
            for waiting in [*batch, *self._waiting]:
                waiting.future.cancel()
            self._waiting.clear()
            raise

    async def _run(self, batch: list[_Waiting[T, R]]) -> None:
        links = [trace.Link(w.span) for w in batch if w.span.is_valid]
        with self._tracer.start_as_current_span(f"group commit {self.name}", links=links) as span:
            span.set_attribute("batch.size", len(batch))
            try:
                outcomes = await self._handle([w.item for w in batch])
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"{self.name}: {len(outcomes)} outcomes for {len(batch)} items")
            except Exception as exc:  # the batch's transaction rolled back: every item fails with it
                log.warning("%s: a batch of %d failed (%s)", self.name, len(batch), exc)
                for waiting in batch:
                    if not waiting.future.done():
                        waiting.future.set_exception(exc)
                return
        self.batches += 1
        self.items += len(batch)
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if waiting.future.done():  # its caller was cancelled
                continue
            if isinstance(outcome, Exception):
                waiting.future.set_exception(outcome)
            else:
                waiting.future.set_result(outcome)
