"""Shared pieces of the kit event tests: a test-only table, events to stage, stream readers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import sqlalchemy as sa
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from pydantic import BaseModel
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.auth import Principal, Role
from services.kit.cloudevents import CloudEvent
from services.kit.db import Database
from services.kit.event_catalog import EventDef
from services.kit.inbox import ProcessedEvent
from services.kit.outbox import OutboxEvent, outbox_row
from services.kit.telemetry import current_traceparent

WAIT_S = 20.0
EVENT_NAME = "thing-happened"


class TestBase(SQLModel, registry=registry()):
    """Test tables live in their own metadata so no service's schema check ever sees them."""

    __test__ = False


class Effect(TestBase, table=True):
    """What a test handler does: one row per applied event."""

    __tablename__ = "kit_test_effect"
    __test__ = False

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=200)
    note: str = Field(default="", max_length=200)


class Thing(BaseModel):
    """The payload of the test event."""

    n: int
    note: str = "测试"


def event_def(service: str) -> EventDef:
    """A test event on ``civic.<service>.thing-happened``."""
    return EventDef(service=service, name=EVENT_NAME, payload=Thing, summary="a test event")


def stage(
    session: AsyncSession, service: str, n: int, *, subject: str | None = None, region: str | None = None
) -> CloudEvent:
    """``kit.outbox.stage_event`` for a test event.

    stage_event only takes declared events, and declaring test events would put them in the
    catalogue check of every later test in the session; this writes the same row without the check.
    """
    ed = event_def(service)
    ce = CloudEvent(
        type=ed.type,
        source=f"/minzheng/{service}",
        subject=subject,
        data=Thing(n=n).model_dump(mode="json"),
        traceparent=current_traceparent(),
        region=region,
    )
    session.add(outbox_row(ce))
    return ce


async def create_tables(db: Database) -> None:
    """The kit tables and the test table, without alembic."""
    kit = [OutboxEvent.__table__, ProcessedEvent.__table__]
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: SQLModel.metadata.create_all(sync, tables=kit))
        await conn.run_sync(TestBase.metadata.create_all)


async def write_events(
    db: Database, service: str, count: int, *, per_transaction: int = 10, start: int = 0
) -> list[str]:
    """Commit ``count`` events in transactions of ``per_transaction``; returns their ids in order."""
    ids: list[str] = []
    for first in range(start, start + count, per_transaction):
        async with db.unit_of_work() as session:
            for n in range(first, min(first + per_transaction, start + count)):
                ids.append(stage(session, service, n, subject=f"thing-{n}").id)
    return ids


async def count_rows(db: Database, model: type[SQLModel], *where: sa.ColumnElement[bool]) -> int:
    """Rows of a table matching the conditions."""
    async with db.read() as session:
        return int((await session.exec(select(func.count()).select_from(model).where(*where))).one())


async def unpublished(db: Database) -> int:
    """Outbox rows not yet published."""
    return await count_rows(db, OutboxEvent, sa.column("published_at").is_(None))


async def effects(db: Database) -> list[str]:
    """Event ids of every applied effect."""
    async with db.read() as session:
        return list((await session.exec(select(Effect.event_id))).all())


SERVICE_PRINCIPAL = Principal(subject="service:kittest", roles=frozenset({Role.SERVICE}), regions=("330109",))


async def record_effect(session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
    """A handler: one Effect row per event, noting who applied it."""
    session.add(Effect(event_id=event.id, note=principal.subject))


async def eventually(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool], *, within: float = WAIT_S, what: str = ""
) -> None:
    """Poll ``check`` until it is true; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {within:g} s: {what or check}")
        await asyncio.sleep(0.05)


async def stream_count(js: JetStreamContext, stream: str, subject: str) -> int:
    """How many messages the stream holds on a subject (or wildcard)."""
    info = await js.stream_info(stream, subjects_filter=subject)
    return sum((info.state.subjects or {}).values())


async def read_stream(js: JetStreamContext, stream: str, subject: str) -> list[Msg]:
    """Every message the stream holds on a subject, in stream order (an ephemeral, ack-less reader)."""
    expected = await stream_count(js, stream, subject)
    if expected == 0:
        return []
    sub = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=10.0
        ),
    )
    msgs: list[Msg] = []
    try:
        while len(msgs) < expected:
            msgs.extend(await sub.fetch(min(expected - len(msgs), 500), timeout=5))
    finally:
        await sub.unsubscribe()
    return msgs


def cloud_event_bytes(service: str, n: int, *, event_id: str | None = None) -> tuple[CloudEvent, bytes]:
    """A test CloudEvent (as published by a relay) and its wire bytes."""
    ed = event_def(service)
    kwargs = {"id": event_id} if event_id else {}
    ce = CloudEvent(
        type=ed.type, source=f"/minzheng/{service}", subject=f"thing-{n}", data={"n": n}, **kwargs
    )
    return ce, ce.to_json()


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; compare in UTC."""
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
