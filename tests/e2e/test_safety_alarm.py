"""Issue 5's alarm path through the launcher-started system: a device vendor posts an alarm to the
gateway's webhook that nobody acknowledges → the scheduled escalation scan →
``civic.eldercare.safety-alarm-escalated`` on NATS and on the GraphQL subscription, once per level."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import grpc
import httpx
import nats
import websockets
from minzheng.eldercare.v1 import elders_pb2, safety_pb2
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub
from nats.js.api import DeliverPolicy

from gateway.webhooks import DEV_SAFETY_WEBHOOK_SECRET, DEV_VENDOR, SIGNATURE_HEADER, sign
from services.kit.cloudevents import CloudEvent
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import mask_id_number, random_id_number
from services.kit.regions import RegionTree
from tests.e2e.conftest import System

EVENTS = "subscription($types: [String!]) { events(types: $types) { id type region data } }"
ESCALATED = "civic.eldercare.safety-alarm-escalated"


async def elder_with_sos_button(system: System, village: str, serial: str) -> str:
    """Register an elder over gRPC and install an SOS button of the development vendor; the ID number."""
    id_number = random_id_number(random.Random(), born_between=(date(1938, 1, 1), date(1950, 12, 31)))
    metadata = auth_metadata(system.token)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{system.grpc_base_port}") as channel:
        elder = await ElderServiceStub(channel).RegisterElder(
            elders_pb2.RegisterElderRequest(
                id_number=id_number,
                name="独居老人",
                region_code=village,
                living_arrangement=elders_pb2.LIVING_ARRANGEMENT_ALONE,
            ),
            metadata=metadata,
        )
        await HomeSafetyServiceStub(channel).InstallDevice(
            safety_pb2.InstallDeviceRequest(
                elder_id=elder.id, kind=safety_pb2.DEVICE_KIND_SOS, vendor=DEV_VENDOR, serial=serial
            ),
            metadata=metadata,
        )
    return id_number


async def test_an_unacknowledged_webhook_alarm_escalates_on_nats_and_the_subscription(system: System) -> None:
    village = RegionTree.xiaoshan().villages()[0].code
    serial = f"E2E-{uuid.uuid4().hex[:8]}"
    id_number = await elder_with_sos_button(system, village, serial)
    nc = await nats.connect(system.nats_url)
    on_nats = await nc.jetstream().subscribe(
        ESCALATED, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    ws_url = system.gateway_url.replace("http", "ws") + "/graphql"
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {system.token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": {"types": [ESCALATED]}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        await asyncio.sleep(1.0)  # the gateway binds its consumer (new messages only)

        # The button was pressed 5 minutes ago and the delivery is late: the town level (3 min) is due.
        body = json.dumps(
            {
                "alarm_id": f"E2E-{uuid.uuid4()}",
                "serial": serial,
                "kind": "sos",
                "occurred_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
            }
        ).encode()
        headers = {
            SIGNATURE_HEADER: sign(DEV_SAFETY_WEBHOOK_SECRET, body),
            "Content-Type": "application/json",
        }
        async with httpx.AsyncClient(base_url=system.gateway_url, timeout=30) as http:
            posted = await http.post(f"/webhooks/safety/{DEV_VENDOR}", content=body, headers=headers)
            assert posted.status_code == 200, posted.text
            again = await http.post(f"/webhooks/safety/{DEV_VENDOR}", content=body, headers=headers)
            assert again.json() == posted.json()
        alarm_id = posted.json()["alarm_id"]

        # The scan runs every 10 s by default.
        ce = None
        while ce is None:
            msg = await asyncio.wait_for(on_nats.next_msg(timeout=40), timeout=41)
            candidate = CloudEvent.from_json(msg.data)
            if candidate.subject == alarm_id:
                ce = candidate
                assert id_number.encode() not in msg.data
        assert ce.region == village
        assert ce.data["level"] == "town" and ce.data["elder_id_masked"] == mask_id_number(id_number)
        assert ce.data["minutes_unacknowledged"] >= 5

        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            assert frame["type"] == "next", frame
            if frame["payload"]["data"]["events"]["id"] == ce.id:
                break

        # Later scans do not announce the town level again (the district level is 10 minutes away).
        await asyncio.sleep(12)
        again_seen = []
        while True:
            try:
                msg = await on_nats.next_msg(timeout=0.5)
            except nats.errors.TimeoutError:
                break
            if CloudEvent.from_json(msg.data).subject == alarm_id:
                again_seen.append(msg)
        assert again_seen == []
    await nc.close()
