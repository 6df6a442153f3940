"""What other departments see on NATS: bed events as CloudEvents on the CIVIC stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import grpc
import pytest
from minzheng.eldercare.v1 import eldercare_pb2 as pb

from services.kit.idcard import mask_id_number
from tests.contract.eldercare.conftest import (
    TOWN,
    Eldercare,
    add_beds,
    assign,
    elder_id,
    register,
    release,
    rpc_error,
)
from tests.event_watch import EventWatcher, watching

WAIT_S = 10.0


@pytest.fixture
async def watch(eldercare: Eldercare) -> AsyncIterator[EventWatcher]:
    """What the service publishes from now on."""
    async with watching(eldercare.nats_url, "civic.eldercare.>") as watcher:
        yield watcher


async def test_assigning_a_bed_publishes_bed_assigned_with_the_masked_id_only(
    eldercare: Eldercare, watch: EventWatcher
) -> None:
    inst = await register(eldercare, name="城厢街道颐养院", region=f"{TOWN}001")
    (bed,) = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_DEMENTIA_CARE, count=1)
    elder = elder_id(901)
    await assign(eldercare, bed.id, elder)

    msg = await watch.message("civic.eldercare.bed-assigned.v1", bed.id)
    assert msg.subject == "civic.eldercare.bed-assigned"
    event = json.loads(msg.data)
    assert event["specversion"] == "1.0" and event["source"] == "/minzheng/eldercare"
    assert event["datacontenttype"] == "application/json" and event["time"]
    assert event["region"] == f"{TOWN}001"
    assert msg.headers and msg.headers.get("Nats-Msg-Id") == event["id"]
    assert msg.headers.get("Content-Type") == "application/cloudevents+json"
    data = event["data"]
    assert data["bed_id"] == bed.id and data["bed_label"] == bed.label
    assert data["institution_id"] == inst.id and data["institution_name"] == "城厢街道颐养院"
    assert data["bed_type"] == "dementia_care" and data["region_code"] == f"{TOWN}001"
    assert data["elder_id_masked"] == mask_id_number(elder)
    assert data["elder_age"] >= 80
    raw = msg.data + json.dumps(dict(msg.headers or {})).encode()
    assert elder.encode() not in raw
    assert elder[6:14].encode() not in raw  # not even the birth date part


async def test_releasing_a_bed_publishes_bed_released_with_the_reason(
    eldercare: Eldercare, watch: EventWatcher
) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, bed_type=pb.BED_TYPE_FAMILY_CARE, count=1)
    elder = elder_id(903)
    await assign(eldercare, bed.id, elder)
    assigned = json.loads((await watch.message("civic.eldercare.bed-assigned.v1", bed.id)).data)
    await release(eldercare, bed.id, reason="deceased")
    msg = await watch.message("civic.eldercare.bed-released.v1", bed.id)
    assert msg.subject == "civic.eldercare.bed-released"
    event = json.loads(msg.data)
    assert event["data"]["reason"] == "deceased" and event["data"]["bed_type"] == "family_care"
    assert event["data"]["assignment_id"] == assigned["data"]["assignment_id"]
    assert event["data"]["elder_id_masked"] == mask_id_number(elder)
    assert elder.encode() not in msg.data


async def test_a_refused_assignment_publishes_nothing(eldercare: Eldercare, watch: EventWatcher) -> None:
    inst = await register(eldercare)
    (bed,) = await add_beds(eldercare, inst.id, count=1)
    await assign(eldercare, bed.id, elder_id(905))
    await watch.message("civic.eldercare.bed-assigned.v1", bed.id)

    err = await rpc_error(assign(eldercare, bed.id, elder_id(907)))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    # The release is published after anything the refused call could have staged, so once it is
    # here, everything in between has been seen.
    await release(eldercare, bed.id)
    await watch.message("civic.eldercare.bed-released.v1", bed.id)
    types = [json.loads(m.data)["type"] for m in watch.seen]
    assert types == ["civic.eldercare.bed-assigned.v1", "civic.eldercare.bed-released.v1"]
