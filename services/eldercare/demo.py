"""Demo data through the public gRPC API, so every occupied bed also put its event on the stream.

``python -m services.eldercare.demo --target 127.0.0.1:50051`` (token in ``MINZHENG_DEMO_TOKEN``);
the launcher runs it after the services are healthy. Running it again adds nothing: institutions
that already exist (same name in the same region) are skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
from dataclasses import dataclass
from datetime import date

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub

from services.kit.grpc_client import auth_metadata
from services.kit.idcard import random_id_number
from services.kit.logs import setup_logging
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)

# Elders born 1925–1962: today's 60- to 100-year-olds.
ELDER_BIRTHS = (date(1925, 1, 1), date(1962, 12, 31))
SURNAMES = "王李张陈刘杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = [
    "秀英",
    "桂英",
    "建国",
    "国庆",
    "金娣",
    "阿毛",
    "美娟",
    "志明",
    "根法",
    "凤仙",
    "月英",
    "炳水",
    "小妹",
]


@dataclass(frozen=True)
class DemoInstitution:
    """One demo institution: where, what kind, and its beds as (type, count, occupied)."""

    name: str
    kind: pb.InstitutionKind.ValueType
    region_code: str
    star_rating: int
    beds: tuple[tuple[pb.BedType.ValueType, int, int], ...]


GEN, NUR, DEM, FAM = (
    pb.BED_TYPE_GENERAL,
    pb.BED_TYPE_NURSING,
    pb.BED_TYPE_DEMENTIA_CARE,
    pb.BED_TYPE_FAMILY_CARE,
)
PUB, PRI, WUBAO = pb.INSTITUTION_KIND_PUBLIC, pb.INSTITUTION_KIND_PRIVATE, pb.INSTITUTION_KIND_RURAL_WUBAO
# Nursing beds come to ~55% of all, near the plan's 2022 baseline for that indicator (55.93%).
INSTITUTIONS: tuple[DemoInstitution, ...] = (
    DemoInstitution("萧山区社会福利中心", PUB, "330109001", 5, ((NUR, 90, 70), (DEM, 12, 10), (GEN, 20, 12))),
    DemoInstitution("城厢街道居家养老服务中心", PUB, "330109001", 3, ((FAM, 15, 9), (GEN, 6, 2))),
    DemoInstitution("北干颐乐园", PRI, "330109002", 4, ((NUR, 70, 51), (GEN, 20, 11))),
    DemoInstitution("宁围街道认知症照护中心", PRI, "330109013", 4, ((DEM, 24, 19), (NUR, 20, 12))),
    DemoInstitution("瓜沥镇颐养院", PUB, "330109113", 3, ((NUR, 50, 29), (GEN, 25, 15), (FAM, 10, 4))),
    DemoInstitution("楼塔镇敬老院", WUBAO, "330109100", 2, ((GEN, 18, 13), (NUR, 6, 4))),
    DemoInstitution("河上镇中心敬老院", WUBAO, "330109101", 2, ((GEN, 16, 9), (FAM, 8, 3))),
    DemoInstitution("义桥镇康养中心", PRI, "330109106", 3, ((NUR, 30, 12), (DEM, 8, 3), (GEN, 12, 5))),
    DemoInstitution("临浦镇家庭养老床位服务站", PUB, "330109105", 0, ((FAM, 20, 12),)),
)


async def existing_names(
    stub: EldercareServiceStub, metadata: tuple[tuple[str, str], ...]
) -> set[tuple[str, str]]:
    """(region, name) of every institution the token can see, across all pages."""
    seen: set[tuple[str, str]] = set()
    token = ""
    while True:
        page = await stub.ListInstitutions(
            pb.ListInstitutionsRequest(page=common_pb2.PageRequest(page_size=200, page_token=token)),
            metadata=metadata,
        )
        seen.update((i.region_code, i.name) for i in page.institutions)
        token = page.page_info.next_page_token
        if not token:
            return seen


def _elder_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


async def _occupy(
    stub: EldercareServiceStub, metadata: tuple[tuple[str, str], ...], beds: list[pb.Bed], rng: random.Random
) -> int:
    occupied = 0
    for bed in beds:
        # A clash with an elder already in a bed (vanishingly rare) just moves on to another number.
        for _attempt in range(3):
            elder = random_id_number(rng, area_code="330109", born_between=ELDER_BIRTHS)
            try:
                await stub.AssignBed(
                    pb.AssignBedRequest(bed_id=bed.id, elder_id_number=elder, elder_name=_elder_name(rng)),
                    metadata=metadata,
                )
            except grpc.aio.AioRpcError as exc:
                if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:
                    raise
                continue
            occupied += 1
            break
    return occupied


async def load_demo(stub: EldercareServiceStub, token: str) -> int:
    """Register the demo institutions, their beds and occupants; returns how many institutions were new."""
    metadata = auth_metadata(token)
    tree = RegionTree.xiaoshan()
    have = await existing_names(stub, metadata)
    created = 0
    for demo in INSTITUTIONS:
        tree.get(demo.region_code)  # a typo in the table above fails loudly, not silently
        if (demo.region_code, demo.name) in have:
            continue
        institution = await stub.RegisterInstitution(
            pb.RegisterInstitutionRequest(
                name=demo.name, kind=demo.kind, region_code=demo.region_code, star_rating=demo.star_rating
            ),
            metadata=metadata,
        )
        # Seeded by name: the same institution always gets the same elders.
        rng = random.Random(demo.name)
        occupied = 0
        for bed_type, count, taken in demo.beds:
            added = await stub.AddBeds(
                pb.AddBedsRequest(institution_id=institution.id, type=bed_type, count=count),
                metadata=metadata,
            )
            occupied += await _occupy(stub, metadata, list(added.beds)[:taken], rng)
        created += 1
        log.info(
            "%s (%s): %d beds, %d occupied",
            demo.name,
            tree.name_path(demo.region_code),
            sum(c for _, c, _ in demo.beds),
            occupied,
        )
    log.info("eldercare demo: %d institutions added, %d already there", created, len(INSTITUTIONS) - created)
    return created


async def _run(target: str, token: str) -> None:
    async with grpc.aio.insecure_channel(target) as channel:
        await load_demo(EldercareServiceStub(channel), token)


def main() -> None:
    """Load the demo into the eldercare service at ``--target``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="127.0.0.1:50051", help="eldercare gRPC host:port")
    args = parser.parse_args()
    token = os.environ.get("MINZHENG_DEMO_TOKEN", "")
    if not token:
        raise SystemExit("MINZHENG_DEMO_TOKEN is not set (the launcher sets it; or use `minzheng token`)")
    setup_logging("eldercare-demo", "INFO", "text")
    asyncio.run(_run(args.target, token))


if __name__ == "__main__":
    main()
