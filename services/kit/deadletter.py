"""Dead letters: where a durable's messages go when it gives up on them.

A message is copied to ``deadletter.<subject>`` in the dead-letter stream (CIVIC_DLQ, kit.stream)
with headers naming the consumer, the delivery count and the reason, and then terminated by the
consumer. Two paths lead here:

- the consumer itself, when a handler failed on the last allowed delivery or the message is not a
  CloudEvent (``DeadLetters.publish``);
- the ``$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<durable>`` advisory, because JetStream
  moves nothing anywhere when ``max_deliver`` is reached without an ack (a replica that crashed or
  hung past ``ack_wait`` on the last delivery). One replica per durable (queue group) fetches the
  message by its stream sequence and copies it (``DeadLetters.listen``).

Both paths use the same ``Nats-Msg-Id`` (stream, consumer, sequence), so CIVIC_DLQ stores each dead
letter once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.kit.relay import MSG_ID_HEADER
from services.kit.stream import DLQ_SUFFIX, dead_letter_subject

log = logging.getLogger(__name__)

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
_ADVISORY_ATTEMPTS = 5


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


class DeadLetters:
    """One durable's dead letters: copies given-up messages to the dead-letter stream."""

    def __init__(
        self, js: JetStreamContext, nc: NatsClient, *, stream: str, durable: str, max_deliver: int
    ) -> None:
        self.js = js
        self.nc = nc
        self.stream = stream
        self.dead_letter_stream = f"{stream}{DLQ_SUFFIX}"
        self.durable = durable
        self.max_deliver = max_deliver
        self.count = 0
        # Why recent deliveries failed, by stream sequence, so an advisory-fed dead letter can say why.
        self._failures: OrderedDict[int, str] = OrderedDict()

    def remember_failure(self, sequence: int, reason: str) -> None:
        """Note why a delivery failed (the advisory may dead-letter it later)."""
        self._failures[sequence] = reason
        self._failures.move_to_end(sequence)
        while len(self._failures) > _MAX_REMEMBERED_FAILURES:
            self._failures.popitem(last=False)

    def forget(self, sequence: int) -> None:
        """The message was processed after all."""
        self._failures.pop(sequence, None)

    async def publish(
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
        self.count += 1
        self.forget(sequence)
        log.warning("consumer %s: %s (seq %d) dead-lettered: %s", self.durable, subject, sequence, reason)

    async def listen(self) -> Subscription:
        """Subscribe to the max-deliveries advisory of this durable (one replica per advisory)."""
        subject = f"{ADVISORY_MAX_DELIVERIES}.{self.stream}.{self.durable}"
        return await self.nc.subscribe(subject, queue=f"deadletter-{self.durable}", cb=self._on_advisory)

    async def _on_advisory(self, advisory: Msg) -> None:
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
        for attempt in range(_ADVISORY_ATTEMPTS):
            try:
                original = await self.js.get_msg(self.stream, sequence)
                await self.publish(
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
