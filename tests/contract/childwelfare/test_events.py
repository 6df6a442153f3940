"""What other departments see on NATS: child events as CloudEvents on the CIVIC stream, ID numbers masked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import nats
import pytest
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from services.kit.idcard import mask_id_number
from tests.contract.childwelfare.conftest import (
    VILLAGE,
    ChildWelfare,
    assign_director,
    child_number,
    register,
    visit,
)

WAIT_S = 10.0


class Watcher:
    """Every new message on civic.childwelfare.> since the watcher started, in stream order."""

    def __init__(self, sub: JetStreamContext.PushSubscription) -> None:
        self._sub = sub

    async def until(self, ce_type: str, subject: str) -> Msg:
        """Read until an event of the type about the subject arrives; return it."""
        while True:
            msg = await self._sub.next_msg(timeout=WAIT_S)
            body = json.loads(msg.data)
            if body["type"] == ce_type and body.get("subject") == subject:
                return msg


@pytest.fixture
async def watch(cw: ChildWelfare) -> AsyncIterator[Watcher]:
    nc = await nats.connect(cw.nats_url)
    js = nc.jetstream()
    sub = await js.subscribe("civic.childwelfare.>", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    try:
        yield Watcher(sub)
    finally:
        await sub.unsubscribe()
        await nc.close()


async def test_registration_and_visits_publish_events_with_masked_id_numbers_only(
    cw: ChildWelfare, watch: Watcher
) -> None:
    number = child_number(61)
    await assign_director(cw, VILLAGE, "director-xianghu")
    child = await register(cw, number, category=pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED)
    msg = await watch.until("civic.childwelfare.child-registered.v1", child.id)
    assert msg.subject == "civic.childwelfare.child-registered"
    assert msg.headers and msg.headers.get("Nats-Msg-Id") == json.loads(msg.data)["id"]
    event = json.loads(msg.data)
    assert event["source"] == "/minzheng/childwelfare" and event["region"] == VILLAGE
    assert event["data"] | {"at": None} == {
        "child_id": child.id,
        "child_id_masked": mask_id_number(number),
        "region_code": VILLAGE,
        "category": "orphan_scattered",
        "at": None,
        "age": 10,
        "sex": "M",
        "in_visit_programme": True,
    }
    recorded = await visit(cw, child.id, "2025-06-15", risk=pb.RISK_LEVEL_HIGH)
    msg = await watch.until("civic.childwelfare.child-visit-recorded.v1", child.id)
    data = json.loads(msg.data)["data"]
    assert data["visit_id"] == recorded.id and data["visited_on"] == "2025-06-15"
    assert data["risk_level"] == "high" and data["visited_by"] == "director-xianghu"
    assert data["child_id_masked"] == mask_id_number(number)
    assert number not in msg.data.decode()
