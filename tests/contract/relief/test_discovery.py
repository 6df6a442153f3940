"""Proactive discovery over real NATS and gRPC: other services' events become household flags, once.

The tests publish CloudEvents as eldercare, childwelfare and funeral relays would and read the flags
back through DiscoveryService (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import grpc
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import discovery_pb2 as dpb
from minzheng.relief.v1 import households_pb2 as pb

from services.kit.idcard import mask_id_number
from services.kit.iddigest import digest_key
from services.relief import digests, inbound
from services.relief.discovery import DURABLE
from services.relief.discovery_flags import flag_id
from tests.contract.relief.application_support import approve, review, submit
from tests.contract.relief.conftest import (
    ADMIN,
    OTHER_TOWN_OFFICER,
    TOWN_OFFICER,
    VIEWER,
    VILLAGE,
    id_number,
    income,
    md,
    person,
    register,
    rpc_error,
)
from tests.contract.relief.discovery_support import Discovery, disc_fixture  # noqa: F401

FLAGGED = "civic.relief.household-flagged.v1"
TERMINATED = "civic.relief.assistance-terminated.v1"
ELDER_BORN = date(1940, 4, 4)  # 84 on 15 September 2024
CHILD_BORN = date(2016, 6, 1)  # 8


def assessed(number: str, *, level: str = "severe", age: int = 84, region: str = VILLAGE) -> dict[str, Any]:
    """An elder-assessed payload as eldercare published it before adding ``id_digest`` (masked only)."""
    return {
        "elder_id": "elder-1",
        "elder_id_masked": mask_id_number(number),
        "region_code": region,
        "at": "2024-09-15T02:00:00Z",
        "assessment_id": "a-1",
        "level": level,
        "assessed_on": "2024-09-14",
        "disabled": level in ("moderate", "severe", "complete"),
        "current": True,
        "age": age,
    }


def death(svc: Discovery, number: str, died: str) -> dict[str, Any]:
    """A death-registered payload as funeral will publish it (the contract relief declares)."""
    return {
        "death_id": "death-1",
        "region_code": VILLAGE,
        "deceased": {"person_ref": "f-1", "id_digest": svc.digest(number)},
        "date_of_death": died,
    }


async def outbox_types(svc: Discovery, ce_type: str) -> list[str]:
    return [str(r[0]) for r in await svc.rows(f"SELECT data FROM outbox WHERE type = '{ce_type}'")]


async def granted(svc: Discovery, household_id: str) -> apb.Application:
    """The household's 低保 application submitted, reviewed and approved."""
    made = await submit(svc, household_id, "dibao")
    await review(svc, made.id)
    return await approve(svc, made.id)


async def test_a_severely_disabled_elder_flags_a_household_holding_nothing_once_even_when_redelivered(
    disc: Discovery,
) -> None:
    household = await register(disc, person(11, born=ELDER_BORN, name="王秀英"))
    ce, _ = await disc.publish(inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(11, ELDER_BORN)))
    await disc.publish(inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(11, ELDER_BORN)), event_id=ce.id)

    (flag,) = await disc.flags()
    assert (flag.id, flag.household_id, flag.region_code) == (flag_id(ce.id), household.id, VILLAGE)
    assert flag.kind == dpb.FLAG_KIND_MAY_QUALIFY and flag.status == dpb.FLAG_STATUS_OPEN
    assert flag.fact == "elder_severely_disabled" and "severe" in flag.reason and "低保" in flag.reason
    assert flag.person_id == household.members[0].person_id
    assert await disc.rows(f"SELECT count(*) FROM inbox WHERE consumer = '{DURABLE}'") == [(1,)]
    (data,) = await outbox_types(disc, FLAGGED)
    payload = json.loads(data)
    assert (payload["household_id"], payload["kind"], payload["town_code"]) == (
        household.id,
        "may_qualify",
        VILLAGE[:9],
    )
    assert id_number(11, ELDER_BORN) not in data  # no clear ID number travels


async def test_a_moderate_level_or_a_household_holding_dibao_raises_no_flag(disc: Discovery) -> None:
    await register(disc, person(21, born=ELDER_BORN, name="陈阿婆"))
    await disc.publish(
        inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(21, ELDER_BORN), level="moderate")
    )
    poor = await register(
        disc,
        person(31, name="李明"),
        person(33, born=ELDER_BORN, relation=pb.RELATION_PARENT, name="李奶奶"),
    )
    await income(disc, poor.id, poor.members[0].person_id, 12 * 100_000)
    await granted(disc, poor.id)
    await disc.publish(inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(33, ELDER_BORN)))
    # A masked number that matches nobody in the region (wrong age) flags nothing either.
    await disc.publish(inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(21, ELDER_BORN), age=70))
    assert await disc.flags() == []


async def test_a_child_registered_de_facto_unattended_flags_the_household(disc: Discovery) -> None:
    household = await register(
        disc,
        person(41, born=date(1950, 1, 1), name="张爷爷"),
        person(43, born=CHILD_BORN, relation=pb.RELATION_GRANDCHILD, name="张小明"),
    )
    child = {
        "child_id": "c-1",
        "child_id_masked": mask_id_number(id_number(43, CHILD_BORN)),
        "region_code": VILLAGE,
        "category": "de_facto_unattended",
        "at": "2024-09-15T02:00:00Z",
        "age": 8,
        "sex": "M",
        "in_visit_programme": True,
    }
    await disc.publish(inbound.CHILDWELFARE_CHILD_REGISTERED, child)
    await disc.publish(inbound.CHILDWELFARE_CHILD_REGISTERED, child | {"category": "left_behind"})
    (flag,) = await disc.flags()
    assert flag.household_id == household.id and flag.fact == "child_without_support"
    assert "特困" in flag.reason and "de_facto_unattended" in flag.reason


async def test_officers_handle_flags_in_their_regions_only(disc: Discovery) -> None:
    await register(disc, person(51, born=ELDER_BORN, name="赵大爷"))
    await disc.publish(
        inbound.ELDERCARE_ELDER_ASSESSED, assessed(id_number(51, ELDER_BORN), level="complete")
    )
    (flag,) = await disc.flags(token=TOWN_OFFICER)
    assert await disc.flags(token=OTHER_TOWN_OFFICER) == []

    handle = dpb.HandleFlagRequest(id=flag.id, note="已入户核实，指导申请低保")
    error = await rpc_error(disc.discovery.HandleFlag(handle, metadata=md(OTHER_TOWN_OFFICER)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    error = await rpc_error(disc.discovery.HandleFlag(handle, metadata=md(VIEWER)))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    error = await rpc_error(disc.discovery.HandleFlag(dpb.HandleFlagRequest(id=flag.id), metadata=md(ADMIN)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT

    done = await disc.discovery.HandleFlag(handle, metadata=md(TOWN_OFFICER))
    assert done.status == dpb.FLAG_STATUS_HANDLED and done.handled_by == "chengxiang-officer"
    assert done.handled_note == handle.note and done.handled_at.seconds > 0
    error = await rpc_error(disc.discovery.HandleFlag(handle, metadata=md(TOWN_OFFICER)))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await disc.flags(status=dpb.FLAG_STATUS_OPEN) == []
    assert len(await disc.flags(status=dpb.FLAG_STATUS_HANDLED)) == 1


async def test_a_death_closes_the_membership_and_flags_a_dibao_household_for_reassessment(
    disc: Discovery,
) -> None:
    household = await register(
        disc, person(61, name="李明"), person(63, born=CHILD_BORN, relation=pb.RELATION_CHILD, name="李小红")
    )
    await income(disc, household.id, household.members[0].person_id, 12 * 100_000)
    (grant,) = (await granted(disc, household.id)).grants
    ce, _ = await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(61), "2024-09-10"))
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(61), "2024-09-10"))

    head_id = household.members[0].person_id
    rows = await disc.rows(f"SELECT left_on, left_reason FROM membership WHERE person_id = '{head_id}'")
    assert [(str(d), r) for d, r in rows] == [("2024-09-10", "died")]
    assert await disc.rows(
        f"SELECT count(*) FROM person WHERE deceased_on IS NOT NULL AND id = '{head_id}'"
    ) == [(1,)]
    after = await disc.households.GetHousehold(pb.GetHouseholdRequest(id=household.id), metadata=md(ADMIN))
    assert [(m.name, m.relation) for m in after.members] == [("李小红", pb.RELATION_HEAD)]  # provisional head

    (flag,) = await disc.flags()  # the same death under a new event id adds nothing while open
    assert flag.id == flag_id(ce.id) and flag.kind == dpb.FLAG_KIND_REASSESS and flag.fact == "head_died"
    assert "overpayment" in flag.reason and "2024-09-10" in flag.reason and "provisionally" in flag.reason
    assert household.members[1].person_id in flag.reason  # the provisional head, to confirm
    status = await disc.rows(f"SELECT status FROM assistance_grant WHERE id = '{grant.id}'")
    assert status == [("active",)]  # one member's death does not stop the household's grant


async def test_the_only_member_dying_terminates_the_grant_from_the_day_of_death(disc: Discovery) -> None:
    household = await register(disc, person(71, name="孤老"))
    await income(disc, household.id, household.members[0].person_id, 12 * 50_000)
    (grant,) = (await granted(disc, household.id)).grants
    disc.clock.now = disc.clock.now.replace(day=20)
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(71), "2024-09-18"))

    rows = await disc.rows(f"SELECT status, ended_on FROM assistance_grant WHERE id = '{grant.id}'")
    # The first day without, as the membership's left_on: the day of death.
    assert [(s, str(d)) for s, d in rows] == [("terminated", "2024-09-18")]
    (data,) = await outbox_types(disc, TERMINATED)
    assert json.loads(data)["household_id"] == household.id and "death" in json.loads(data)["reason"]
    (flag,) = await disc.flags()
    assert flag.kind == dpb.FLAG_KIND_ENDED and flag.fact == "last_member_died"
    assert await disc.rows("SELECT count(*) FROM membership WHERE left_on IS NULL") == [(0,)]


async def test_a_payload_breaking_the_contract_writes_nothing(disc: Discovery) -> None:
    bad = {
        "death_id": "d-9",
        "region_code": VILLAGE,
        "deceased": {"person_ref": "x", "id_digest": id_number(1)},
    }
    await disc.publish(inbound.FUNERAL_DEATH_REGISTERED, bad)
    assert await disc.flags() == []
    assert await disc.rows(f"SELECT count(*) FROM inbox WHERE consumer = '{DURABLE}'") == [(0,)]


async def test_two_members_sharing_a_masked_number_and_age_are_not_guessed_between(disc: Discovery) -> None:
    # Same area code, same last four characters, both 84 on the assessment day: the mask cannot tell.
    first, second = id_number(81, ELDER_BORN), id_number(81, date(1939, 9, 20))
    assert mask_id_number(first) == mask_id_number(second)
    await register(disc, person(81, born=ELDER_BORN, name="钱大妈"))
    await register(disc, person(81, born=date(1939, 9, 20), name="孙大妈"))
    await disc.publish(inbound.ELDERCARE_ELDER_ASSESSED, assessed(first))
    assert await disc.flags() == []


async def test_the_id_digest_eldercare_now_sends_tells_look_alike_members_apart(disc: Discovery) -> None:
    first, second = id_number(82, ELDER_BORN), id_number(82, date(1939, 9, 20))
    assert mask_id_number(first) == mask_id_number(second)
    await register(disc, person(82, born=ELDER_BORN, name="钱大妈"))
    theirs = await register(disc, person(82, born=date(1939, 9, 20), name="孙大妈"))
    await disc.publish(
        inbound.ELDERCARE_ELDER_ASSESSED, assessed(second) | {"id_digest": disc.digest(second)}
    )
    (flag,) = await disc.flags()
    assert (flag.household_id, flag.person_id) == (theirs.id, theirs.members[0].person_id)


async def test_a_member_dying_in_a_household_holding_nothing_leaves_it_without_a_flag(
    disc: Discovery,
) -> None:
    household = await register(
        disc,
        person(91, name="周强"),
        person(93, born=date(1982, 2, 2), relation=pb.RELATION_SPOUSE, name="吴芳"),
    )
    await disc.publish(
        inbound.FUNERAL_DEATH_REGISTERED, death(disc, id_number(93, date(1982, 2, 2)), "2024-09-01")
    )
    after = await disc.households.GetHousehold(pb.GetHouseholdRequest(id=household.id), metadata=md(ADMIN))
    assert [m.name for m in after.members] == ["周强"]
    assert [(m.name, m.left_reason) for m in after.past_members] == [("吴芳", pb.LEAVE_REASON_DIED)]
    assert await disc.flags() == []


async def test_a_digest_matching_nobody_while_a_key_rotation_is_under_way_is_retried_not_dropped(
    disc: Discovery,
) -> None:
    # The member registered before the key changed: no digest under the new key until the sync job ran.
    theirs = await register(disc, person(84, born=ELDER_BORN, name="郑大爷"))
    for sql in ("DELETE FROM person_identity_digest", "DELETE FROM digest_key_state"):
        await disc.execute(sql)
    number = id_number(84, ELDER_BORN)
    _, seq = await disc.publish_nowait(
        inbound.ELDERCARE_ELDER_ASSESSED, assessed(number) | {"id_digest": disc.digest(number)}
    )
    await disc.delivered(seq)  # and refused: the digests under the key are not complete
    assert await disc.flags() == []
    assert await disc.rows(f"SELECT count(*) FROM inbox WHERE consumer = '{DURABLE}'") == [(0,)]
    async with disc.process.ctx.db.unit_of_work() as session:  # the digest job catching up
        await digests.sync_digests(session, key=digest_key(disc.settings))
    await disc.settled(seq)
    (flag,) = await disc.flags()
    assert (flag.household_id, flag.person_id) == (theirs.id, theirs.members[0].person_id)
