"""The outbox relay publishes every committed event to CIVIC exactly once, whatever happens to it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from opentelemetry.sdk.trace import TracerProvider
from sqlmodel import select

from services.kit.db import Database
from services.kit.local_nats import LocalNats
from services.kit.outbox import OutboxEvent
from services.kit.relay import OutboxRelay
from services.kit.settings import Settings
from tests.contract.kit.support import (
    EVENT_NAME,
    as_utc,
    count_rows,
    eventually,
    read_stream,
    stage,
    stream_count,
    unpublished,
    write_events,
)


def subject_of(service: str) -> str:
    return f"civic.{service}.{EVENT_NAME}"


async def test_every_committed_event_is_published_once_and_rolled_back_ones_never(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    tracer = TracerProvider().get_tracer("test")
    staged = []
    with tracer.start_as_current_span("request"):
        async with db.unit_of_work() as session:
            staged += [stage(session, service, n, subject=f"thing-{n}") for n in (1, 2)]
    with pytest.raises(RuntimeError):
        async with db.unit_of_work() as session:
            stage(session, service, 99, subject="thing-99")
            raise RuntimeError("the state change failed, so its event must never leave")
    async with db.unit_of_work() as session:
        staged.append(stage(session, service, 3, region="330109001"))

    relay = OutboxRelay(db, js, settings)
    assert await relay.publish_pending() == 3
    assert await relay.publish_pending() == 0

    msgs = await read_stream(js, settings.stream_name, subject_of(service))
    assert len(msgs) == 3
    by_id = {ce.id: ce for ce in staged}
    for msg in msgs:
        body = json.loads(msg.data)
        ce = by_id[body["id"]]
        assert msg.subject == subject_of(service)
        assert msg.headers is not None and msg.headers["Nats-Msg-Id"] == ce.id
        assert msg.headers["Content-Type"] == "application/cloudevents+json"
        assert body["type"] == f"civic.{service}.{EVENT_NAME}.v1" == ce.type
        assert body["source"] == f"/minzheng/{service}" and body["specversion"] == "1.0"
        assert body.get("subject") == ce.subject and body["data"] == ce.data
        assert body.get("traceparent") == ce.traceparent == msg.headers.get("traceparent")
    assert {json.loads(m.data)["id"] for m in msgs} == set(by_id)
    assert all(ce.traceparent for ce in staged[:2]) and staged[2].traceparent is None
    assert json.loads(msgs[-1].data)["region"] == "330109001"

    async with db.read() as session:
        rows = [
            (r.published_at, r.claimed_until, r.attempts) for r in (await session.exec(select(OutboxEvent)))
        ]
    assert len(rows) == 3
    assert all(
        published is not None and claim is None and attempts == 1 for published, claim, attempts in rows
    )


async def test_an_event_published_twice_is_stored_once(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    (event_id,) = await write_events(db, service, 1)
    relay = OutboxRelay(db, js, settings)
    assert await relay.publish_pending() == 1
    # As if the "published" mark was lost: the row goes out again with the same Nats-Msg-Id.
    async with db.unit_of_work() as session:
        await session.exec(sa.update(OutboxEvent).values(published_at=None))
    assert await relay.publish_pending() == 1
    assert relay.stats.duplicates == 1
    msgs = await read_stream(js, settings.stream_name, subject_of(service))
    assert [json.loads(m.data)["id"] for m in msgs] == [event_id]


async def test_events_written_while_nats_is_down_are_all_delivered_once_it_is_back(
    db: Database, js: JetStreamContext, settings: Settings, service: str, nats: LocalNats
) -> None:
    relay = OutboxRelay(db, js, settings, backoff_max_s=1.0, publish_timeout_s=2.0, lease_s=5.0)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        await asyncio.to_thread(nats.stop)
        ids: list[str] = []
        for batch in range(20):
            ids += await write_events(db, service, 10, start=batch * 10)
            relay.notify()
        # The relay kept trying and wrote down why it could not publish.
        await eventually(
            lambda: count_rows(
                db, OutboxEvent, sa.column("attempts") > 0, sa.column("last_error").is_not(None)
            ),
            what="the relay recorded failed attempts",
        )
        assert await unpublished(db) == 200
        await asyncio.to_thread(nats.start)
        await eventually(
            lambda: _all_published(db), within=30, what="every row published after NATS came back"
        )
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert await stream_count(js, settings.stream_name, subject_of(service)) == 200
    msgs = await read_stream(js, settings.stream_name, subject_of(service))
    assert sorted(json.loads(m.data)["id"] for m in msgs) == sorted(ids)
    assert len({m.headers["Nats-Msg-Id"] for m in msgs if m.headers}) == 200


async def _all_published(db: Database) -> bool:
    return await unpublished(db) == 0


async def test_two_relays_on_one_database_publish_each_event_once(
    database_url: str, db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    ids = await write_events(db, service, 600, per_transaction=50)
    second_db = Database(database_url)
    # Connected before they start: a first connection made while the other relay drains (slow on a
    # busy machine) let that one publish everything alone.
    await db.ping()
    await second_db.ping()
    relays = [
        OutboxRelay(db, js, settings, batch_size=25),
        OutboxRelay(second_db, js, settings, batch_size=25),
    ]

    async def drain(relay: OutboxRelay) -> None:
        while await unpublished(db):
            await relay.publish_pending()

    try:
        await asyncio.gather(*(drain(r) for r in relays))
    finally:
        await second_db.dispose()
    # Disjoint claims: no event went out twice, so JetStream saw no duplicate either.
    assert sum(r.stats.published for r in relays) == 600
    assert sum(r.stats.duplicates for r in relays) == 0
    if not db.is_sqlite:
        # SKIP LOCKED lets both work at once on PostgreSQL (on SQLite they take turns).
        assert all(r.stats.published > 0 for r in relays)
    msgs = await read_stream(js, settings.stream_name, subject_of(service))
    assert sorted(json.loads(m.data)["id"] for m in msgs) == sorted(ids)


async def test_a_claim_that_is_never_marked_expires_and_the_event_is_republished_and_stored_once(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    ids = await write_events(db, service, 5)
    crashed = OutboxRelay(db, js, settings, lease_s=1.5, publish_timeout_s=0.5)
    rows = await crashed.claim()
    assert [r.id for r in rows] == ids  # oldest first
    acks, failed = await crashed._publish(rows)  # published, then the process "dies" before marking
    assert len(acks) == 5 and not failed

    other = OutboxRelay(db, js, settings)
    assert await other.publish_pending() == 0  # the claim still holds
    await asyncio.sleep(1.6)
    assert await other.publish_pending() == 5
    assert other.stats.duplicates == 5
    assert await stream_count(js, settings.stream_name, subject_of(service)) == 5


async def test_a_row_that_fails_is_retried_with_backoff_and_does_not_block_the_others(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    # A stream of this test only, which at first does not take the subject of the oldest row.
    stream = f"RETRY_{service.upper()}"
    good_subject, bad_subject = f"kitretry.{service}.good", f"kitretry.{service}.bad"
    await js.add_stream(StreamConfig(name=stream, subjects=[good_subject], max_age=600.0))
    own = settings.model_copy(update={"stream_name": stream})
    now = datetime.now(UTC)
    async with db.unit_of_work() as session:
        for n, subject in enumerate([bad_subject, good_subject, good_subject, good_subject]):
            session.add(
                OutboxEvent(
                    id=f"row-{n}",
                    nats_subject=subject,
                    type=f"{subject}.v1",
                    source="/minzheng/test",
                    data="{}",
                    created_at=now - timedelta(minutes=10 - n),
                )
            )
    relay = OutboxRelay(db, js, own, publish_timeout_s=0.5, lease_s=2.0, backoff_initial_s=0.3)
    try:
        assert await relay.publish_pending() == 3  # the failing oldest row holds nobody up
        first = await _row(db, "row-0")
        assert first.published_at is None and first.attempts == 1
        assert first.last_error and "NoStreamResponse" in first.last_error, first.last_error
        held_until = as_utc(first.claimed_until)
        assert held_until is not None
        assert datetime.now(UTC) < held_until <= datetime.now(UTC) + timedelta(seconds=relay.backoff_max_s)

        # Held back until its back-off ends ...
        assert await relay.publish_pending() == 0
        assert (await _row(db, "row-0")).attempts == 1
        await _sleep_until(held_until)
        # ... then tried again, and held back longer after a second failure.
        before = datetime.now(UTC)
        assert await relay.publish_pending() == 0
        second = await _row(db, "row-0")
        assert second.attempts == 2 and second.published_at is None
        assert relay.row_backoff_s(1) > relay.row_backoff_s(0)
        assert as_utc(second.claimed_until) >= before + timedelta(seconds=relay.row_backoff_s(1))

        # The cause goes away (the stream takes the subject now): a running relay publishes it, once.
        info = await js.stream_info(stream)
        await js.update_stream(info.config.evolve(subjects=[f"kitretry.{service}.*"]))
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await eventually(lambda: _published(db, "row-0"), what="the failed row published after the fix")
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
        done = await _row(db, "row-0")
        assert done.attempts == 3 and done.claimed_until is None
        assert done.last_error and "NoStreamResponse" in done.last_error  # the last failure stays on record
        (msg,) = await read_stream(js, stream, bad_subject)
        assert msg.headers is not None and msg.headers["Nats-Msg-Id"] == "row-0"
        assert await stream_count(js, stream, good_subject) == 3
        assert relay.stats.published == 4 and relay.stats.failures == 2
    finally:
        await js.delete_stream(stream)


async def _row(db: Database, row_id: str) -> OutboxEvent:
    async with db.read() as session:
        row = await session.get(OutboxEvent, row_id)
        assert row is not None
        session.expunge(row)  # a snapshot: the read session's rollback must not expire it
        return row


async def _published(db: Database, row_id: str) -> bool:
    return (await _row(db, row_id)).published_at is not None


async def _sleep_until(when: datetime) -> None:
    await asyncio.sleep(max(0.0, (when - datetime.now(UTC)).total_seconds()) + 0.05)
