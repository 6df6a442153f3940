"""The demo loader converges: a second run adds nothing, and a run that stopped halfway is completed."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

import nats
import pytest
import sqlalchemy as sa
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from nats.js.api import DeliverPolicy
from sqlalchemy.ext.asyncio import create_async_engine

from services.eldercare.demo import INSTITUTIONS, DemoInstitution, DemoResult, elder_for, load_demo
from tests.contract.eldercare.conftest import (
    ADMIN,
    VIEWER,
    Eldercare,
    add_beds,
    assign,
    elder_id,
    md,
    register,
    table_rows,
    written,
)

# The demo goes through the public API only; one backend shows that as well as two.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

WAIT_S = 15.0
WUBAO_CENTRE = next(d for d in INSTITUTIONS if d.name == "瓜沥镇颐养院")  # three bed types


async def by_type(svc: Eldercare, institution_id: str) -> dict[int, tuple[int, int]]:
    """(beds, occupied) per bed type of one institution (read as a viewer: no ID number is revealed)."""
    reply = await svc.stub.ListBeds(pb.ListBedsRequest(institution_ids=[institution_id]), metadata=md(VIEWER))
    counts: dict[int, tuple[int, int]] = {}
    for bed in reply.beds:
        total, occupied = counts.get(bed.type, (0, 0))
        counts[bed.type] = (total + 1, occupied + (bed.status == pb.BED_STATUS_OCCUPIED))
    return counts


async def demo_state(svc: Eldercare) -> dict[str, Any]:
    """Every demo institution's beds by type, and every table's rows."""
    listed = await svc.stub.ListInstitutions(pb.ListInstitutionsRequest(), metadata=md(ADMIN))
    ids = {(i.region_code, i.name): i.id for i in listed.institutions}
    return {
        "institutions": {name: await by_type(svc, iid) for name, iid in ids.items()},
        "rows": await written(svc),
    }


def intended(demo: DemoInstitution) -> dict[int, tuple[int, int]]:
    """(beds, occupied) per bed type the demo table asks for."""
    return {bed_type: (count, taken) for bed_type, count, taken in demo.beds}


async def outbox_drained(svc: Eldercare) -> None:
    """Wait until the relay has published every staged event."""
    engine = create_async_engine(svc.database_url)
    try:
        for _ in range(int(WAIT_S / 0.05)):
            async with engine.connect() as conn:
                pending = await conn.execute(
                    sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                )
                if pending.scalar_one() == 0:
                    return
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    raise AssertionError("the outbox was not drained")


class Interrupted(Exception):
    """The demo process died here."""


class DyingStub:
    """The real stub, except that AssignBed fails for good after ``assignments`` calls (a crash)."""

    def __init__(self, stub: EldercareServiceStub, *, assignments: int) -> None:
        self._stub = stub
        self._left = assignments

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stub, name)

    async def AssignBed(self, request: pb.AssignBedRequest, **kwargs: Any) -> pb.Bed:
        if self._left == 0:
            raise Interrupted
        self._left -= 1
        return await self._stub.AssignBed(request, **kwargs)


async def test_a_second_run_adds_no_institution_bed_occupant_or_event(eldercare: Eldercare) -> None:
    first = await load_demo(eldercare.stub, ADMIN)
    assert first == DemoResult(
        institutions=len(INSTITUTIONS),
        beds=sum(c for d in INSTITUTIONS for _, c, _ in d.beds),
        assignments=sum(t for d in INSTITUTIONS for _, _, t in d.beds),
    )
    state = await demo_state(eldercare)
    assert state["institutions"] == {(d.region_code, d.name): intended(d) for d in INSTITUTIONS}
    await outbox_drained(eldercare)

    nc = await nats.connect(eldercare.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            "civic.eldercare.bed-assigned", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
        )
        assert await load_demo(eldercare.stub, ADMIN) == DemoResult()
        assert await demo_state(eldercare) == state
        # A bed assigned after the second run: its event comes after anything that run published.
        marker = await register(eldercare, name="不在演示数据里的养老院")
        (bed,) = await add_beds(eldercare, marker.id, count=1)
        await assign(eldercare, bed.id, elder_id(999))
        subjects = []
        while not subjects or subjects[-1] != bed.id:
            subjects.append(json.loads((await sub.next_msg(timeout=WAIT_S)).data)["subject"])
        assert subjects == [bed.id]
    finally:
        await nc.close()


async def test_an_institution_left_half_done_is_completed_with_the_same_elders(eldercare: Eldercare) -> None:
    demo = WUBAO_CENTRE
    dying = cast(EldercareServiceStub, DyingStub(eldercare.stub, assignments=10))
    with pytest.raises(Interrupted):
        await load_demo(dying, ADMIN, institutions=(demo,))
    (inst,) = (
        await eldercare.stub.ListInstitutions(pb.ListInstitutionsRequest(), metadata=md(ADMIN))
    ).institutions
    first_type, first_count, _ = demo.beds[0]
    assert await by_type(eldercare, inst.id) == {first_type: (first_count, 10)}

    resumed = await load_demo(eldercare.stub, ADMIN, institutions=(demo,))
    assert resumed == DemoResult(
        institutions=0,
        beds=sum(c for _, c, _ in demo.beds) - first_count,
        assignments=sum(t for _, _, t in demo.beds) - 10,
    )
    assert await by_type(eldercare, inst.id) == intended(demo)
    # The occupants are exactly the demo's own elders: the interrupted run's ten were not replaced.
    beds = await eldercare.stub.ListBeds(pb.ListBedsRequest(institution_ids=[inst.id]), metadata=md(ADMIN))
    occupants = {b.occupant_id_number for b in beds.beds if b.occupant_id_number}
    assert occupants == {elder_for(demo, t, slot)[0] for t, _, taken in demo.beds for slot in range(taken)}
    rows = await table_rows(eldercare)
    assert rows["bed_assignment"] == rows["outbox"] == sum(t for _, _, t in demo.beds)

    assert await load_demo(eldercare.stub, ADMIN, institutions=(demo,)) == DemoResult()
