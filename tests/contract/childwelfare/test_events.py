"""What other departments see on NATS: child events as CloudEvents on the CIVIC stream, ID numbers masked."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.kit.idcard import mask_id_number
from services.kit.iddigest import DEV_ID_DIGEST_KEY, id_number_digest
from tests.contract.childwelfare.conftest import (
    VILLAGE,
    ChildWelfare,
    assign_director,
    child_number,
    register,
    visit,
)
from tests.event_watch import EventWatcher, watching

WAIT_S = 10.0


@pytest.fixture
async def watch(cw: ChildWelfare) -> AsyncIterator[EventWatcher]:
    """What the service publishes from now on."""
    async with watching(cw.nats_url, "civic.childwelfare.>") as watcher:
        yield watcher


async def test_registration_and_visits_publish_events_with_masked_id_numbers_only(
    cw: ChildWelfare, watch: EventWatcher
) -> None:
    number = child_number(61)
    await assign_director(cw, VILLAGE, "director-xianghu")
    child = await register(cw, number, category=pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED)
    msg = await watch.message("civic.childwelfare.child-registered.v1", child.id)
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
        # Other services find the child by this keyed digest; the number itself never travels.
        "id_digest": id_number_digest(number, DEV_ID_DIGEST_KEY.encode()),
    }
    recorded = await visit(cw, child.id, "2025-06-15", risk=pb.RISK_LEVEL_HIGH)
    msg = await watch.message("civic.childwelfare.child-visit-recorded.v1", child.id)
    data = json.loads(msg.data)["data"]
    assert data["visit_id"] == recorded.id and data["visited_on"] == "2025-06-15"
    assert data["risk_level"] == "high" and data["visited_by"] == "director-xianghu"
    assert data["child_id_masked"] == mask_id_number(number)
    assert number not in msg.data.decode()
