"""Relief and funeral events on NATS become proposals on the worklist, once, and officers decide them.

The real service consumes from the session's nats-server; the tests publish CloudEvents as the relief
and funeral relays will (``Nats-Msg-Id`` = event id). Each test starts from a fresh durable and no old
relief/funeral messages, so nothing from an earlier test is replayed into its database.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from minzheng.childwelfare.v1 import childwelfare_pb2 as cw_pb
from minzheng.childwelfare.v1 import proposals_pb2 as pb
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub
from minzheng.childwelfare.v1.proposals_pb2_grpc import ProposalServiceStub
from nats import connect as nats_connect
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.childwelfare import digests, inbound, proposals
from services.childwelfare.handlers import DURABLE
from services.childwelfare.spec import make_spec
from services.kit.cloudevents import CloudEvent, event_type
from services.kit.consumer import EventConsumer
from services.kit.deadletter import DL_CONSUMER, DL_DELIVERIES, DL_REASON
from services.kit.local_nats import LocalNats
from services.kit.relay import CONTENT_TYPE, MSG_ID_HEADER
from services.kit.service import ServiceProcess
from services.kit.settings import Settings, load_settings
from services.kit.stream import dead_letter_stream_name, ensure_stream
from tests.contract.childwelfare.conftest import (
    ADMIN,
    DIRECTOR,
    DIRECTOR_2,
    OTHER_TOWN_OFFICER,
    SECRET,
    TOWN_OFFICER,
    VILLAGE,
    ChildWelfare,
    MovableClock,
    child_number,
    md,
    register,
    rpc_error,
    violated_fields,
)
from tests.contract.kit.support import eventually, read_stream


@dataclass
class Inbound:
    """The service, a proposal stub, and a JetStream publisher standing in for relief and funeral."""

    cw: ChildWelfare
    proposals: ProposalServiceStub
    js: JetStreamContext
    settings: Settings
    key: bytes

    def digest(self, id_number: str) -> str:
        return inbound.id_number_digest(id_number, self.key)

    async def publish(
        self, subject: str, data: dict[str, Any], *, event_id: str | None = None, msg_id: str | None = None
    ) -> tuple[CloudEvent, int]:
        """Publish a CloudEvent as a relay would; returns it and its stream sequence."""
        source = "/minzheng/" + subject.split(".")[1]
        ce = CloudEvent(
            type=event_type(subject), source=source, data=data, **({"id": event_id} if event_id else {})
        )
        ack = await self.js.publish(
            subject, ce.to_json(), headers={MSG_ID_HEADER: msg_id or ce.id, "Content-Type": CONTENT_TYPE}
        )
        return ce, ack.seq

    async def settled(self, seq: int) -> None:
        """Wait until the durable has acknowledged (or given up on) everything up to ``seq``."""

        async def done() -> bool:
            info = await self.js.consumer_info(self.settings.stream_name, DURABLE)
            return info.ack_floor.stream_seq >= seq

        await eventually(done, what=f"the inbound consumer settled stream seq {seq}")

    async def list(self, token: str = ADMIN, **kw: Any) -> list[pb.Proposal]:
        reply = await self.proposals.ListProposals(pb.ListProposalsRequest(**kw), metadata=md(token))
        return list(reply.proposals)


@pytest.fixture
async def inb(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Inbound]:
    """childwelfare consuming relief/funeral events: a failing handler gets two deliveries."""
    settings = load_settings(
        "childwelfare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
        consumer_max_deliver=2,
    )
    nc = await nats_connect(nats.url)
    js = nc.jetstream()
    await ensure_stream(js, settings)
    for subject in ("civic.relief.>", "civic.funeral.>"):
        await js.purge_stream(settings.stream_name, subject=subject)
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(settings.stream_name, DURABLE)
    clock = MovableClock()
    # Jobs run when a test says so (it moves the clock first), never on the service's own schedule.
    process = ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    svc = ChildWelfare(process, channel, ChildWelfareServiceStub(channel), clock, nats.url)
    try:
        yield Inbound(svc, ProposalServiceStub(channel), js, settings, inbound.id_digest_key(settings))
    finally:
        await channel.close()
        await process.stop(grace_s=1)
        await nc.close()


def member(inb: Inbound, id_number: str, ref: str) -> dict[str, str]:
    return {"person_ref": ref, "id_digest": inb.digest(id_number)}


def granted(inb: Inbound, programme: str, *numbers: str, household: str = "hh-1") -> dict[str, Any]:
    """An assistance-granted payload for a household whose members have these ID numbers."""
    return {
        "household_id": household,
        "region_code": VILLAGE,
        "programme": programme,
        "effective_from": "2025-06-01",
        "members": [member(inb, n, f"p-{i}") for i, n in enumerate(numbers)],
        "approved_by": "relief-officer",  # a field child welfare does not read: ignored
    }


async def test_a_dibao_grant_proposes_the_category_and_an_accepted_proposal_changes_it_with_history(
    inb: Inbound,
) -> None:
    left_behind = await register(inb.cw, child_number(101), name="王小明", since="2025-01-01")
    orphan = await register(
        inb.cw, child_number(103), name="李小红", category=cw_pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED
    )
    parent = "330109198001010013"  # an adult member: never registered, never matched
    ce, seq = await inb.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED,
        granted(inb, "dibao", parent, child_number(101), child_number(103)),
    )
    await inb.settled(seq)

    (proposal,) = await inb.list()  # the orphan keeps the higher category: nothing proposed
    assert proposal.child_id == left_behind.id and proposal.child_name == "王小明"
    assert proposal.kind == pb.PROPOSAL_KIND_CATEGORY_CHANGE
    assert proposal.current_category == cw_pb.PROTECTION_CATEGORY_LEFT_BEHIND
    assert proposal.proposed_category == cw_pb.PROTECTION_CATEGORY_DIBAO_FAMILY
    assert proposal.status == pb.PROPOSAL_STATUS_OPEN
    assert proposal.source_event_id == ce.id and proposal.source_subject == inbound.RELIEF_ASSISTANCE_GRANTED
    assert "低保" in proposal.reason and "2025-06-01" in proposal.reason
    # Nothing changed silently.
    child = await inb.cw.stub.GetChild(cw_pb.GetChildRequest(id=left_behind.id), metadata=md(ADMIN))
    assert child.category == cw_pb.PROTECTION_CATEGORY_LEFT_BEHIND
    assert orphan.category == cw_pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED

    # A village director reads the worklist of the village, but decides nothing.
    assert [p.id for p in await inb.list(DIRECTOR)] == [proposal.id]
    assert await inb.list(DIRECTOR_2) == []
    denied = await rpc_error(
        inb.proposals.AcceptProposal(pb.AcceptProposalRequest(id=proposal.id), metadata=md(DIRECTOR))
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    elsewhere = await rpc_error(
        inb.proposals.AcceptProposal(
            pb.AcceptProposalRequest(id=proposal.id), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert elsewhere.code() == grpc.StatusCode.NOT_FOUND

    accepted = await inb.proposals.AcceptProposal(
        pb.AcceptProposalRequest(id=proposal.id, effective_from="2025-06-10", note="核实低保证"),
        metadata=md(TOWN_OFFICER),
    )
    assert accepted.status == pb.PROPOSAL_STATUS_ACCEPTED
    assert accepted.decided_by == "chengxiang-officer" and accepted.note == "核实低保证"
    child = await inb.cw.stub.GetChild(cw_pb.GetChildRequest(id=left_behind.id), metadata=md(ADMIN))
    assert child.category == cw_pb.PROTECTION_CATEGORY_DIBAO_FAMILY
    assert child.category_since == "2025-06-10"
    assert [(p.category, p.effective_to) for p in child.category_history] == [
        (cw_pb.PROTECTION_CATEGORY_LEFT_BEHIND, "2025-06-10"),
        (cw_pb.PROTECTION_CATEGORY_DIBAO_FAMILY, ""),
    ]
    assert await inb.cw.count("audit_log WHERE action = 'proposal.accept'") == 1
    assert await inb.cw.count("audit_log WHERE action = 'child.category'") == 1

    again = await rpc_error(
        inb.proposals.AcceptProposal(pb.AcceptProposalRequest(id=proposal.id), metadata=md(TOWN_OFFICER))
    )
    assert again.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert [p.status for p in await inb.list(status=pb.PROPOSAL_STATUS_OPEN)] == []


async def test_the_same_event_twice_and_the_same_grant_again_give_one_proposal(inb: Inbound) -> None:
    await register(inb.cw, child_number(111))
    payload = granted(inb, "dibian", child_number(111))
    ce, _ = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, payload)
    # The relay republishing after JetStream's duplicate window: same event id, a new message.
    await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, payload, event_id=ce.id, msg_id=f"{ce.id}-again")
    # Relief announcing the same grant under a new event id: the open proposal covers it.
    _, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, payload)
    await inb.settled(seq)

    (proposal,) = await inb.list()
    assert proposal.proposed_category == cw_pb.PROTECTION_CATEGORY_DIBIAN_FAMILY
    assert proposal.source_event_id == ce.id
    assert await inb.cw.count("proposal") == 1
    assert await inb.cw.count(f"inbox WHERE consumer = '{DURABLE}'") == 2  # two distinct event ids


async def test_an_effect_committed_but_not_acknowledged_is_not_applied_again_on_redelivery(
    inb: Inbound, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(inb.cw, child_number(121))
    deliveries: list[int] = []
    real_ack = EventConsumer._ack

    async def ack_lost_once(self: EventConsumer, msg: Any) -> None:
        deliveries.append(msg.metadata.num_delivered)
        if len(deliveries) == 1:
            await msg.nak()  # as if the process died between commit and ack: JetStream redelivers
            return
        await real_ack(self, msg)

    monkeypatch.setattr(EventConsumer, "_ack", ack_lost_once)
    _, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, granted(inb, "dibao", child_number(121)))
    await inb.settled(seq)
    assert deliveries == [1, 2]
    assert await inb.cw.count("proposal") == 1
    assert await inb.cw.count("audit_log WHERE action = 'proposal.raise'") == 1


async def test_a_handler_that_fails_once_applies_the_event_once_on_the_retry(
    inb: Inbound, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register(inb.cw, child_number(131))
    await register(inb.cw, child_number(133))
    calls: list[str] = []
    real = proposals.raise_proposal

    async def flaky(session: Any, **kw: Any) -> int:
        calls.append(kw["child"].id)
        added = await real(session, **kw)  # written, then rolled back with the failure
        if len(calls) == 2:
            raise ConnectionError("database went away mid-event")
        return added

    monkeypatch.setattr(proposals, "raise_proposal", flaky)
    _, seq = await inb.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED, granted(inb, "dibao", child_number(131), child_number(133))
    )
    await inb.settled(seq)
    assert len(calls) == 4  # two children, two deliveries
    assert await inb.cw.count("proposal") == 2
    assert await inb.cw.count("audit_log WHERE action = 'proposal.raise'") == 2


async def test_a_payload_that_breaks_the_contract_is_dead_lettered_and_writes_nothing(inb: Inbound) -> None:
    await register(inb.cw, child_number(141))
    bad = granted(inb, "wubao", child_number(141))  # no such programme
    bad["members"][0]["id_digest"] = child_number(141)  # a clear ID number where a digest belongs
    ce, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, bad)
    await inb.settled(seq)

    dead = [
        m
        for m in await read_stream(inb.js, dead_letter_stream_name(inb.settings), "deadletter.civic.relief.>")
        if json.loads(m.data)["id"] == ce.id
    ]
    assert len(dead) == 1 and dead[0].headers is not None
    assert dead[0].headers[DL_CONSUMER] == DURABLE
    assert dead[0].headers[DL_DELIVERIES] == "1"  # a broken contract is not retried
    reason = dead[0].headers[DL_REASON]
    assert "programme" in reason and "id_digest" in reason
    assert child_number(141) not in reason  # the clear number is not echoed into headers
    assert await inb.cw.count("proposal") == 0
    assert await inb.cw.count("inbox") == 0


async def test_a_guardians_death_puts_the_dependant_child_up_for_high_priority_reassessment(
    inb: Inbound,
) -> None:
    child = await register(inb.cw, child_number(151), name="赵小安")
    await register(inb.cw, child_number(153))  # not a dependant of the deceased
    death = {
        "death_id": "death-1",
        "region_code": VILLAGE,
        "deceased": member(inb, "330109196502020029", "d-1"),
        "date_of_death": "2025-06-12",
        "dependants": [member(inb, child_number(151), "c-1")],
    }
    _, seq = await inb.publish(inbound.FUNERAL_DEATH_REGISTERED, death)
    await inb.settled(seq)

    (proposal,) = await inb.list()
    assert proposal.child_id == child.id
    assert proposal.kind == pb.PROPOSAL_KIND_REASSESSMENT
    assert proposal.priority == pb.PROPOSAL_PRIORITY_HIGH
    assert proposal.proposed_category == cw_pb.PROTECTION_CATEGORY_UNSPECIFIED
    assert "guardian died on 2025-06-12" in proposal.reason

    missing = await rpc_error(
        inb.proposals.RejectProposal(pb.RejectProposalRequest(id=proposal.id), metadata=md(TOWN_OFFICER))
    )
    assert missing.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert violated_fields(missing) == {"note"}
    assert [p.status for p in await inb.list()] == [pb.PROPOSAL_STATUS_OPEN]  # nothing written

    rejected = await inb.proposals.RejectProposal(
        pb.RejectProposalRequest(id=proposal.id, note="祖母已接手监护，类别不变"), metadata=md(TOWN_OFFICER)
    )
    assert rejected.status == pb.PROPOSAL_STATUS_REJECTED and rejected.note == "祖母已接手监护，类别不变"
    after = await inb.cw.stub.GetChild(cw_pb.GetChildRequest(id=child.id), metadata=md(ADMIN))
    assert after.category == child.category and len(after.category_history) == 1


async def test_a_child_who_turned_18_and_a_tekun_household_are_handled_by_the_rules(inb: Inbound) -> None:
    adult_soon = await register(inb.cw, child_number(161, born=date(2007, 6, 20)))
    young = await register(inb.cw, child_number(163))
    inb.cw.clock.now = inb.cw.clock.now.replace(month=7)  # 15 July 2025: the first child is 18
    _, seq = await inb.publish(
        inbound.RELIEF_ASSISTANCE_GRANTED,
        granted(inb, "tekun", child_number(161, born=date(2007, 6, 20)), child_number(163)),
    )
    await inb.settled(seq)
    (proposal,) = await inb.list(status=pb.PROPOSAL_STATUS_OPEN)
    assert proposal.child_id == young.id != adult_soon.id
    assert proposal.kind == pb.PROPOSAL_KIND_REASSESSMENT and "特困" in proposal.reason

    bad = await rpc_error(
        inb.proposals.ListProposals(pb.ListProposalsRequest(region_code="33010"), metadata=md(ADMIN))
    )
    assert violated_fields(bad) == {"region_code"}


async def test_digests_of_a_retired_key_never_match(inb: Inbound) -> None:
    child = await register(inb.cw, child_number(171))
    assert inb.cw.process.ctx is not None
    async with inb.cw.process.ctx.db.unit_of_work() as session:
        # What an earlier key left behind: under the old key the digest was different.
        old = inbound.id_number_digest(child_number(171), b"the retired key")
        await session.exec(  # type: ignore[call-overload]
            sa.text("INSERT INTO child_identity_digest (child_id, key_id, digest) VALUES (:c, :k, :d)"),
            params={"c": child.id, "k": inbound.key_id(b"the retired key"), "d": old},
        )
    # The service restarts after the rotation: its digest job completes the current key's digests.
    [job] = [j for j in inb.cw.process.spec.jobs(inb.cw.process.ctx) if j.name == digests.JOB_NAME]
    await job.run()
    stale = {"household_id": "hh-old", "region_code": VILLAGE, "programme": "dibao"}
    stale |= {"effective_from": "2025-06-01", "members": [{"person_ref": "p", "id_digest": old}]}
    await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, stale)
    _, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, granted(inb, "dibao", child_number(171)))
    await inb.settled(seq)

    (proposal,) = await inb.list()  # only the digest under the current key matched
    assert proposal.child_id == child.id
    # The old key's row stays (a replica still on it must not delete the new key's rows) but never matches.
    assert await inb.cw.count("child_identity_digest") == 2
    assert await inb.cw.count(f"child_identity_digest WHERE key_id = '{inbound.key_id(inb.key)}'") == 1


async def test_a_proposal_made_stale_by_a_category_change_is_not_applied_blindly(inb: Inbound) -> None:
    child = await register(inb.cw, child_number(181), since="2025-01-01")
    _, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, granted(inb, "dibao", child_number(181)))
    await inb.settled(seq)
    (proposal,) = await inb.list()
    # Meanwhile the child is found to be a scattered orphan (a higher category than 低保-family).
    await inb.cw.stub.ChangeCategory(
        cw_pb.ChangeCategoryRequest(
            child_id=child.id, category=cw_pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED, reason="父母双亡"
        ),
        metadata=md(ADMIN),
    )
    stale = await rpc_error(
        inb.proposals.AcceptProposal(pb.AcceptProposalRequest(id=proposal.id), metadata=md(TOWN_OFFICER))
    )
    assert stale.code() == grpc.StatusCode.FAILED_PRECONDITION and "category" in (stale.details() or "")
    now = await inb.cw.stub.GetChild(cw_pb.GetChildRequest(id=child.id), metadata=md(ADMIN))
    assert now.category == cw_pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED
    assert [p.status for p in await inb.list()] == [pb.PROPOSAL_STATUS_OPEN]


async def test_children_without_a_digest_row_are_matched_before_the_digest_job_has_run(inb: Inbound) -> None:
    # Registered before digests existed (migration 0006 on a live registry): no row under any key.
    child = await register(inb.cw, child_number(191), since="2025-01-01")
    assert inb.cw.process.ctx is not None
    async with inb.cw.process.ctx.db.unit_of_work() as session:
        await session.exec(sa.text("DELETE FROM child_identity_digest"))  # type: ignore[call-overload]
    _, seq = await inb.publish(inbound.RELIEF_ASSISTANCE_GRANTED, granted(inb, "dibao", child_number(191)))
    await inb.settled(seq)
    (proposal,) = await inb.list()  # found: the match completed the digests first
    assert proposal.child_id == child.id
    assert await inb.cw.count("child_identity_digest") == 1
