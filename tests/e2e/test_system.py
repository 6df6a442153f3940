"""The newcomer's flow through the launcher-started system: demo data in GraphQL, assignBed, and the
``civic.eldercare.bed-assigned`` CloudEvent arriving on NATS and on the GraphQL subscription."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import time
from datetime import date
from typing import Any

import httpx
import nats
import pytest
import websockets
from nats.js.api import DeliverPolicy
from strawberry.relay.utils import from_base64

from services.kit.cloudevents import CloudEvent
from services.kit.idcard import mask_id_number, random_id_number
from tests.e2e.conftest import System

pytestmark = pytest.mark.e2e

INSTITUTIONS = """
query { institutions(first: 50) { totalCount edges { node { id name regionCode
  beds(status: VACANT) { id label type status } } } } }
"""
ASSIGN = """
mutation($input: AssignBedInput!) { assignBed(input: $input) { id status occupantIdNumber regionCode } }
"""
EVENTS = "subscription($types: [String!]) { events(types: $types) { id type region data } }"


TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


async def gql(
    system: System,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.post(
            f"{system.gateway_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {system.token}", **(headers or {})},
        )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "errors" not in body, body
    return body["data"]


def test_make_up_prints_the_urls_ports_and_a_token(system: System) -> None:
    text = "\n".join(system.output)
    assert f"{system.gateway_url}/graphql" in text
    assert f"127.0.0.1:{system.grpc_base_port}" in text
    print(f"minzheng up was serving after {system.startup_s:.1f} s")


async def test_the_demo_data_is_there_with_beds_of_every_type(system: System) -> None:
    data = await gql(system, INSTITUTIONS)
    conn = data["institutions"]
    assert conn["totalCount"] >= 5
    towns = {edge["node"]["regionCode"][:9] for edge in conn["edges"]}
    assert len(towns) >= 3
    types = {bed["type"] for edge in conn["edges"] for bed in edge["node"]["beds"]}
    assert types == {"GENERAL", "NURSING", "DEMENTIA_CARE", "FAMILY_CARE"}


async def test_the_demo_assignments_are_on_the_stream(system: System) -> None:
    nc = await nats.connect(system.nats_url)
    try:
        info = await nc.jetstream().stream_info("CIVIC")
        assert info.state.messages > 0
    finally:
        await nc.close()


async def test_a_request_without_a_token_gets_401(system: System) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        resp = await client.post(f"{system.gateway_url}/graphql", json={"query": "{ __typename }"})
    assert resp.status_code == 401


async def test_assign_bed_reaches_nats_and_the_graphql_subscription(system: System) -> None:
    data = await gql(system, INSTITUTIONS)
    bed = next(b for e in data["institutions"]["edges"] for b in e["node"]["beds"])
    bed_id = from_base64(bed["id"])[1]
    id_number = random_id_number(random.Random(), born_between=(date(1930, 1, 1), date(1950, 12, 31)))

    nc = await nats.connect(system.nats_url)
    js = nc.jetstream()
    on_nats = await js.subscribe(
        "civic.eldercare.bed-assigned", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    ws_url = system.gateway_url.replace("http", "ws") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {system.token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": EVENTS, "variables": {"types": ["civic.eldercare.bed-assigned"]}},
                }
            )
        )
        await asyncio.sleep(1.0)  # the gateway binds its JetStream consumer (new messages only)

        # the caller's trace (W3C traceparent) goes gateway → gRPC → outbox → CloudEvent
        assigned = await gql(
            system,
            ASSIGN,
            {"input": {"bedId": bed["id"], "elderIdNumber": id_number, "elderName": "王阿姨"}},
            headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"},
        )
        assert assigned["assignBed"]["status"] == "OCCUPIED"

        # on NATS: the CloudEvent, with the ID number masked
        deadline = time.monotonic() + 15
        while True:
            msg = await asyncio.wait_for(on_nats.next_msg(timeout=15), timeout=16)
            ce = CloudEvent.from_json(msg.data)
            if ce.data["bed_id"] == bed_id:
                break
            assert time.monotonic() < deadline
        assert ce.type == "civic.eldercare.bed-assigned.v1"
        assert msg.headers and msg.headers.get("Nats-Msg-Id") == ce.id
        assert ce.data["elder_id_masked"] == mask_id_number(id_number)
        assert id_number.encode() not in msg.data
        assert ce.traceparent is not None and ce.traceparent.split("-")[1] == TRACE_ID
        assert msg.headers.get("traceparent") == ce.traceparent

        # on the GraphQL subscription: the same event
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
            assert frame["type"] == "next", frame
            event = frame["payload"]["data"]["events"]
            if event["data"]["bed_id"] == bed_id:
                break
        assert event["id"] == ce.id
        assert event["type"] == "civic.eldercare.bed-assigned.v1"
        assert event["region"] == ce.region
    await nc.close()


def test_a_crashed_service_is_reported_and_restarted(system: System) -> None:
    line = next(x for x in system.output if "eldercare is serving gRPC" in x)
    pid = int(line.rsplit("pid ", 1)[1].rstrip(")"))
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = "\n".join(system.output)
        if (
            "eldercare exited with code -9; restarting" in text
            and text.count("eldercare is serving gRPC") >= 2
        ):
            break
        time.sleep(0.2)
    else:
        pytest.fail("eldercare was not restarted:\n" + "\n".join(system.output[-40:]))
    data = asyncio.run(gql(system, "{ institutions(first: 1) { totalCount } }"))
    assert data["institutions"]["totalCount"] >= 5


def test_ctrl_c_stops_everything_cleanly(system: System) -> None:
    assert system.stop() == 0
    assert "stopped cleanly" in "\n".join(system.output)
