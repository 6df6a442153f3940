"""Demo children's homes, protection stations and adoptions, through the public gRPC API.

Children's homes in most villages of the demo towns (every third one a demonstration home, a few of
those recognised by the city or the province, each first opened as basic so the level history shows),
a protection station in all but the last demo town (so coverage is not trivially 100%), and three
adoptions: one registered, one assessed and waiting, one refused. Running it again adds nothing: what
already exists (a village's open home, a town's station, an adoption of the same child) is skipped.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import grpc
from minzheng.childwelfare.v1 import facilities_pb2 as pb
from minzheng.childwelfare.v1.facilities_pb2_grpc import ChildFacilitiesServiceStub

from services.childwelfare.demo import TOWNS
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import make_id_number
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)
DISTRICT = "330109"
TIERS = (pb.DEMONSTRATION_TIER_UNSPECIFIED, pb.DEMONSTRATION_TIER_CITY, pb.DEMONSTRATION_TIER_PROVINCE)
Metadata = tuple[tuple[str, str], ...]


async def _homes(stub: ChildFacilitiesServiceStub, admin: Metadata, tree: RegionTree, today: date) -> int:
    listed = await stub.ListChildrenHomes(
        pb.ListChildrenHomesRequest(page={"page_size": 200}),  # type: ignore[arg-type]
        metadata=admin,
    )
    have = {h.region_code for h in listed.homes}
    added = 0
    for t, town in enumerate(TOWNS):
        villages = tree.villages(town)
        for v, village in enumerate(villages[:-1]):  # the last village of each town has no home yet
            if village.code in have:
                continue
            demonstration = (t + v) % 3 == 0
            home = await stub.OpenChildrenHome(
                pb.OpenChildrenHomeRequest(
                    region_code=village.code,
                    name=f"{village.name}儿童之家",
                    level=pb.CHILDREN_HOME_LEVEL_BASIC,
                    opened_on=(today - timedelta(days=700 - 20 * v)).isoformat(),
                ),
                metadata=admin,
            )
            if demonstration:
                await stub.ChangeChildrenHomeLevel(
                    pb.ChangeChildrenHomeLevelRequest(
                        home_id=home.id,
                        level=pb.CHILDREN_HOME_LEVEL_DEMONSTRATION,
                        tier=TIERS[t % len(TIERS)],
                        effective_from=(today - timedelta(days=180)).isoformat(),
                        reason="示范型儿童之家创建",
                    ),
                    metadata=admin,
                )
            added += 1
    return added


async def _stations(stub: ChildFacilitiesServiceStub, admin: Metadata, tree: RegionTree, today: date) -> int:
    have = {
        s.region_code
        for s in (
            await stub.ListProtectionStations(pb.ListProtectionStationsRequest(), metadata=admin)
        ).stations
    }
    added = 0
    for i, town in enumerate(TOWNS[:-1]):
        if town in have:
            continue
        await stub.OpenProtectionStation(
            pb.OpenProtectionStationRequest(
                region_code=town,
                name=f"{tree.get(town).name}未成年人保护工作站",
                opened_on=(today - timedelta(days=400 + 30 * i)).isoformat(),
                staff_count=3 + i % 3,
                contact=f"0571-8288{i:04d}",
            ),
            metadata=admin,
        )
        added += 1
    return added


def _adopter(name: str, born: date, sequence: int) -> pb.Adopter:
    number = make_id_number(area_code="330109", birth_date=born, sequence=sequence)
    return pb.Adopter(name=name, id_number=number, relation=pb.ADOPTER_RELATION_OTHER)


async def _adoptions(stub: ChildFacilitiesServiceStub, admin: Metadata, tree: RegionTree, today: date) -> int:
    listed = await stub.ListAdoptions(pb.ListAdoptionsRequest(page={"page_size": 200}), metadata=admin)  # type: ignore[arg-type]
    have = {a.child_id_number for a in listed.adoptions}
    village = tree.villages(TOWNS[0])[0].code
    # (child's birth date, sequence, what happens): registered, assessed and waiting, refused.
    plans = (
        (date(2021, 3, 8), 902, "register"),
        (date(2019, 9, 1), 904, "assessed"),
        (date(2018, 1, 20), 906, "refuse"),
    )
    added = 0
    for i, (born, sequence, plan) in enumerate(plans):
        child = make_id_number(area_code="330109", birth_date=born, sequence=sequence)
        if child in have:
            continue
        applied = await stub.RegisterAdoption(
            pb.RegisterAdoptionRequest(
                child_id_number=child,
                child_name=("萧小禾", "萧小苗", "萧小树")[i],
                region_code=village,
                applied_on=(today - timedelta(days=90)).isoformat(),
                adopters=[
                    _adopter("王建国", date(1984, 5, 1), 911 + 2 * i),
                    _adopter("李秀英", date(1986, 8, 2), 912 + 2 * i),
                ],
            ),
            metadata=admin,
        )
        result = pb.ASSESSMENT_RESULT_UNSUITABLE if plan == "refuse" else pb.ASSESSMENT_RESULT_SUITABLE
        await stub.RecordAdoptionAssessment(
            pb.RecordAdoptionAssessmentRequest(
                adoption_id=applied.id,
                result=result,
                assessed_on=(today - timedelta(days=45)).isoformat(),
                assessed_by="萧山区收养评估(第三方机构)",
                notes="入户评估完成",
            ),
            metadata=admin,
        )
        if plan != "assessed":
            await stub.CompleteAdoption(
                pb.CompleteAdoptionRequest(
                    adoption_id=applied.id,
                    outcome=pb.ADOPTION_OUTCOME_REGISTER
                    if plan == "register"
                    else pb.ADOPTION_OUTCOME_REFUSE,
                    decided_on=(today - timedelta(days=20)).isoformat(),
                    certificate_number=f"330109-{today.year}-D{sequence}" if plan == "register" else "",
                    reason="" if plan == "register" else "收养评估不适合",
                ),
                metadata=admin,
            )
        added += 1
    return added


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Add the demo homes, stations and adoptions that are not there yet, and log what was added."""
    stub = ChildFacilitiesServiceStub(channel)
    admin = auth_metadata(codec.mint("demo-facilities", roles=[Role.ADMIN], regions=[DISTRICT]))
    tree = RegionTree.xiaoshan()
    homes = await _homes(stub, admin, tree, today)
    stations = await _stations(stub, admin, tree, today)
    adoptions = await _adoptions(stub, admin, tree, today)
    log.info(
        "childwelfare facilities demo: %d children's homes, %d protection stations, %d adoptions added",
        homes,
        stations,
        adoptions,
    )
