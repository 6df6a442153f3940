"""Demo meal assistance, renovation, inspections and caregivers, through the public gRPC API.

What it makes: a realistic subset of renovation catalogue items in all five areas (not the district's
official list of 77, which the seeds do not give), a canteen in the first villages of the first towns
with a meal point delivering to a neighbour (so coverage is neither 0 nor 100%), a week of lunches for
a few registered elders, renovation plans in every state, inspections of institutions and canteens with
hazards closed, awaiting verification and overdue, and certified caregivers at every level.

It converges: items are keyed by code, providers by (region, name), caregivers by certificate number,
inspections by facility, plans by elder and meals by (elder, day, meal); whatever exists is skipped, so a
second run adds nothing. Elders come from the elder registry (``ListElders``); with none, meals and plans
are left out.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import caregivers_pb2 as cpb
from minzheng.eldercare.v1 import eldercare_pb2 as epb
from minzheng.eldercare.v1 import elders_pb2
from minzheng.eldercare.v1 import inspections_pb2 as ipb
from minzheng.eldercare.v1 import meals_pb2 as mpb
from minzheng.eldercare.v1 import renovation_pb2 as rpb
from minzheng.eldercare.v1.caregivers_pb2_grpc import CaregiverServiceStub
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from minzheng.eldercare.v1.inspections_pb2_grpc import InspectionServiceStub
from minzheng.eldercare.v1.meals_pb2_grpc import MealServiceStub
from minzheng.eldercare.v1.renovation_pb2_grpc import RenovationServiceStub

from services.kit.auth import TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)
DISTRICT = "330109"
DEMO_TOWNS = 3
Metadata = tuple[tuple[str, str], ...]
A = rpb.RenovationArea
# (code, name, area, unit, reference price in fen): a subset for the demo, by the five areas of the seeds.
ITEMS = (
    ("TB-01", "卫生间扶手", A.RENOVATION_AREA_TOILET_BATHING, "套", 36_000),
    ("TB-02", "助浴椅", A.RENOVATION_AREA_TOILET_BATHING, "把", 28_000),
    ("TB-03", "地面防滑处理", A.RENOVATION_AREA_TOILET_BATHING, "平方米", 9_000),
    ("TB-04", "洗脸台低位改造", A.RENOVATION_AREA_TOILET_BATHING, "处", 65_000),
    ("IM-01", "走廊扶手", A.RENOVATION_AREA_INDOOR_MOBILITY, "米", 12_000),
    ("IM-02", "门槛移除", A.RENOVATION_AREA_INDOOR_MOBILITY, "处", 30_000),
    ("IM-03", "感应夜灯", A.RENOVATION_AREA_INDOOR_MOBILITY, "个", 4_500),
    ("LE-01", "床边护栏", A.RENOVATION_AREA_LIVING_ENVIRONMENT, "个", 22_000),
    ("LE-02", "适老座椅", A.RENOVATION_AREA_LIVING_ENVIRONMENT, "把", 48_000),
    ("SM-01", "烟雾报警器", A.RENOVATION_AREA_SMART_MONITORING, "个", 15_000),
    ("SM-02", "燃气泄漏报警器", A.RENOVATION_AREA_SMART_MONITORING, "个", 26_000),
    ("SM-03", "一键呼叫器", A.RENOVATION_AREA_SMART_MONITORING, "个", 18_000),
    ("AD-01", "助行器", A.RENOVATION_AREA_ASSISTIVE_DEVICES, "个", 25_000),
    ("AD-02", "轮椅", A.RENOVATION_AREA_ASSISTIVE_DEVICES, "辆", 68_000),
)
L = cpb.CaregiverLevel
LEVELS = (
    L.CAREGIVER_LEVEL_JUNIOR,
    L.CAREGIVER_LEVEL_JUNIOR,
    L.CAREGIVER_LEVEL_INTERMEDIATE,
    L.CAREGIVER_LEVEL_JUNIOR,
    L.CAREGIVER_LEVEL_SENIOR,
    L.CAREGIVER_LEVEL_INTERMEDIATE,
    L.CAREGIVER_LEVEL_TECHNICIAN,
    L.CAREGIVER_LEVEL_SENIOR_TECHNICIAN,
)
S = rpb.RenovationPlanStatus
# Where each demo plan is taken: one plan per elder, cycling through every state.
PLAN_PATHS = (
    (),
    (S.RENOVATION_PLAN_STATUS_APPROVED,),
    (S.RENOVATION_PLAN_STATUS_APPROVED, S.RENOVATION_PLAN_STATUS_IN_PROGRESS),
    (
        S.RENOVATION_PLAN_STATUS_APPROVED,
        S.RENOVATION_PLAN_STATUS_IN_PROGRESS,
        S.RENOVATION_PLAN_STATUS_COMPLETED,
    ),
    (S.RENOVATION_PLAN_STATUS_CANCELLED,),
)


def _page(size: int = 200) -> common_pb2.PageRequest:
    return common_pb2.PageRequest(page_size=size)


async def _items(stub: RenovationServiceStub, admin: Metadata) -> list[str]:
    listed = await stub.ListRenovationItems(
        rpb.ListRenovationItemsRequest(include_inactive=True), metadata=admin
    )
    have = {i.code: i for i in listed.items}
    for code, name, area, unit, price in ITEMS:
        if code not in have:
            have[code] = await stub.AddRenovationItem(
                rpb.AddRenovationItemRequest(
                    code=code, name=name, area=area, unit=unit, reference_price_fen=price
                ),
                metadata=admin,
            )
    return [have[code].id for code, *_ in ITEMS if have[code].active]


async def _providers(
    stub: MealServiceStub, admin: Metadata, tree: RegionTree, today: date
) -> list[mpb.MealProvider]:
    listed = await stub.ListMealProviders(mpb.ListMealProvidersRequest(page=_page()), metadata=admin)
    have = {(p.region_code, p.name): p for p in listed.providers}
    for t, town in enumerate(tree.towns()[:DEMO_TOWNS]):
        villages = tree.villages(town.code)
        if len(villages) < 2:
            continue
        wanted = [
            (mpb.MEAL_PROVIDER_KIND_CANTEEN, villages[0], f"{villages[0].name}老年食堂", [villages[1].code]),
            (mpb.MEAL_PROVIDER_KIND_MEAL_POINT, villages[-1], f"{villages[-1].name}助餐点", []),
        ]
        for kind, village, name, serves in wanted:
            if (village.code, name) in have:
                continue
            have[(village.code, name)] = await stub.RegisterMealProvider(
                mpb.RegisterMealProviderRequest(
                    kind=kind,
                    name=name,
                    region_code=village.code,
                    operator=f"{village.name}居委会" if t % 2 == 0 else "萧山区助餐服务中心（市场+）",
                    villages_served=serves,
                    opened_on=(today - timedelta(days=400 - 30 * t)).isoformat(),
                ),
                metadata=admin,
            )
    return list(have.values())


async def _elders(stub: ElderServiceStub, admin: Metadata, region: str, count: int) -> list[elders_pb2.Elder]:
    reply = await stub.ListElders(
        elders_pb2.ListEldersRequest(region_code=region, page=_page(count)), metadata=admin
    )
    return list(reply.elders)


async def _meals(
    stub: MealServiceStub,
    elders: ElderServiceStub,
    admin: Metadata,
    providers: list[mpb.MealProvider],
    today: date,
) -> int:
    added = 0
    for provider in providers:
        for elder in await _elders(elders, admin, provider.region_code, 3):
            for back in range(1, 8):
                try:
                    await stub.RecordMeal(
                        mpb.RecordMealRequest(
                            provider_id=provider.id,
                            elder_id=elder.id,
                            served_on=(today - timedelta(days=back)).isoformat(),
                            meal=mpb.MEAL_KIND_LUNCH,
                            price_fen=1500,
                            subsidy_fen=500 if back % 2 else 700,
                        ),
                        metadata=admin,
                    )
                    added += 1
                except grpc.aio.AioRpcError as exc:
                    # Recorded by an earlier run, or the elder has died since: nothing to add.
                    if exc.code() not in (
                        grpc.StatusCode.ALREADY_EXISTS,
                        grpc.StatusCode.FAILED_PRECONDITION,
                    ):
                        raise
    return added


async def _plans(
    stub: RenovationServiceStub,
    elders: ElderServiceStub,
    admin: Metadata,
    items: list[str],
    tree: RegionTree,
    today: date,
) -> int:
    if not items:
        return 0
    listed = await stub.ListRenovationPlans(rpb.ListRenovationPlansRequest(page=_page()), metadata=admin)
    planned = {p.elder_id for p in listed.plans}
    candidates = [e for town in tree.towns()[:DEMO_TOWNS] for e in await _elders(elders, admin, town.code, 4)]
    added = 0
    for n, elder in enumerate(candidates):
        if elder.id in planned:
            continue
        chosen = [items[(n + k) % len(items)] for k in range(3)]
        plan = await stub.CreateRenovationPlan(
            rpb.CreateRenovationPlanRequest(
                elder_id=elder.id,
                surveyed_on=(today - timedelta(days=60)).isoformat(),
                lines=[rpb.PlanLine(item_id=i, quantity=1 + k % 2) for k, i in enumerate(chosen)],
                subsidy_percent=(80, 100)[n % 2],
                notes="入户评估：卫生间无扶手，夜间如厕不便",
            ),
            metadata=admin,
        )
        for step, status in enumerate(PLAN_PATHS[n % len(PLAN_PATHS)]):
            await stub.AdvanceRenovationPlan(
                rpb.AdvanceRenovationPlanRequest(
                    plan_id=plan.id,
                    to_status=status,
                    on=(today - timedelta(days=45 - 15 * step)).isoformat(),
                    reason="老人入住养老机构，不再改造"
                    if status == S.RENOVATION_PLAN_STATUS_CANCELLED
                    else "",
                ),
                metadata=admin,
            )
        added += 1
    return added


def _hazards(n: int, inspected_on: date) -> list[ipb.NewHazard]:
    due = (inspected_on + timedelta(days=10 + 10 * (n % 3))).isoformat()
    found = [
        ipb.NewHazard(description="厨房燃气软管老化", severity=ipb.HAZARD_SEVERITY_MAJOR, rectify_by=due),
        ipb.NewHazard(description="疏散指示灯不亮", severity=ipb.HAZARD_SEVERITY_MINOR, rectify_by=due),
    ]
    return found[: n % 3]


async def _inspections(
    stub: InspectionServiceStub,
    institutions: EldercareServiceStub,
    admin: Metadata,
    providers: list[mpb.MealProvider],
    today: date,
) -> int:
    listed = await stub.ListInspections(ipb.ListInspectionsRequest(page=_page()), metadata=admin)
    inspected = {i.facility_id for i in listed.inspections}
    homes = (
        await institutions.ListInstitutions(epb.ListInstitutionsRequest(page=_page()), metadata=admin)
    ).institutions
    targets = [(ipb.FACILITY_KIND_INSTITUTION, h.id) for h in homes] + [
        (ipb.FACILITY_KIND_CANTEEN, p.id) for p in providers
    ]
    added = 0
    for n, (kind, facility_id) in enumerate(targets):
        if facility_id in inspected:
            continue
        inspected_on = today - timedelta(days=40 - n % 30)
        made = await stub.RecordInspection(
            ipb.RecordInspectionRequest(
                facility_kind=kind,
                facility_id=facility_id,
                inspected_on=inspected_on.isoformat(),
                inspector="区民政局安全巡查组",
                findings="消防通道畅通，食品留样规范" if n % 3 == 0 else "发现隐患，限期整改",
                hazards=_hazards(n, inspected_on),
            ),
            metadata=admin,
        )
        # The first hazard of every other inspection is rectified; of those, every other one verified.
        if made.hazards and n % 2 == 0:
            first = made.hazards[0]
            await stub.RecordRectification(
                ipb.RecordRectificationRequest(
                    hazard_id=first.id,
                    rectified_on=(inspected_on + timedelta(days=5)).isoformat(),
                    evidence="已更换，附照片",
                ),
                metadata=admin,
            )
            if n % 4 == 0:
                await stub.VerifyRectification(
                    ipb.VerifyRectificationRequest(
                        hazard_id=first.id,
                        accepted=True,
                        verified_on=(inspected_on + timedelta(days=7)).isoformat(),
                        verified_by="街道安全员",
                    ),
                    metadata=admin,
                )
        added += 1
    return added


async def _caregivers(
    stub: CaregiverServiceStub, institutions: EldercareServiceStub, admin: Metadata, today: date
) -> int:
    homes = (
        await institutions.ListInstitutions(epb.ListInstitutionsRequest(page=_page()), metadata=admin)
    ).institutions
    added = 0
    for h, home in enumerate(homes):
        for k in range(4):
            level = LEVELS[(h * 4 + k) % len(LEVELS)]
            try:
                await stub.RegisterCaregiver(
                    cpb.RegisterCaregiverRequest(
                        certificate_number=f"YLHL-{home.region_code}-{h:02d}{k:02d}",
                        name=f"护理员{h + 1}-{k + 1}",
                        level=level,
                        certified_on=(today - timedelta(days=200 + 90 * k)).isoformat(),
                        employer_institution_id=home.id,
                    ),
                    metadata=admin,
                )
                added += 1
            except grpc.aio.AioRpcError as exc:
                if exc.code() != grpc.StatusCode.ALREADY_EXISTS:  # registered by an earlier run
                    raise
    return added


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Converge the community demo data (every loader skips what exists)."""
    admin = auth_metadata(codec.service_token("eldercare-demo", regions=[DISTRICT]))
    tree = RegionTree.xiaoshan()
    renovation = RenovationServiceStub(channel)
    meals = MealServiceStub(channel)
    elders = ElderServiceStub(channel)
    institutions = EldercareServiceStub(channel)
    items = await _items(renovation, admin)
    providers = await _providers(meals, admin, tree, today)
    added_meals = await _meals(meals, elders, admin, providers, today)
    plans = await _plans(renovation, elders, admin, items, tree, today)
    inspections = await _inspections(InspectionServiceStub(channel), institutions, admin, providers, today)
    caregivers = await _caregivers(CaregiverServiceStub(channel), institutions, admin, today)
    log.info(
        "community demo: %d providers in all; added %d meals, %d plans, %d inspections, %d caregivers",
        len(providers),
        added_meals,
        plans,
        inspections,
        caregivers,
    )
