"""Issue 6's end-to-end path through the launcher-started system: a relief application (一件事) submitted,
reviewed and approved → ``civic.relief.assistance-granted`` on NATS → child welfare proposes the
household's registered child for the 低保家庭 category on its worklist (ProposalService)."""

from __future__ import annotations

import asyncio
import random
from datetime import date, timedelta

import grpc
import nats
from minzheng.childwelfare.v1 import childwelfare_pb2 as cpb
from minzheng.childwelfare.v1 import proposals_pb2 as ppb
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub
from minzheng.childwelfare.v1.proposals_pb2_grpc import ProposalServiceStub
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import households_pb2 as hpb
from minzheng.relief.v1.applications_pb2_grpc import ApplicationServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub
from nats.js.api import DeliverPolicy

from services.kit.auth import Role, TokenCodec
from services.kit.cloudevents import CloudEvent
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import random_id_number
from services.kit.periods import Month
from services.kit.regions import RegionTree
from services.kit.settings import DEV_JWT_SECRET
from tests.e2e.conftest import System

GRANTED = "civic.relief.assistance-granted"
# The launcher's services run on the development secret (the e2e fixture clears MINZHENG_*): a second
# officer can be minted so that approval is not by the reviewer (maker–checker).
APPROVER = TokenCodec(DEV_JWT_SECRET).mint(
    "e2e-district-officer", roles=[Role.DISTRICT_OFFICER], regions=["330109"]
)


async def test_an_approved_dibao_application_proposes_the_households_child_in_childwelfare(
    system: System,
) -> None:
    rng = random.Random()
    village = RegionTree.xiaoshan().villages()[0].code
    today = date.today()
    head = random_id_number(rng, born_between=(date(1975, 1, 1), date(1990, 12, 31)))
    child = random_id_number(rng, born_between=(today - timedelta(days=3650), today - timedelta(days=1500)))
    admin = auth_metadata(system.token)
    month = Month.containing(today)

    nc = await nats.connect(system.nats_url)
    on_nats = await nc.jetstream().subscribe(GRANTED, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW)
    childwelfare = grpc.aio.insecure_channel(f"127.0.0.1:{system.grpc_base_port + 1}")
    relief = grpc.aio.insecure_channel(f"127.0.0.1:{system.grpc_base_port + 2}")
    try:
        registered = await ChildWelfareServiceStub(childwelfare).RegisterChild(
            cpb.RegisterChildRequest(
                id_number=child,
                name="小红",
                region_code=village,
                category=cpb.PROTECTION_CATEGORY_LEFT_BEHIND,
            ),
            metadata=admin,
        )
        households = HouseholdServiceStub(relief)
        household = await households.RegisterHousehold(
            hpb.RegisterHouseholdRequest(
                region_code=village,
                address="e2e",
                since=(today - timedelta(days=400)).isoformat(),
                members=[
                    hpb.PersonInput(
                        id_number=head,
                        name="王强",
                        relation=hpb.RELATION_HEAD,
                        labour_capacity=hpb.LABOUR_CAPACITY_FULL,
                    ),
                    hpb.PersonInput(
                        id_number=child,
                        name="小红",
                        relation=hpb.RELATION_CHILD,
                        labour_capacity=hpb.LABOUR_CAPACITY_NONE,
                    ),
                ],
            ),
            metadata=admin,
        )
        head_id = next(m.person_id for m in household.members if m.relation == hpb.RELATION_HEAD)
        # 500 yuan a month over the income window: far below any 低保 standard for two people.
        await households.RecordIncome(
            hpb.RecordIncomeRequest(
                household_id=household.id,
                person_id=head_id,
                kind=hpb.INCOME_KIND_WAGES,
                amount_fen=12 * 50_000,
                period_start=month.shift(-12).first.isoformat(),
                period_end=month.shift(-1).last.isoformat(),
            ),
            metadata=admin,
        )

        applications = ApplicationServiceStub(relief)
        made = await applications.SubmitApplication(
            apb.SubmitApplicationRequest(
                household_id=household.id,
                items=["dibao", "medical"],
                commitment=apb.CreditCommitment(signed_by="王强", signed_on=today.isoformat()),
            ),
            metadata=admin,
        )
        await applications.ReviewApplication(apb.ReviewApplicationRequest(id=made.id), metadata=admin)
        approved = await applications.ApproveApplication(
            apb.ApproveApplicationRequest(id=made.id), metadata=auth_metadata(APPROVER)
        )
        assert approved.state == apb.APPLICATION_STATE_APPROVED
        (grant,) = approved.grants

        while True:
            msg = await asyncio.wait_for(on_nats.next_msg(timeout=30), timeout=31)
            ce = CloudEvent.from_json(msg.data)
            if ce.subject == grant.id:
                break
        assert ce.data["programme"] == "dibao" and ce.region == village
        assert child.encode() not in msg.data and head.encode() not in msg.data

        proposals = ProposalServiceStub(childwelfare)
        found: list[ppb.Proposal] = []
        for _ in range(60):
            listed = await proposals.ListProposals(
                ppb.ListProposalsRequest(
                    region_code=village, status=ppb.PROPOSAL_STATUS_OPEN, page={"page_size": 200}
                ),
                metadata=admin,
            )
            found = [p for p in listed.proposals if p.child_id == registered.id]
            if found:
                break
            await asyncio.sleep(0.5)
        (proposal,) = found
        assert proposal.kind == ppb.PROPOSAL_KIND_CATEGORY_CHANGE
        assert proposal.proposed_category == cpb.PROTECTION_CATEGORY_DIBAO_FAMILY
        assert proposal.source_event_id == ce.id
    finally:
        await childwelfare.close()
        await relief.close()
        await nc.close()
