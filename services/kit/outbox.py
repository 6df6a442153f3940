"""The transactional outbox: events are rows written in the same transaction as the state change.

A service stages an event with ``stage_event(session, …)`` inside its unit of work; the relay
(kit.relay) publishes committed rows to JetStream later and marks each row published. Rows keep
their own published state, so a row committed "out of order" is never skipped.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.cloudevents import CloudEvent, format_time, structured_json
from services.kit.event_catalog import EventDef, declared_events
from services.kit.telemetry import current_traceparent


def utcnow() -> datetime:
    """Timezone-aware now in UTC (stored as UTC everywhere)."""
    return datetime.now(UTC)


class OutboxEvent(SQLModel, table=True):
    """An event waiting to be (or already) published; maps one-to-one onto a CloudEvent."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_pending", "published_at", "created_at"),
        # The relay's claim reads only unpublished rows, oldest first: a partial index stays small
        # however long the published history grows.
        sa.Index(
            "ix_outbox_unpublished",
            "created_at",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    nats_subject: str = Field(max_length=200)
    type: str = Field(max_length=200)
    source: str = Field(max_length=200)
    subject: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=12)
    data: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    traceparent: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))
    claimed_until: datetime | None = Field(default=None, sa_column=sa.Column(sa.DateTime(timezone=True)))
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)

    def to_cloudevent(self) -> CloudEvent:
        """The envelope to publish."""
        created = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
        return CloudEvent(
            id=self.id,
            type=self.type,
            source=self.source,
            subject=self.subject,
            data=json.loads(self.data),
            time=created,
            traceparent=self.traceparent,
            region=self.region,
        )


def cloudevent_json(row: Any) -> bytes:
    """Wire bytes of an outbox row (an ``OutboxEvent`` or a Core row with its columns).

    The same JSON object as ``row.to_cloudevent().to_json()`` (key order and whitespace inside
    ``data`` may differ), but the stored payload text is spliced in rather than decoded and
    re-encoded. A payload that does not look like a JSON object takes the slow path, which parses it
    (and raises on bad JSON, as before).
    """
    data: str = row.data
    if not (data[:1] == "{" and data[-1:] == "}"):
        data = json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":"))
    return structured_json(
        id=row.id,
        source=row.source,
        type=row.type,
        time=format_time(row.created_at),
        data_json=data,
        subject=row.subject,
        traceparent=row.traceparent,
        region=row.region,
    )


def stage_event(
    session: AsyncSession,
    event: EventDef,
    payload: BaseModel,
    *,
    subject: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """Add an event to the session's transaction; it is published only if the transaction commits.

    ``event_id`` gives a deterministic id (e.g. ``kit.visits.overdue_event_id``) instead of a random
    one: it is the outbox primary key and the ``Nats-Msg-Id``, so staging the same event twice
    conflicts in the database and JetStream drops a republished copy.
    """
    if declared_events().get(event.subject) != event:
        raise ValueError(f"{event.subject} is not a declared event (kit.event_catalog.define_event)")
    if not isinstance(payload, event.payload):
        raise TypeError(f"{event.subject} takes a {event.payload.__name__} payload")
    ce = CloudEvent(
        **({"id": event_id} if event_id is not None else {}),
        type=event.type,
        source=f"/minzheng/{event.service}",
        subject=subject,
        data=payload.model_dump(mode="json"),
        time=now or utcnow(),
        traceparent=current_traceparent(),
        region=region,
    )
    session.add(outbox_row(ce, data_json=payload_json(payload)))
    return ce


def payload_json(payload: BaseModel) -> str:
    """The stored text of a payload: pydantic's own JSON (fields in declaration order, UTF-8 kept)."""
    return payload.model_dump_json()


def outbox_row(ce: CloudEvent, *, data_json: str | None = None) -> OutboxEvent:
    """The outbox row of an envelope (the inverse of ``OutboxEvent.to_cloudevent``).

    ``data_json`` is the payload's text when the caller has it (``payload_json``), else ``ce.data``
    is encoded.
    """
    return OutboxEvent(
        id=ce.id,
        nats_subject=ce.nats_subject,
        type=ce.type,
        source=ce.source,
        subject=ce.subject,
        region=ce.region,
        data=data_json if data_json is not None else json.dumps(ce.data, ensure_ascii=False, sort_keys=True),
        traceparent=ce.traceparent,
        created_at=ce.time,
    )
