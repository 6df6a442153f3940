"""Demo households through the public gRPC API, so ``make up`` shows every classification.

``python -m services.relief.demo --target 127.0.0.1:50053`` (token in ``MINZHENG_DEMO_TOKEN``); the
launcher runs it after the services are healthy. Then the demo applications (``demo_applications``)
are brought to their steps, and this month is re-classified and paid (``demo_payments``). Ten
households in five towns: lone elders without income (特困), families under the 低保 standard, families
between it and the 低边 line, and families above the line. Incomes are set from the standards in force
today (GetStandards), as one income per earner over the income window before this month, so this
month's assessment lands in the intended programme whatever the standard of the year.

It converges rather than appends: each household is found by its head's ID number (read with a viewer
token, so nothing is audited) and registered only when missing; incomes are recorded only for a
household that has none yet. A run over complete data adds nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import grpc
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1.eligibility_pb2_grpc import EligibilityServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub

from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.logs import setup_logging
from services.kit.periods import CHINA_TZ, Month
from services.kit.regions import RegionTree
from services.kit.settings import load_settings
from services.relief.demo_applications import load_demo_applications
from services.relief.demo_households import DISTRICT, HOUSEHOLDS, DemoHousehold, DemoPerson, id_number_of
from services.relief.demo_payments import load_demo_payments
from services.relief.eligibility import income_window

log = logging.getLogger(__name__)


def _person_pb(p: DemoPerson) -> pb.PersonInput:
    return pb.PersonInput(
        id_number=id_number_of(p),
        name=p.name,
        relation=p.relation,
        disability_grade=p.disability,
        labour_capacity=p.capacity,
        employed=p.earns,
    )


@dataclass
class DemoResult:
    """What one run added, and what this month's assessments say."""

    households: int = 0
    incomes: int = 0
    classifications: Counter[str] | None = None


async def _find(
    stub: HouseholdServiceStub, demo: DemoHousehold, viewer: tuple[tuple[str, str], ...]
) -> pb.Household | None:
    request = pb.GetHouseholdRequest(id_number=id_number_of(demo.members[0]))
    try:
        return await stub.GetHousehold(request, metadata=viewer)
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            return None
        raise


async def _incomes(
    stub: HouseholdServiceStub,
    admin: tuple[tuple[str, str], ...],
    demo: DemoHousehold,
    household: pb.Household,
    standards: epb.Standards,
    month: Month,
) -> int:
    """One income per earner over the window, together ``per_capita`` × standard per member-month."""
    earners = [p for p in demo.members if p.earns]
    if not earners or demo.per_capita == 0:
        return 0
    months = standards.income_window_months
    start, end = income_window(month, months)
    total = demo.per_capita * standards.dibao_monthly_fen * months * len(demo.members)
    share = int(total / len(earners))
    # Read back masked (as a viewer), so members are told apart by name (unique within a demo household).
    ids = {m.name: m.person_id for m in household.members}
    for p in earners:
        await stub.RecordIncome(
            pb.RecordIncomeRequest(
                household_id=household.id,
                person_id=ids[p.name],
                kind=pb.INCOME_KIND_WAGES,
                amount_fen=share,
                period_start=start.isoformat(),
                period_end=end.isoformat(),
                note="demo",
            ),
            metadata=admin,
        )
    return len(earners)


async def load_demo(
    channel: grpc.aio.Channel, *, admin_token: str, viewer_token: str, today: date
) -> DemoResult:
    """Bring the demo households and their incomes up to the table, adding only what is missing."""
    households, eligibility = HouseholdServiceStub(channel), EligibilityServiceStub(channel)
    admin, viewer = auth_metadata(admin_token), auth_metadata(viewer_token)
    tree, month, result = (
        RegionTree.xiaoshan(),
        Month.containing(today),
        DemoResult(classifications=Counter()),
    )
    for demo in HOUSEHOLDS:
        tree.get(demo.village)  # a typo in the table above fails loudly, not silently
        found = await _find(households, demo, viewer)
        if found is None:
            request = pb.RegisterHouseholdRequest(
                region_code=demo.village, address=demo.address, members=[_person_pb(p) for p in demo.members]
            )
            found = await households.RegisterHousehold(request, metadata=admin)
            result.households += 1
        if not found.incomes:
            standards = await eligibility.GetStandards(
                epb.GetStandardsRequest(region_code=demo.village, day=month.first.isoformat()),
                metadata=viewer,
            )
            result.incomes += await _incomes(households, admin, demo, found, standards, month)
        assessed = await eligibility.AssessHousehold(
            epb.AssessHouseholdRequest(household_id=found.id, month=month.key), metadata=viewer
        )
        label = epb.Classification.Name(assessed.classification).removeprefix("CLASSIFICATION_").lower()
        result.classifications[label] += 1
        if label != demo.intended:
            log.warning("%s (%s): assessed %s, meant %s", demo.address, demo.village, label, demo.intended)
    log.info(
        "relief demo: %d households and %d incomes added; %s this month",
        result.households,
        result.incomes,
        ", ".join(f"{k} {v}" for k, v in sorted(result.classifications.items())),
    )
    return result


async def _run(target: str, token: str) -> None:
    settings = load_settings("relief")
    codec = TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    viewer = codec.mint("relief-demo-reader", roles=[Role.VIEWER], regions=[DISTRICT], ttl_s=600)
    # The town's reviewer is another person than the district's approver (maker–checker).
    town = codec.mint("relief-demo-town-officer", roles=[Role.TOWN_OFFICER], regions=[DISTRICT], ttl_s=600)
    async with grpc.aio.insecure_channel(target) as channel:
        today = datetime.now(CHINA_TZ).date()
        await load_demo(channel, admin_token=token, viewer_token=viewer, today=today)
        await load_demo_applications(
            channel, town_token=town, district_token=token, viewer_token=viewer, today=today
        )
        await load_demo_payments(channel, district_token=token, viewer_token=viewer, today=today)


def main() -> None:
    """Load the demo into the relief service at ``--target``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="127.0.0.1:50053", help="relief gRPC host:port")
    args = parser.parse_args()
    token = os.environ.get("MINZHENG_DEMO_TOKEN", "")
    if not token:
        raise SystemExit("MINZHENG_DEMO_TOKEN is not set (the launcher sets it; or use `minzheng token`)")
    setup_logging("relief-demo", "INFO", "text")
    asyncio.run(_run(args.target, token))


if __name__ == "__main__":
    main()
