"""The real child welfare service, started in-process per test, reached over a real gRPC socket.

Each test gets a fresh database on both backends (``database_url``) and the session's nats-server.
The service's clock is a ``MovableClock`` injected through ``make_spec(clock=...)``: tests set "now".
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub

from services.childwelfare.spec import make_spec
from services.kit.auth import Role, TokenCodec
from services.kit.grpc_client import auth_metadata, field_violations
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings

SECRET = "contract-test-secret-0123456789abcdef"
CODEC = TokenCodec(SECRET)
DISTRICT = "330109"
TOWN = "330109001"  # 城厢街道
VILLAGE = "330109001001"  # 湘湖社区
VILLAGE_2 = "330109001002"  # 俞家潭社区
OTHER_TOWN = "330109002"  # 北干街道
OTHER_VILLAGE = "330109002001"  # 江南星城社区

ADMIN = CODEC.mint("district-admin", roles=[Role.ADMIN], regions=[DISTRICT])
TOWN_OFFICER = CODEC.mint("chengxiang-officer", roles=[Role.TOWN_OFFICER], regions=[TOWN])
OTHER_TOWN_OFFICER = CODEC.mint("beigan-officer", roles=[Role.TOWN_OFFICER], regions=[OTHER_TOWN])
SUPERVISOR = CODEC.mint("supervisor-cx", roles=[Role.TOWN_OFFICER], regions=[TOWN])
DIRECTOR = CODEC.mint("director-xianghu", roles=[Role.VILLAGE_DIRECTOR], regions=[VILLAGE])
NEW_DIRECTOR = CODEC.mint("director-xianghu-2", roles=[Role.VILLAGE_DIRECTOR], regions=[VILLAGE])
DIRECTOR_2 = CODEC.mint("director-yujiatan", roles=[Role.VILLAGE_DIRECTOR], regions=[VILLAGE_2])
VIEWER = CODEC.mint("cockpit", roles=[Role.VIEWER], regions=[DISTRICT])

# 15 June 2025, 10:00 in Shanghai.
START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ChildWelfare:
    """A running child welfare service, a client stub connected to it, and its clock."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    stub: ChildWelfareServiceStub
    clock: MovableClock
    nats_url: str

    async def count(self, table: str) -> int:
        """Rows in one of the service's tables (to show that nothing was written)."""
        assert self.process.ctx is not None
        async with self.process.ctx.db.read() as session:
            return int((await session.exec(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())  # type: ignore[call-overload]


@pytest.fixture
async def cw(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[ChildWelfare]:
    """childwelfare on a fresh database, serving on a free port, with a movable clock."""
    settings = load_settings(
        "childwelfare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    clock = MovableClock()
    # Jobs run when a test says so (it moves the clock first), never on the service's own schedule.
    process = ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield ChildWelfare(process, channel, ChildWelfareServiceStub(channel), clock, nats.url)
    finally:
        await channel.close()
        await process.stop(grace_s=1)


def md(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata carrying a bearer token."""
    return auth_metadata(token)


def child_number(sequence: int, born: date = date(2015, 5, 1)) -> str:
    """A valid resident ID number of a child born in Xiaoshan."""
    return make_id_number(area_code="330109", birth_date=born, sequence=sequence)


async def rpc_error(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    """The error a call fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    return info.value


def violated_fields(error: grpc.aio.AioRpcError) -> set[str]:
    """Fields named in the BadRequest details of an INVALID_ARGUMENT status."""
    return {v.field for v in field_violations(error)}


async def register(
    svc: ChildWelfare,
    id_number: str,
    *,
    name: str = "萧小芽",
    region: str = VILLAGE,
    category: pb.ProtectionCategory.ValueType = pb.PROTECTION_CATEGORY_LEFT_BEHIND,
    since: str = "",
    guardians: list[pb.Guardian] | None = None,
    token: str = ADMIN,
) -> pb.Child:
    """Register a child."""
    return await svc.stub.RegisterChild(
        pb.RegisterChildRequest(
            id_number=id_number,
            name=name,
            region_code=region,
            category=category,
            category_since=since,
            guardians=guardians or [],
        ),
        metadata=md(token),
    )


async def assign_director(
    svc: ChildWelfare, village: str, subject: str, *, name: str = "李主任", token: str = ADMIN
) -> pb.NetworkMember:
    """Make ``subject`` the village's child director."""
    return await svc.stub.AssignDirector(
        pb.AssignDirectorRequest(region_code=village, subject=subject, name=name, contact="13800000000"),
        metadata=md(token),
    )


async def visit(
    svc: ChildWelfare,
    child_id: str,
    on: str,
    *,
    token: str = DIRECTOR,
    risk: pb.RiskLevel.ValueType = pb.RISK_LEVEL_LOW,
) -> pb.Visit:
    """Record a home visit."""
    return await svc.stub.RecordVisit(
        pb.RecordVisitRequest(
            child_id=child_id,
            visited_on=on,
            living_conditions="clean, heated",
            schooling="attends grade 4",
            guardianship="grandmother present",
            risk_level=risk,
            notes="",
        ),
        metadata=md(token),
    )


async def children(svc: ChildWelfare, *, token: str = ADMIN, **filters: object) -> list[pb.Child]:
    """Every child the token sees with the filters, across pages."""
    found: list[pb.Child] = []
    page_token = ""
    while True:
        reply = await svc.stub.ListChildren(
            pb.ListChildrenRequest(**filters, page={"page_size": 2, "page_token": page_token}),  # type: ignore[arg-type]
            metadata=md(token),
        )
        found.extend(reply.children)
        page_token = reply.page_info.next_page_token
        if not page_token:
            return found
