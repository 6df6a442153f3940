"""Demo data through the public gRPC API, so every occupied bed also put its event on the stream.

``python -m services.eldercare.demo --target 127.0.0.1:50051`` (token in ``MINZHENG_DEMO_TOKEN``);
the launcher runs it after the services are healthy. It converges rather than appends: each demo
institution is registered unless it exists (same name in the same region), gets only the beds of each
type it lacks and only the occupants it lacks, with the same elders on every run; a run that stopped
halfway is completed by the next, and a run over complete data adds nothing.

After the institutions, each area's loader converges its own data the same way: elders with
assessments and visits, some overdue (``demo_elders``); home-safety devices and alarms in every state
(``demo_safety``); canteens, meals, renovation plans, inspections and caregivers (``demo_community``,
which needs the elders); this month's allowance run (``demo_allowances``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
from dataclasses import dataclass
from datetime import date, datetime

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub

from services.eldercare import demo_allowances, demo_community, demo_elders, demo_safety
from services.kit.auth import TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import random_id_number
from services.kit.logs import setup_logging
from services.kit.periods import CHINA_TZ
from services.kit.regions import RegionTree
from services.kit.settings import load_settings

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


Metadata = tuple[tuple[str, str], ...]


@dataclass
class DemoResult:
    """What one run added (all zero when the demo was already complete)."""

    institutions: int = 0
    beds: int = 0
    assignments: int = 0


async def existing_institutions(
    stub: EldercareServiceStub, metadata: Metadata
) -> dict[tuple[str, str], pb.Institution]:
    """Every institution the token can see, by (region, name), across all pages."""
    seen: dict[tuple[str, str], pb.Institution] = {}
    token = ""
    while True:
        page = await stub.ListInstitutions(
            pb.ListInstitutionsRequest(page=common_pb2.PageRequest(page_size=200, page_token=token)),
            metadata=metadata,
        )
        seen.update(((i.region_code, i.name), i) for i in page.institutions)
        token = page.page_info.next_page_token
        if not token:
            return seen


def elder_for(
    demo: DemoInstitution, bed_type: pb.BedType.ValueType, slot: int, attempt: int = 0
) -> tuple[str, str]:
    """The elder (ID number, name) meant for one occupied bed: the same on every run, never a new one.

    ``attempt`` moves on to another person when the first choice already holds a bed elsewhere.
    """
    rng = random.Random(f"{demo.name}/{pb.BedType.Name(bed_type)}/{slot}/{attempt}")
    number = random_id_number(rng, area_code="330109", born_between=ELDER_BIRTHS)
    return number, rng.choice(SURNAMES) + rng.choice(GIVEN)


def is_complete(institution: pb.Institution, demo: DemoInstitution) -> bool:
    """Whether the institution already has all its demo beds and occupants (judged by its totals)."""
    beds = sum(count for _, count, _ in demo.beds)
    occupied = sum(taken for _, _, taken in demo.beds)
    return institution.bed_count >= beds and institution.occupied_count >= occupied


async def _ensure_institution(
    stub: EldercareServiceStub,
    metadata: Metadata,
    demo: DemoInstitution,
    have: dict[tuple[str, str], pb.Institution],
) -> tuple[pb.Institution, bool]:
    """The demo institution, registered unless it exists; and whether it was registered now."""
    found = have.get((demo.region_code, demo.name))
    if found is not None:
        return found, False
    request = pb.RegisterInstitutionRequest(
        name=demo.name, kind=demo.kind, region_code=demo.region_code, star_rating=demo.star_rating
    )
    try:
        return await stub.RegisterInstitution(request, metadata=metadata), True
    except grpc.aio.AioRpcError as exc:
        if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
            raise
    # Another run registered it in the meantime.
    return (await existing_institutions(stub, metadata))[(demo.region_code, demo.name)], False


async def _assign(
    stub: EldercareServiceStub, metadata: Metadata, bed: pb.Bed, elders: list[tuple[str, str]]
) -> bool:
    """Give the bed to the first of the elders who holds no bed yet; False if none could take it."""
    for number, name in elders:
        try:
            await stub.AssignBed(
                pb.AssignBedRequest(bed_id=bed.id, elder_id_number=number, elder_name=name), metadata=metadata
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            continue
        return True
    log.warning("bed %s: none of %d candidate elders could take it", bed.label, len(elders))
    return False


async def _complete(
    stub: EldercareServiceStub,
    metadata: Metadata,
    demo: DemoInstitution,
    institution_id: str,
    result: DemoResult,
) -> None:
    """Add only the missing beds of each type, then occupy only the missing ones."""
    listed = await stub.ListBeds(pb.ListBedsRequest(institution_ids=[institution_id]), metadata=metadata)
    for bed_type, count, taken in demo.beds:
        of_type = [b for b in listed.beds if b.type == bed_type]
        if len(of_type) < count:
            added = await stub.AddBeds(
                pb.AddBedsRequest(institution_id=institution_id, type=bed_type, count=count - len(of_type)),
                metadata=metadata,
            )
            result.beds += len(added.beds)
            of_type += list(added.beds)
        occupied = sum(1 for b in of_type if b.status == pb.BED_STATUS_OCCUPIED)
        vacant = sorted((b for b in of_type if b.status == pb.BED_STATUS_VACANT), key=lambda b: b.label)
        # Slots below `occupied` went to their elders on an earlier run; the rest get theirs now.
        for slot, bed in zip(range(occupied, taken), vacant, strict=False):
            candidates = [elder_for(demo, bed_type, slot, attempt) for attempt in range(3)]
            result.assignments += await _assign(stub, metadata, bed, candidates)


async def load_demo(
    stub: EldercareServiceStub, token: str, institutions: tuple[DemoInstitution, ...] = INSTITUTIONS
) -> DemoResult:
    """Bring the demo institutions, their beds and occupants up to the table, adding only what is missing."""
    metadata = auth_metadata(token)
    tree = RegionTree.xiaoshan()
    have = await existing_institutions(stub, metadata)
    result = DemoResult()
    for demo in institutions:
        tree.get(demo.region_code)  # a typo in the table above fails loudly, not silently
        institution, new = await _ensure_institution(stub, metadata, demo, have)
        result.institutions += new
        # A complete institution is left alone without reading its beds (which would audit each
        # occupant's ID number read); only a new or half-done one is listed and filled in.
        if new or not is_complete(institution, demo):
            await _complete(stub, metadata, demo, institution.id, result)
            log.info("%s (%s): beds and occupants completed", demo.name, tree.name_path(demo.region_code))
    log.info(
        "eldercare demo: %d institutions, %d beds and %d occupants added",
        result.institutions,
        result.beds,
        result.assignments,
    )
    return result


async def _run(target: str, token: str) -> None:
    settings = load_settings("eldercare")
    codec = TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    async with grpc.aio.insecure_channel(target) as channel:
        await load_demo(EldercareServiceStub(channel), token)
        today = datetime.now(CHINA_TZ).date()
        for area in (demo_elders, demo_safety, demo_community, demo_allowances):
            await area.load(channel, codec, today=today)


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
