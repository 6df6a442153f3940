"""Relief and funeral events on real NATS: relief status for the e-voucher run, deaths stop allowances.

The tests publish CloudEvents as the relief and funeral relays will (``Nats-Msg-Id`` = event id); each
starts from a fresh durable and no old relief/funeral messages (allowance_support.allow).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from minzheng.eldercare.v1 import allowances_pb2 as pb
from minzheng.eldercare.v1 import eldercare_pb2 as bed_pb

from services.eldercare import inbound
from services.eldercare.handlers import DURABLE
from services.eldercare.models import Elder
from services.kit.consumer import EventConsumer
from services.kit.deadletter import DL_CONSUMER, DL_DELIVERIES, DL_REASON
from services.kit.stream import dead_letter_stream_name
from tests.contract.eldercare.allowance_support import VILLAGE, Allowances, allow_fixture, at  # noqa: F401
from tests.contract.eldercare.conftest import ADMIN, TOWN, md
from tests.contract.kit.support import read_stream

VOUCHER = pb.ALLOWANCE_PROGRAMME_VOUCHER


def household(allow: Allowances, programme: str, since: str, *members: Elder) -> dict[str, Any]:
    """A relief payload naming the members by digest, plus an adult relief knows and eldercare does not."""
    refs = [{"person_ref": f"p-{i}", "id_digest": allow.digest(m.id_number)} for i, m in enumerate(members)]
    refs.append({"person_ref": "p-adult", "id_digest": allow.digest("330109198001010013")})
    return {
        "household_id": "hh-1",
        "region_code": VILLAGE,
        "programme": programme,
        "effective_from": since,
        "members": refs,
        "approved_by": "relief-officer",  # a field eldercare does not read: ignored
    }


def death(allow: Allowances, elder: Elder, died: str) -> dict[str, Any]:
    return {
        "death_id": "death-1",
        "region_code": VILLAGE,
        "deceased": {"person_ref": "d-1", "id_digest": allow.digest(elder.id_number)},
        "date_of_death": died,
    }


async def test_a_relief_grant_makes_the_elder_eligible_from_the_next_month_and_a_suspension_ends_it(
    allow: Allowances,
) -> None:
    elder = await allow.elder(date(1950, 4, 4), level="moderate")
    ce, _ = await allow.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED, household(allow, "dibao", "2025-06-10", elder)
    )
    # The relay republishing (same event id, a new message) and relief announcing it again (a new id).
    await allow.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED, household(allow, "dibao", "2025-06-10", elder), event_id=ce.id
    )
    _, seq = await allow.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED, household(allow, "dibao", "2025-06-10", elder)
    )
    await allow.settled(seq)
    assert await allow.count("elder_relief_period") == 1
    assert await allow.count(f"inbox WHERE consumer = '{DURABLE}'") == 2  # two distinct event ids

    await allow.run()
    assert await allow.paid(elder, VOUCHER) == []  # granted from the 10th: June is not covered
    allow.clock.now = at(date(2025, 7, 2))
    await allow.run()
    assert await allow.paid(elder, VOUCHER) == [("2025-07", "relief_impaired", 30000)]

    _, seq = await allow.publish(
        inbound.RELIEF_ASSISTANCE_SUSPENDED,
        household(allow, "dibao", "2025-08-01", elder) | {"reason": "收入变化"},
    )
    await allow.settled(seq)
    allow.clock.now = at(date(2025, 8, 2))
    await allow.run()
    assert await allow.paid(elder, VOUCHER) == [("2025-07", "relief_impaired", 30000)]
    assert await allow.count("elder_relief_period WHERE effective_to IS NOT NULL") == 1


async def test_a_registered_death_releases_the_bed_and_stops_allowances_from_the_next_month_once(
    allow: Allowances,
) -> None:
    elder = await allow.elder(date(1940, 4, 4), name="李桂兰")
    home = await allow.beds.RegisterInstitution(
        bed_pb.RegisterInstitutionRequest(
            name="城厢颐养院", kind=bed_pb.INSTITUTION_KIND_PUBLIC, region_code=TOWN
        ),
        metadata=md(ADMIN),
    )
    (bed,) = (
        await allow.beds.AddBeds(
            bed_pb.AddBedsRequest(institution_id=home.id, type=bed_pb.BED_TYPE_NURSING, count=1),
            metadata=md(ADMIN),
        )
    ).beds
    await allow.beds.AssignBed(
        bed_pb.AssignBedRequest(bed_id=bed.id, elder_id_number=elder.id_number, elder_name=elder.name),
        metadata=md(ADMIN),
    )
    await allow.run()  # June paid
    allow.clock.now = at(date(2025, 7, 5))
    await allow.run()  # July paid before the death is known: an overpayment to recover

    _, seq = await allow.publish(inbound.FUNERAL_DEATH_REGISTERED, death(allow, elder, "2025-06-20"))
    await allow.settled(seq)
    # The same death published again under a new event id changes nothing.
    _, seq = await allow.publish(inbound.FUNERAL_DEATH_REGISTERED, death(allow, elder, "2025-06-20"))
    await allow.settled(seq)

    beds = await allow.beds.ListBeds(bed_pb.ListBedsRequest(institution_ids=[home.id]), metadata=md(ADMIN))
    assert [b.status for b in beds.beds] == [bed_pb.BED_STATUS_VACANT]
    assert await allow.count("bed_assignment WHERE release_reason = 'deceased'") == 1
    assert await allow.count("outbox WHERE type = 'civic.eldercare.bed-released.v1'") == 1
    assert await allow.count(f"elder WHERE id = '{elder.id}' AND deceased_on = '2025-06-20'") == 1
    assert await allow.count("audit_log WHERE action = 'elder.deceased' AND detail LIKE '%recover: 1'") == 1

    allow.clock.now = at(date(2025, 8, 5))
    await allow.run()
    assert [p[0] for p in await allow.paid(elder)] == ["2025-06", "2025-07"]


async def test_an_effect_committed_but_not_acknowledged_is_not_applied_again_on_redelivery(
    allow: Allowances, monkeypatch: pytest.MonkeyPatch
) -> None:
    elder = await allow.elder(date(1950, 4, 4))
    deliveries: list[int] = []
    real_ack = EventConsumer._ack

    async def ack_lost_once(self: EventConsumer, msg: Any) -> None:
        deliveries.append(msg.metadata.num_delivered)
        if len(deliveries) == 1:
            await msg.nak()  # as if the process died between commit and ack: JetStream redelivers
            return
        await real_ack(self, msg)

    monkeypatch.setattr(EventConsumer, "_ack", ack_lost_once)
    _, seq = await allow.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED, household(allow, "dibian", "2025-05-01", elder)
    )
    await allow.settled(seq)
    assert deliveries == [1, 2]
    assert await allow.count("elder_relief_period") == 1
    assert await allow.count(f"inbox WHERE consumer = '{DURABLE}'") == 1


async def test_a_payload_that_breaks_the_contract_is_dead_lettered_and_writes_nothing(
    allow: Allowances,
) -> None:
    elder = await allow.elder(date(1950, 4, 4))
    bad = household(allow, "wubao", "2025-06-01", elder)  # no such programme
    bad["members"][0]["id_digest"] = elder.id_number  # a clear ID number where a digest belongs
    ce, seq = await allow.publish(inbound.RELIEF_ASSISTANCE_GRANTED, bad)
    await allow.settled(seq)

    dead = [
        m
        for m in await read_stream(
            allow.js, dead_letter_stream_name(allow.settings), "deadletter.civic.relief.>"
        )
        if json.loads(m.data)["id"] == ce.id
    ]
    assert len(dead) == 1 and dead[0].headers is not None
    assert dead[0].headers[DL_CONSUMER] == DURABLE
    assert dead[0].headers[DL_DELIVERIES] == "1"  # a broken contract is not retried
    reason = dead[0].headers[DL_REASON]
    assert "programme" in reason and "id_digest" in reason and elder.id_number not in reason
    assert await allow.count("elder_relief_period") == 0
    assert await allow.count(f"inbox WHERE consumer = '{DURABLE}'") == 0
