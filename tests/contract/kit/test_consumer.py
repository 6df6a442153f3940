"""Durable consumers: effects applied once, bounded redelivery, dead letters, NATS restarts survived."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.auth import Principal, Role
from services.kit.cloudevents import CloudEvent
from services.kit.consumer import EventConsumer, Handler, Unprocessable
from services.kit.db import Database
from services.kit.deadletter import DL_CONSUMER, DL_DELIVERIES, DL_REASON, DL_SEQUENCE
from services.kit.local_nats import LocalNats
from services.kit.settings import Settings
from services.kit.stream import dead_letter_stream_name
from services.kit.subjects import filter_subjects, subject_matches
from tests.contract.kit.support import (
    EVENT_NAME,
    SERVICE_PRINCIPAL,
    Effect,
    cloud_event_bytes,
    effects,
    eventually,
    read_stream,
    record_effect,
    stream_count,
)


def subject_of(service: str, name: str = EVENT_NAME) -> str:
    return f"civic.{service}.{name}"


async def publish(
    js: JetStreamContext, service: str, n: int, *, event_id: str | None = None, msg_id: str | None = None
) -> CloudEvent:
    """Publish a test CloudEvent as a relay would (retrying while the connection comes back)."""
    ce, body = cloud_event_bytes(service, n, event_id=event_id)
    headers = {"Nats-Msg-Id": msg_id or ce.id, "Content-Type": "application/cloudevents+json"}
    for attempt in range(100):
        try:
            await js.publish(subject_of(service), body, headers=dict(headers), timeout=1)
            return ce
        except Exception:
            if attempt == 99:
                raise
            await asyncio.sleep(0.1)
    raise AssertionError("unreachable")


@contextlib.asynccontextmanager
async def running(consumer: EventConsumer) -> AsyncIterator[asyncio.Task[None]]:
    """Run a consumer for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield task
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)


def make_consumer(
    js: JetStreamContext,
    db: Database,
    settings: Settings,
    service: str,
    handler: Handler = record_effect,
    **kw,
) -> EventConsumer:
    kw.setdefault("ack_wait", 2.0)
    kw.setdefault("backoff", (0.05,))
    kw.setdefault("fetch_timeout", 0.5)
    kw.setdefault("principal", SERVICE_PRINCIPAL)
    return EventConsumer(
        js,
        db,
        durable=f"{service}-test",
        subjects=[f"civic.{service}.>"],
        handler=handler,
        settings=settings,
        **kw,
    )


async def dead_letters(js: JetStreamContext, settings: Settings, service: str) -> list[Msg]:
    return await read_stream(js, dead_letter_stream_name(settings), f"deadletter.civic.{service}.>")


def test_overlapping_route_patterns_are_folded_into_one_filter_or_refused() -> None:
    assert filter_subjects(["civic.a.x", "civic.a.*", "civic.b.>", "civic.b.y.z"]) == [
        "civic.a.*",
        "civic.b.>",
    ]
    assert filter_subjects(["civic.a.x", "civic.a.x"]) == ["civic.a.x"]
    with pytest.raises(ValueError, match="overlap"):
        filter_subjects(["civic.*.x", "civic.a.*"])


def test_subject_patterns_match_like_nats() -> None:
    assert subject_matches("civic.funeral.>", "civic.funeral.death-registered")
    assert subject_matches("civic.*.death-registered", "civic.funeral.death-registered")
    assert subject_matches("civic.relief.assistance-granted", "civic.relief.assistance-granted")
    assert not subject_matches("civic.funeral.>", "civic.funeral")
    assert not subject_matches("civic.*", "civic.funeral.death-registered")
    assert not subject_matches("civic.relief.>", "civic.funeral.death-registered")


async def test_the_same_event_delivered_twice_takes_effect_once(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    ce = await publish(js, service, 1)
    # The same event again under other message ids (e.g. republished after the duplicate window).
    await publish(js, service, 1, event_id=ce.id, msg_id=f"{ce.id}-again")
    await publish(js, service, 1, event_id=ce.id, msg_id=f"{ce.id}-third")
    consumer = make_consumer(js, db, settings, service)
    async with running(consumer):
        await eventually(lambda: consumer.handled + consumer.skipped == 3, what="three deliveries processed")
    assert consumer.handled == 1 and consumer.skipped == 2
    assert await effects(db) == [ce.id]


async def test_a_handler_acts_as_the_consumers_service_principal(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    principal = Principal(
        subject=f"service:{service}", roles=frozenset({Role.SERVICE}), regions=("330109001", "330110")
    )
    seen: list[Principal] = []

    async def handler(session: AsyncSession, event: CloudEvent, acting: Principal) -> None:
        seen.append(acting)
        acting.require_region("330109001002", what="an elder")  # the handler checks scope like an RPC
        await record_effect(session, event, acting)

    await publish(js, service, 1)
    consumer = make_consumer(js, db, settings, service, handler, principal=principal)
    async with running(consumer):
        await eventually(lambda: consumer.handled == 1, what="the event handled")
    assert seen == [principal]
    async with db.read() as session:
        notes = list((await session.exec(select(Effect.note))).all())
    assert notes == [f"service:{service}"]


@pytest.mark.parametrize(
    "principal",
    [
        Principal(subject="user:zhang", roles=frozenset({Role.ADMIN}), regions=("330109",)),
        Principal(subject="service:eldercare", roles=frozenset({Role.SERVICE}), regions=()),
    ],
    ids=["not-a-service", "no-regions"],
)
async def test_a_consumer_refuses_a_principal_that_is_not_a_scoped_service(
    principal: Principal, db: Database, js: JetStreamContext, settings: Settings
) -> None:
    with pytest.raises(ValueError, match="service principal"):
        EventConsumer(
            js,
            db,
            durable="x",
            subjects=["civic.x.>"],
            handler=record_effect,
            principal=principal,
            settings=settings,
        )


class CrashBeforeAck(EventConsumer):
    """Commits the effect, then hangs where it would ack (the test kills it there)."""

    reached_ack: asyncio.Event

    async def _ack(self, msg: Msg) -> None:
        self.reached_ack.set()
        await asyncio.Event().wait()


async def test_a_consumer_killed_after_commit_before_ack_changes_nothing_on_redelivery(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    ce = await publish(js, service, 7)
    crashing = CrashBeforeAck(
        js, db, durable=f"{service}-test", subjects=[f"civic.{service}.>"], handler=record_effect,
        principal=SERVICE_PRINCIPAL, settings=settings, ack_wait=1.0, fetch_timeout=0.5,
    )  # fmt: skip
    crashing.reached_ack = asyncio.Event()
    stop = asyncio.Event()
    task = asyncio.create_task(crashing.run(stop))
    await asyncio.wait_for(crashing.reached_ack.wait(), 10)
    task.cancel()  # the process dies: effect committed, message never acked
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await effects(db) == [ce.id]

    restarted = make_consumer(js, db, settings, service, ack_wait=1.0)
    async with running(restarted):
        await eventually(lambda: restarted.skipped == 1, what="the redelivery reached the restarted consumer")
    assert restarted.handled == 0
    assert await effects(db) == [ce.id]
    info = await js.consumer_info(settings.stream_name, f"{service}-test")
    assert info.num_ack_pending == 0 and info.delivered.consumer_seq == 2  # delivered twice, acked


async def test_a_handler_that_always_fails_ends_in_the_dead_letter_stream(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    calls: list[int] = []

    async def broken(session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        await record_effect(session, event, principal)  # rolled back with the failure
        calls.append(1)
        raise RuntimeError("the relief office is unreachable")

    ce = await publish(js, service, 3)
    consumer = make_consumer(js, db, settings, service, broken, max_deliver=3)
    async with running(consumer):
        await eventually(lambda: consumer.dead_lettered == 1, what="the message was dead-lettered")
        ok = await publish(js, service, 4)
        consumer.handler = record_effect
        await eventually(lambda: consumer.handled == 1, what="the consumer went on with the next message")
    assert len(calls) == 3  # max_deliver deliveries, no more
    (dead,) = await dead_letters(js, settings, service)
    assert dead.subject == f"deadletter.{subject_of(service)}"
    assert json.loads(dead.data)["id"] == ce.id
    assert dead.headers is not None
    assert dead.headers[DL_CONSUMER] == f"{service}-test" and dead.headers[DL_DELIVERIES] == "3"
    assert "RuntimeError: the relief office is unreachable" in dead.headers[DL_REASON]
    assert dead.headers["Civic-Original-Msg-Id"] == ce.id
    assert await effects(db) == [ok.id]
    # Nothing dead-lettered lands on CIVIC, where consumers would see it.
    assert await stream_count(js, settings.stream_name, "deadletter.>") == 0
    info = await js.consumer_info(settings.stream_name, f"{service}-test")
    assert info.num_ack_pending == 0 and info.num_pending == 0


async def test_an_unprocessable_event_is_dead_lettered_on_its_first_delivery(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    calls: list[int] = []

    async def strict(session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
        await record_effect(session, event, principal)  # rolled back with the failure
        calls.append(1)
        raise Unprocessable("region_code: must be a 12-digit village code")

    ce = await publish(js, service, 6)
    consumer = make_consumer(js, db, settings, service, strict, max_deliver=5)
    async with running(consumer):
        await eventually(lambda: consumer.dead_lettered == 1, what="the message was dead-lettered")
    assert len(calls) == 1  # no retries: a retry cannot fix a payload
    (dead,) = await dead_letters(js, settings, service)
    assert json.loads(dead.data)["id"] == ce.id
    assert dead.headers is not None and dead.headers[DL_DELIVERIES] == "1"
    assert "Unprocessable: region_code: must be a 12-digit village code" in dead.headers[DL_REASON]
    assert await effects(db) == []


async def test_max_deliveries_without_an_ack_are_dead_lettered_from_the_advisory(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    consumer = make_consumer(js, db, settings, service, max_deliver=2, ack_wait=1.0)
    await consumer.ensure()
    ce = await publish(js, service, 5)
    # Another replica takes the message twice and never acks it (it hangs, then crashes).
    sub = await js.pull_subscribe_bind(durable=f"{service}-test", stream=settings.stream_name)
    try:
        for delivery in (1, 2):
            (msg,) = await sub.fetch(1, timeout=5)
            assert msg.metadata.num_delivered == delivery
            await msg.nak()
    finally:
        await sub.unsubscribe()
    # JetStream raises the advisory when it next tries to deliver, i.e. when this replica pulls.
    async with running(consumer):
        await eventually(lambda: consumer.dead_lettered == 1, what="the advisory fed the dead-letter stream")
    assert consumer.handled == 0 and await effects(db) == []
    (dead,) = await dead_letters(js, settings, service)
    assert json.loads(dead.data)["id"] == ce.id
    assert dead.headers is not None and dead.headers[DL_DELIVERIES] == "2"
    assert "max deliveries" in dead.headers[DL_REASON]
    assert int(dead.headers[DL_SEQUENCE]) > 0
    # JetStream no longer holds it as pending: nothing is left to terminate.
    info = await js.consumer_info(settings.stream_name, f"{service}-test")
    assert info.num_ack_pending == 0 and info.num_pending == 0


async def test_a_message_that_is_not_a_cloudevent_is_dead_lettered_at_once(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    await js.publish(subject_of(service), b"{not json", headers={"Nats-Msg-Id": f"{service}-garbage"})
    ok = await publish(js, service, 1)
    consumer = make_consumer(js, db, settings, service)
    async with running(consumer):
        await eventually(lambda: consumer.handled == 1 and consumer.dead_lettered == 1, what="both processed")
    (dead,) = await dead_letters(js, settings, service)
    assert dead.data == b"{not json"
    assert dead.headers is not None and dead.headers[DL_DELIVERIES] == "1"
    assert "not a CloudEvent" in dead.headers[DL_REASON]
    assert await effects(db) == [ok.id]


@pytest.mark.parametrize("how", ["restart", "kill"])
async def test_a_consumer_keeps_receiving_after_the_nats_server_restarts(
    how: str, db: Database, js: JetStreamContext, settings: Settings, service: str, nats: LocalNats
) -> None:
    consumer = make_consumer(js, db, settings, service, idle_check_s=2.0)
    sent: list[str] = []
    async with running(consumer):
        for n in range(3):
            sent.append((await publish(js, service, n)).id)
        await eventually(lambda: consumer.handled == 3, what="events before the restart")
        if how == "kill":
            await asyncio.to_thread(nats.kill)
            await asyncio.to_thread(nats.start)
        else:
            await asyncio.to_thread(nats.restart)
        for n in range(3, 6):
            sent.append((await publish(js, service, n)).id)
        await eventually(lambda: consumer.handled == 6, what="events published after the restart")
    assert sorted(await effects(db)) == sorted(sent)
    assert consumer.rebinds >= 1  # the pull subscription was re-created after the reconnect (nats.py#504)


async def test_routes_send_each_subject_to_its_handler(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    seen: dict[str, list[str]] = {"a": [], "b": []}

    def remember(key: str) -> Handler:
        async def handler(session: AsyncSession, event: CloudEvent, principal: Principal) -> None:
            seen[key].append(event.id)
            await record_effect(session, event, principal)

        return handler

    a_type = f"civic.{service}.a-happened.v1"
    b_type = f"civic.{service}.b-happened.v1"
    ids = {}
    for key, ce_type in (("a", a_type), ("b", b_type)):
        ce = CloudEvent(type=ce_type, source="/minzheng/test", data={})
        await js.publish(ce.nats_subject, ce.to_json(), headers={"Nats-Msg-Id": ce.id})
        ids[key] = ce.id
    consumer = EventConsumer.for_routes(
        js,
        db,
        durable=f"{service}-routes",
        routes={f"civic.{service}.a-happened": remember("a"), f"civic.{service}.*": remember("b")},
        principal=SERVICE_PRINCIPAL,
        settings=settings,
        fetch_timeout=0.5,
    )
    async with running(consumer):
        await eventually(lambda: consumer.handled == 2, what="both events handled")
    assert seen == {"a": [ids["a"]], "b": [ids["b"]]}  # the exact pattern wins over the wildcard
    assert consumer.subjects == [f"civic.{service}.*"]


async def test_a_new_durable_can_replay_from_a_point_in_time(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    await publish(js, service, 1)
    await asyncio.sleep(0.05)
    since = datetime.now(UTC)
    later = await publish(js, service, 2)
    consumer = make_consumer(js, db, settings, service, start_time=since)
    async with running(consumer):
        await eventually(lambda: consumer.handled == 1, what="the event after the start time")
        await asyncio.sleep(0.3)
    assert await effects(db) == [later.id]


async def test_ensure_updates_an_existing_durable(
    db: Database, js: JetStreamContext, settings: Settings, service: str
) -> None:
    first = make_consumer(js, db, settings, service, max_deliver=3)
    await first.ensure()
    await first.ensure()  # idempotent
    second = make_consumer(js, db, settings, service, max_deliver=7, ack_wait=4.0)
    await second.ensure()
    info = await js.consumer_info(settings.stream_name, f"{service}-test")
    assert info.config.max_deliver == 7 and info.config.ack_wait == 4.0
    assert info.config.filter_subjects == [f"civic.{service}.>"]
