"""Demo data through the public gRPC API, so every registration and visit also put its event on the stream.

``python -m services.childwelfare.demo --target 127.0.0.1:50052`` (token in ``MINZHENG_DEMO_TOKEN``); the
launcher runs it after the services are healthy. About 300 children in 12 villages of 6 towns, a
supervisor per town, a director in 10 of the villages (2 are left without one), visits for most
children in the visit programme and some overdue. Running it again adds nothing: supervisors and
directors are re-assigned to the same people (a no-op) and already registered children are skipped.
This month's basic living allowance is paid (once). Then children's homes, town protection
stations and adoptions (``demo_facilities``) and protection cases in every state, one of them an
unanswered report past its 24 h deadline (``demo_cases``).

Visits are recorded by the directors themselves (only the responsible director may record one), with
tokens minted from the platform secret in the environment (``MINZHENG_JWT_SECRET``, as the launcher sets).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
from datetime import UTC, date, datetime, timedelta

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub

from services.childwelfare import demo_cases, demo_facilities
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import random_id_number
from services.kit.logs import setup_logging
from services.kit.periods import china_today
from services.kit.regions import RegionTree
from services.kit.settings import load_settings

log = logging.getLogger(__name__)

TOWNS = ("330109001", "330109002", "330109003", "330109100", "330109106", "330109113")
VILLAGES_PER_TOWN = 2
CHILDREN_PER_VILLAGE = 25
SURNAMES = "王李张陈刘杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = ("小芽", "子涵", "梓萱", "浩然", "雨桐", "一诺", "欣怡", "宇轩", "思远", "佳怡", "俊杰", "可馨")
# Categories roughly as the registry holds them: left-behind children are the largest group.
CATEGORY_WEIGHTS = (
    (pb.PROTECTION_CATEGORY_LEFT_BEHIND, 40),
    (pb.PROTECTION_CATEGORY_DIBAO_FAMILY, 15),
    (pb.PROTECTION_CATEGORY_DIBIAN_FAMILY, 10),
    (pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED, 6),
    (pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED, 8),
    (pb.PROTECTION_CATEGORY_DISABLED_IN_DIFFICULTY, 8),
    (pb.PROTECTION_CATEGORY_PARENT_DEPRIVED_OF_LIBERTY, 5),
    (pb.PROTECTION_CATEGORY_OTHER, 3),
)
VISITED = (
    pb.PROTECTION_CATEGORY_LEFT_BEHIND,
    pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED,
    pb.PROTECTION_CATEGORY_DE_FACTO_UNATTENDED,
)
GUARDIAN_RELATIONS = (
    pb.GUARDIAN_RELATION_GRANDPARENT,
    pb.GUARDIAN_RELATION_MOTHER,
    pb.GUARDIAN_RELATION_FATHER,
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _visit_days(rng: random.Random, since: date, today: date) -> list[date]:
    """Monthly visits from the category start; about one child in six stopped being visited months ago."""
    stop = today - timedelta(days=rng.randint(65, 120)) if rng.random() < 0.16 else today
    days, day = [], since + timedelta(days=rng.randint(3, 20))
    while day <= stop:
        days.append(day)
        day += timedelta(days=rng.randint(20, 31))
    return days


async def _register_village(
    stub: ChildWelfareServiceStub,
    admin: tuple[tuple[str, str], ...],
    director: str | None,
    village: str,
    visitor: tuple[tuple[str, str], ...] | None,
    today: date,
) -> int:
    # The same village always gets the same children (births drawn against 1 January of this year), and
    # every draw happens whether or not the child is new, so a re-run walks the same sequence.
    rng = random.Random(village)
    categories, weights = zip(*CATEGORY_WEIGHTS, strict=True)
    new_year = date(today.year, 1, 1)
    added = 0
    for _ in range(CHILDREN_PER_VILLAGE):
        number = random_id_number(
            rng, born_between=(new_year - timedelta(days=16 * 365), new_year - timedelta(days=365))
        )
        category = rng.choices(categories, weights)[0]
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        since = max(today - timedelta(days=rng.randint(60, 400)), born)
        guardian = pb.Guardian(
            name=_name(rng),
            relation=rng.choice(GUARDIAN_RELATIONS),
            contact=f"13{rng.randint(0, 999999999):09d}",
            is_primary=True,
        )
        name = _name(rng)
        days = _visit_days(rng, since, today)
        risks = [pb.RISK_LEVEL_HIGH if rng.random() < 0.05 else pb.RISK_LEVEL_LOW for _ in days]
        try:
            child = await stub.RegisterChild(
                pb.RegisterChildRequest(
                    id_number=number,
                    name=name,
                    region_code=village,
                    category=category,
                    category_since=since.isoformat(),
                    guardians=[guardian],
                ),
                metadata=admin,
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
            continue
        added += 1
        if visitor is None or category not in VISITED:
            continue
        for day, risk in zip(days, risks, strict=True):
            await stub.RecordVisit(
                pb.RecordVisitRequest(
                    child_id=child.id,
                    visited_on=day.isoformat(),
                    living_conditions="居住环境整洁",
                    schooling="正常上学",
                    guardianship="监护人在家",
                    notes=f"{director} 月探访",
                    risk_level=risk,
                ),
                metadata=visitor,
            )
    return added


async def load_demo(stub: ChildWelfareServiceStub, token: str, codec: TokenCodec) -> int:
    """Assign the network, register the demo children and their visits; returns how many children were new."""
    admin = auth_metadata(token)
    tree = RegionTree.xiaoshan()
    today = china_today(datetime.now(UTC))
    villages: list[tuple[str, str | None, tuple[tuple[str, str], ...] | None]] = []
    for town in TOWNS:
        await stub.AssignSupervisor(
            pb.AssignSupervisorRequest(
                region_code=town, subject=f"supervisor-{town}", name=f"{tree.get(town).name}督导员"
            ),
            metadata=admin,
        )
        for i, village in enumerate(tree.villages(town)[:VILLAGES_PER_TOWN]):
            # The second village of the first two towns has no director: the "no director" list shows them.
            director = None if (i == 1 and town in TOWNS[:2]) else f"director-{village.code}"
            visitor = None
            if director is not None:
                await stub.AssignDirector(
                    pb.AssignDirectorRequest(
                        region_code=village.code, subject=director, name=f"{village.name}儿童主任"
                    ),
                    metadata=admin,
                )
                visitor = auth_metadata(
                    codec.mint(director, roles=[Role.VILLAGE_DIRECTOR], regions=[village.code])
                )
            villages.append((village.code, director, visitor))

    async def one(village: str, director: str | None, visitor: tuple[tuple[str, str], ...] | None) -> int:
        n = await _register_village(stub, admin, director, village, visitor, today)
        log.info("%s: %d children added", tree.name_path(village), n)
        return n

    # Villages load concurrently (each in its own fixed order): the calls overlap their round trips.
    added = sum(await asyncio.gather(*(one(*v) for v in villages)))
    log.info("childwelfare demo: %d children added", added)
    await _pay_this_month(stub, admin, today)
    return added


async def _pay_this_month(
    stub: ChildWelfareServiceStub, admin: tuple[tuple[str, str], ...], today: date
) -> None:
    """Run this month's allowance unless a run of it finished (the job would, an interval after start)."""
    period = f"{today.year:04d}-{today.month:02d}"
    runs = await stub.ListAllowanceRuns(pb.ListAllowanceRunsRequest(period=period), metadata=admin)
    if any(r.HasField("finished_at") for r in runs.runs):
        return
    run = await stub.RunAllowances(pb.RunAllowancesRequest(period=period), metadata=admin)
    log.info("childwelfare demo: allowances for %s paid to %d children", period, run.paid_count)


async def _run(target: str, token: str) -> None:
    settings = load_settings("childwelfare")
    codec = TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    async with grpc.aio.insecure_channel(target) as channel:
        await load_demo(ChildWelfareServiceStub(channel), token, codec)
        # Facilities and cases need the villages and towns above; each loader is idempotent on its own.
        today = china_today(datetime.now(UTC))
        await demo_facilities.load(channel, codec, today=today)
        await demo_cases.load(channel, codec, today=today)


def main() -> None:
    """Load the demo into the child welfare service at ``--target``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="127.0.0.1:50052", help="childwelfare gRPC host:port")
    args = parser.parse_args()
    token = os.environ.get("MINZHENG_DEMO_TOKEN", "")
    if not token:
        raise SystemExit("MINZHENG_DEMO_TOKEN is not set (the launcher sets it; or use `minzheng token`)")
    setup_logging("childwelfare-demo", "INFO", "text")
    asyncio.run(_run(args.target, token))


if __name__ == "__main__":
    main()
