"""The events subscription (graphql-transport-ws): CloudEvents from JetStream, filtered by type and region."""

from __future__ import annotations

import asyncio
import contextlib
import json

import websockets
from strawberry.relay.utils import from_base64

from tests.contract.gateway.conftest import (
    EVENTS,
    RELEASE,
    Stack,
    add_beds,
    assign,
    bound_consumers,
    new_town,
    next_event,
    register,
    subscribed,
    town_token,
    wait_until_published,
)


async def test_town_subscriber_gets_own_towns_bed_assigned_events_only(stack: Stack) -> None:
    town_a, town_b = new_town(), new_town()
    home_a = await register(stack, town_a, "A镇养老院")
    home_b = await register(stack, town_b, "B镇养老院")
    beds_a = await add_beds(stack, home_a["id"], count=2)
    beds_b = await add_beds(stack, home_b["id"], count=1)
    assert not (await assign(stack, beds_a[0]["id"])).get("errors")
    # Otherwise that assignment's event could still be in flight when the subscription starts.
    await wait_until_published(
        stack.nats_url, "civic.eldercare.bed-assigned", from_base64(beds_a[0]["id"])[1]
    )

    async with subscribed(stack, town_token(town_a), ["civic.eldercare.bed-assigned"]) as ws:
        # Published in this order; the subscriber must skip the first two (wrong type, wrong town).
        await stack.data(RELEASE, {"input": {"bedId": beds_a[0]["id"], "reason": "moved home"}})
        assert not (await assign(stack, beds_b[0]["id"])).get("errors")
        assert not (await assign(stack, beds_a[1]["id"])).get("errors")

        event = await next_event(ws)
        assert event["type"] == "civic.eldercare.bed-assigned.v1"
        assert event["region"] == town_a
        assert event["data"]["region_code"] == town_a
        assert event["data"]["institution_name"] == "A镇养老院"
        assert "*" in event["data"]["elder_id_masked"]
        assert event["id"] and event["source"] and event["time"]
        with contextlib.suppress(TimeoutError):
            extra = await asyncio.wait_for(ws.recv(), 0.5)
            raise AssertionError(f"unexpected message: {extra}")


async def test_versioned_type_and_wildcards_are_accepted(stack: Stack) -> None:
    town = new_town()
    home = await register(stack, town)
    bed = (await add_beds(stack, home["id"], count=1))[0]
    async with subscribed(
        stack, town_token(town), ["civic.eldercare.bed-released.v1", "civic.*.bed-assigned"]
    ) as ws:
        assert not (await assign(stack, bed["id"])).get("errors")
        await stack.data(RELEASE, {"input": {"bedId": bed["id"]}})
        types = [(await next_event(ws))["type"], (await next_event(ws))["type"]]
    assert types == ["civic.eldercare.bed-assigned.v1", "civic.eldercare.bed-released.v1"]


async def test_bad_types_are_an_invalid_argument_error(stack: Stack) -> None:
    async with websockets.connect(stack.gateway.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {town_token(new_town())}"}}
            )
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": {"types": ["payments.>"]}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
    assert errors[0]["extensions"]["fields"][0]["field"] == "types"


async def test_disconnecting_releases_the_jetstream_consumer(stack: Stack) -> None:
    before = await bound_consumers(stack.nats_url)
    async with subscribed(stack, town_token(new_town()), []):
        during = await bound_consumers(stack.nats_url)
        assert during - before
    for _ in range(100):
        if not (await bound_consumers(stack.nats_url)) - before:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the consumer is still bound after the client went away")
