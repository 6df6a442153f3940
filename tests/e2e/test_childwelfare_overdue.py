"""Issue 4's overdue path through the launcher-started system: a child registered in GraphQL whose
visit is long due → the scheduled scan → ``civic.childwelfare.child-visit-overdue`` on NATS and on
the GraphQL subscription, once."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import date, timedelta

import nats
import websockets
from nats.js.api import DeliverPolicy
from strawberry.relay.utils import from_base64

from services.kit.cloudevents import CloudEvent
from services.kit.idcard import mask_id_number, random_id_number
from services.kit.regions import RegionTree
from tests.e2e.conftest import System
from tests.e2e.test_system import gql

REGISTER = """
mutation($input: RegisterChildInput!) { registerChild(input: $input) { id regionCode } }
"""
EVENTS = "subscription($types: [String!]) { events(types: $types) { id type region data } }"
OVERDUE = "civic.childwelfare.child-visit-overdue"


async def test_an_unvisited_child_is_reported_overdue_on_nats_and_the_subscription(system: System) -> None:
    village = RegionTree.xiaoshan().villages()[0].code
    today = date.today()
    id_number = random_id_number(random.Random(), born_between=(today - timedelta(days=3650), today))
    nc = await nats.connect(system.nats_url)
    on_nats = await nc.jetstream().subscribe(OVERDUE, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    ws_url = system.gateway_url.replace("http", "ws") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {system.token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": {"types": [OVERDUE]}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await asyncio.sleep(1.0)  # the gateway binds its consumer (new messages only)

        # left-behind since two months ago, never visited: overdue from the scan's next run
        since = (today.replace(day=1) - timedelta(days=40)).isoformat()
        data = await gql(
            system,
            REGISTER,
            {
                "input": {
                    "idNumber": id_number,
                    "name": "小明",
                    "regionCode": village,
                    "category": "LEFT_BEHIND",
                    "categorySince": since,
                }
            },
        )
        child_id = from_base64(data["registerChild"]["id"])[1]

        seen: list[CloudEvent] = []
        while not seen:
            msg = await asyncio.wait_for(on_nats.next_msg(timeout=30), timeout=31)
            ce = CloudEvent.from_json(msg.data)
            if ce.data["child_id"] == child_id:
                seen.append(ce)
        ce = seen[0]
        assert ce.region == village
        days = ce.data["days_overdue"]
        # default escalation policy: town after 7 days, district after 14
        assert ce.data["escalation_level"] == ("village" if days < 7 else "town" if days < 14 else "district")
        assert ce.data["child_id_masked"] == mask_id_number(id_number)
        assert id_number.encode() not in msg.data

        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            assert frame["type"] == "next", frame
            if frame["payload"]["data"]["events"]["id"] == ce.id:
                break

        # later scans (every 2 s here) do not announce the same period and level again
        await asyncio.sleep(5)
        again = []
        while True:
            try:
                msg = await on_nats.next_msg(timeout=0.5)
            except nats.errors.TimeoutError:
                break
            if CloudEvent.from_json(msg.data).data["child_id"] == child_id:
                again.append(msg)
        assert again == []
    await nc.close()
