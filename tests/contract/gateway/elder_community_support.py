"""Helpers of the gateway tests for allowances, vouchers and the community areas.

Elders are registered over the service's own gRPC API (ElderService) with an admin token: these tests
are about allowances, meals, renovation, inspections and caregivers, not about registering elders
through GraphQL. The eldercare service in the stack runs on the system clock, so "today" is China's.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import grpc
from minzheng.eldercare.v1 import elders_pb2
from minzheng.eldercare.v1.elders_pb2_grpc import ElderServiceStub
from strawberry.relay.utils import to_base64

from services.kit.auth import Role
from services.kit.grpc_client import auth_metadata
from services.kit.idcard import make_id_number
from services.kit.regions import RegionTree
from tests.contract.gateway.conftest import ADMIN, CODEC, DISTRICT, Stack

CHINA = ZoneInfo("Asia/Shanghai")
DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
_sequence = itertools.count(700)


def today() -> date:
    """The service's today (Asia/Shanghai, system clock)."""
    return datetime.now(CHINA).date()


def villages(town: str) -> list[str]:
    """The packaged village codes of a town (the tree coverage is computed over)."""
    return [v.code for v in RegionTree.xiaoshan().villages(town)]


def town_officer(town: str) -> str:
    """A town officer's token for ``town``."""
    return CODEC.mint(f"officer-{town}", roles=[Role.TOWN_OFFICER], regions=[town])


def elder_gid(elder_id: str) -> str:
    """The global ID of an elder's file."""
    return to_base64("Elder", elder_id)


async def register_elder(
    stack: Stack, region: str, *, born: date = date(1940, 3, 8), name: str = "王秀英"
) -> tuple[str, str]:
    """Register an elder over gRPC; (their file's global ID, their ID number)."""
    id_number = make_id_number(area_code=DISTRICT, birth_date=born, sequence=next(_sequence))
    async with grpc.aio.insecure_channel(stack.eldercare.address) as channel:
        reply = await ElderServiceStub(channel).RegisterElder(
            elders_pb2.RegisterElderRequest(
                id_number=id_number,
                name=name,
                region_code=region,
                living_arrangement=elders_pb2.LIVING_ARRANGEMENT_ALONE,
            ),
            metadata=auth_metadata(ADMIN),
        )
    return elder_gid(reply.id), id_number


def fields_of(body: dict[str, Any]) -> set[str]:
    """The ``extensions.fields[].field`` names of a response's errors."""
    return {
        f["field"] for e in body.get("errors") or [] for f in (e.get("extensions") or {}).get("fields", [])
    }
