"""Demo elders, capability assessments and home visits, through the public gRPC API (ElderService).

Twenty-five elders in each of two villages of six demo towns (300 in all): about half vulnerable
(alone, widowed and childless, left-behind, special families, or assessed as disabled), a third
assessed, and the vulnerable ones visited about monthly, except roughly one in six whose visits
stopped two to four months ago, so the overdue list, the compliance rate and the overdue scan have
something to show. Everything is derived from a seeded random generator per village and slot, so a
run produces the same people every time.

It converges rather than appends: the elders of each village are read back masked (a viewer token,
so nothing is audited), and only the elders, assessments and visits that are missing are added; a
run that stopped halfway is completed by the next, and a run over complete data adds nothing.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

import grpc
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import elders_pb2 as pb
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub

from services.eldercare.elder_mapping import LEVEL_FROM_PB, LIVING_FROM_PB
from services.eldercare.elder_rules import Situation, is_vulnerable
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import mask_id_number, random_id_number
from services.kit.regions import RegionTree

log = logging.getLogger(__name__)
DISTRICT = "330109"
# The towns of the bed demo and of child welfare's demo, two villages each.
TOWNS = ("330109001", "330109002", "330109013", "330109100", "330109106", "330109113")
VILLAGES_PER_TOWN = 2
ELDERS_PER_VILLAGE = 25
SURNAMES = "王李张陈刘杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = ("秀英", "桂英", "建国", "国庆", "金娣", "阿毛", "美娟", "志明", "根法", "凤仙", "月英", "炳水")
LIVING: tuple[tuple[pb.LivingArrangement.ValueType, int], ...] = (
    (pb.LIVING_ARRANGEMENT_ALONE, 30),
    (pb.LIVING_ARRANGEMENT_EMPTY_NEST, 25),
    (pb.LIVING_ARRANGEMENT_WITH_FAMILY, 35),
    (pb.LIVING_ARRANGEMENT_IN_INSTITUTION, 10),
)
LEVELS: tuple[tuple[pb.CapabilityLevel.ValueType, int], ...] = (
    (pb.CAPABILITY_LEVEL_INTACT, 40),
    (pb.CAPABILITY_LEVEL_MILD, 25),
    (pb.CAPABILITY_LEVEL_MODERATE, 15),
    (pb.CAPABILITY_LEVEL_SEVERE, 12),
    (pb.CAPABILITY_LEVEL_COMPLETE, 8),
)
RISKS = (pb.VISIT_RISK_LEVEL_LOW,) * 6 + (pb.VISIT_RISK_LEVEL_MEDIUM,) * 3 + (pb.VISIT_RISK_LEVEL_HIGH,)
FINDINGS = (
    "身体尚可，饮食正常",
    "独自在家，门窗安全",
    "腿脚不便，建议适老化改造",
    "情绪低落，已联系家属",
    "家中燃气已检查",
)
Metadata = tuple[tuple[str, str], ...]
T = TypeVar("T")


def _pick(rng: random.Random, weighted: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass(frozen=True)
class DemoElder:
    """One demo elder and what the demo records about them."""

    number: str
    name: str
    village: str
    living: pb.LivingArrangement.ValueType
    widowed_childless: bool
    left_behind: bool
    special_family: bool
    since: date
    assessment: tuple[pb.CapabilityLevel.ValueType, date] | None
    visits: tuple[date, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        """How a masked listing recognises the elder: masked ID number and name."""
        return mask_id_number(self.number), self.name


def _visit_days(rng: random.Random, since: date, today: date) -> tuple[date, ...]:
    """About one visit a month from ``since``; one in six stopped two to four months ago (overdue)."""
    stop = today - timedelta(days=rng.randint(65, 120)) if rng.random() < 0.16 else today
    days, day = [], since + timedelta(days=rng.randint(3, 25))
    while day <= stop:
        days.append(day)
        day += timedelta(days=rng.randint(20, 33))
    return tuple(days)


def demo_elder(village: str, slot: int, today: date) -> DemoElder:
    """The elder meant for one slot of a village: the same on every run."""
    rng = random.Random(f"elder/{village}/{slot}")
    latest_birth = today.replace(year=today.year - 61)  # safely 60 or over
    number = random_id_number(rng, area_code="330109", born_between=(date(1925, 1, 1), latest_birth))
    living = _pick(rng, LIVING)
    widowed, left_behind, special = rng.random() < 0.08, rng.random() < 0.1, rng.random() < 0.03
    since = today - timedelta(days=rng.randint(30, 400))
    assessment = None
    if rng.random() < 0.35:
        assessment = (_pick(rng, LEVELS), today - timedelta(days=rng.randint(10, 300)))
    level = LEVEL_FROM_PB[assessment[0]] if assessment else None
    situation = Situation(LIVING_FROM_PB[living], widowed, left_behind, special, level)
    visits = _visit_days(rng, since, today) if is_vulnerable(situation) else ()
    return DemoElder(
        number=number,
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        village=village,
        living=living,
        widowed_childless=widowed,
        left_behind=left_behind,
        special_family=special,
        since=since,
        assessment=assessment,
        visits=visits,
    )


def village_elders(village: str, today: date) -> list[DemoElder]:
    """The village's demo elders, each recognisable by (masked number, name)."""
    chosen: dict[tuple[str, str], DemoElder] = {}
    for slot in range(ELDERS_PER_VILLAGE):
        elder = demo_elder(village, slot, today)
        chosen.setdefault(elder.key, elder)  # a (vanishingly rare) look-alike is left out
    return list(chosen.values())


async def _listed(stub: ElderServiceStub, viewer: Metadata, village: str) -> dict[tuple[str, str], pb.Elder]:
    """The elders registered in the village, by (masked number, name)."""
    found: dict[tuple[str, str], pb.Elder] = {}
    token = ""
    while True:
        page = await stub.ListElders(
            pb.ListEldersRequest(
                region_code=village, page=common_pb2.PageRequest(page_size=200, page_token=token)
            ),
            metadata=viewer,
        )
        found.update(((e.id_number, e.name), e) for e in page.elders)
        token = page.page_info.next_page_token
        if not token:
            return found


@dataclass
class Added:
    """What one run added (all zero when the demo was already complete)."""

    elders: int = 0
    assessments: int = 0
    visits: int = 0


async def _complete(
    stub: ElderServiceStub, admin: Metadata, demo: DemoElder, have: pb.Elder | None, added: Added
) -> None:
    """Register the elder if missing, then add the missing assessment and visits."""
    if have is None:
        request = pb.RegisterElderRequest(
            id_number=demo.number,
            name=demo.name,
            region_code=demo.village,
            living_arrangement=demo.living,
            widowed_childless=demo.widowed_childless,
            left_behind=demo.left_behind,
            special_family=demo.special_family,
            phone=f"138{int(demo.number[-8:-1]):08d}",
            contacts=[
                pb.ElderContact(
                    name=demo.name[0] + "小明", relation=pb.CONTACT_RELATION_CHILD, phone="13900139000"
                )
            ],
            situation_since=demo.since.isoformat(),
        )
        try:
            have = await stub.RegisterElder(request, metadata=admin)
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
            log.warning("demo elder %s is registered elsewhere; left alone", mask_id_number(demo.number))
            return
        added.elders += 1
    if demo.assessment is not None and not have.capability_assessed_on:
        level, on = demo.assessment
        await stub.RecordAssessment(
            pb.RecordAssessmentRequest(
                elder_id=have.id,
                level=level,
                assessed_on=on.isoformat(),
                assessor="区老年人能力评估中心评估员",
                organisation="萧山区老年人能力评估中心",
            ),
            metadata=admin,
        )
        added.assessments += 1
    done = date.fromisoformat(have.last_visit_on) if have.last_visit_on else None
    rng = random.Random(f"visits/{demo.number}")
    for day in demo.visits:
        if done is not None and day <= done:
            continue
        await stub.RecordElderVisit(
            pb.RecordElderVisitRequest(
                elder_id=have.id,
                visited_on=day.isoformat(),
                visitor=pb.Visitor(name="网格员", region_code=demo.village),
                findings=rng.choice(FINDINGS),
                risk_level=rng.choice(RISKS),
            ),
            metadata=admin,
        )
        added.visits += 1


async def load(channel: grpc.aio.Channel, codec: TokenCodec, *, today: date) -> None:
    """Add the demo elders, assessments and visits that are not there yet, and log what was added."""
    stub = ElderServiceStub(channel)
    admin = auth_metadata(codec.mint("demo-elders", roles=[Role.ADMIN], regions=[DISTRICT]))
    viewer = auth_metadata(codec.mint("demo-elders-check", roles=[Role.VIEWER], regions=[DISTRICT]))
    tree = RegionTree.xiaoshan()
    villages = [v.code for town in TOWNS for v in tree.villages(town)[:VILLAGES_PER_TOWN]]
    added = Added()

    async def one(village: str) -> None:
        have = await _listed(stub, viewer, village)
        for demo in village_elders(village, today):
            await _complete(stub, admin, demo, have.get(demo.key), added)

    # Villages load concurrently (each in its own fixed order): the calls overlap their round trips.
    await asyncio.gather(*(one(v) for v in villages))
    log.info(
        "eldercare elders demo: %d elders, %d assessments, %d visits added",
        added.elders,
        added.assessments,
        added.visits,
    )
