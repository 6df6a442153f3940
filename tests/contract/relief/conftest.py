"""The real relief service, started in-process per test, reached over a real gRPC socket.

Each test gets a fresh database on both backends (``database_url``) and the session's nats-server.
The service's clock stands still on 15 September 2024 (Shanghai), so the packaged standards of
2021–2024 are in force (低保 1102.00 yuan a month) and a month's income window is predictable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1.eligibility_pb2_grpc import EligibilityServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub
from sqlalchemy.ext.asyncio import create_async_engine

from services.kit.auth import Role, TokenCodec
from services.kit.errors import FieldViolation
from services.kit.grpc_client import auth_metadata, field_violations
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings
from services.relief.spec import make_spec

SECRET = "contract-test-secret-0123456789abcdef"
CODEC = TokenCodec(SECRET)
NOW = datetime(2024, 9, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2024, 9, 15)
DISTRICT = "330109"
TOWN = "330109001"  # 城厢街道
OTHER_TOWN = "330109002"  # 北干街道
VILLAGE = "330109001001"  # 湘湖社区, in TOWN
VILLAGE_2 = "330109001002"  # 俞家潭社区, in TOWN
OTHER_VILLAGE = "330109002001"  # 江南星城社区, in OTHER_TOWN

ADMIN = CODEC.mint("district-admin", roles=[Role.ADMIN], regions=[DISTRICT])
TOWN_OFFICER = CODEC.mint("chengxiang-officer", roles=[Role.TOWN_OFFICER], regions=[TOWN])
OTHER_TOWN_OFFICER = CODEC.mint("beigan-officer", roles=[Role.TOWN_OFFICER], regions=[OTHER_TOWN])
VIEWER = CODEC.mint("cockpit", roles=[Role.VIEWER], regions=[DISTRICT])
TOWN_VIEWER = CODEC.mint("chengxiang-viewer", roles=[Role.VIEWER], regions=[TOWN])

TABLES = ("household", "person", "membership", "person_identity_digest", "income", "asset", "audit_log")


@dataclass
class Relief:
    """A running relief service, its stubs and a way to count rows behind its back."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    households: HouseholdServiceStub
    eligibility: EligibilityServiceStub
    database_url: str

    async def counts(self) -> dict[str, int]:
        """Rows in each of the service's tables, read straight from its database (not through the service)."""
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                return {
                    t: int((await conn.execute(sa.text(f"SELECT count(*) FROM {t}"))).scalar_one())
                    for t in TABLES
                }
        finally:
            await engine.dispose()

    async def rows(self, sql: str) -> list[tuple[object, ...]]:
        """Rows of a query run straight on the service's database."""
        engine = create_async_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                return [tuple(r) for r in (await conn.execute(sa.text(sql))).all()]
        finally:
            await engine.dispose()


@pytest.fixture
async def relief(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Relief]:
    """relief on a fresh database, serving on a free port, its clock on ``NOW``."""
    settings = load_settings(
        "relief",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    process = ServiceProcess(make_spec(clock=lambda: NOW), settings)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Relief(
            process=process,
            channel=channel,
            households=HouseholdServiceStub(channel),
            eligibility=EligibilityServiceStub(channel),
            database_url=database_url,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)


def md(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata carrying a bearer token."""
    return auth_metadata(token)


def id_number(sequence: int, born: date = date(1980, 5, 1)) -> str:
    """A valid resident ID number of someone born in Xiaoshan."""
    return make_id_number(area_code="330109", birth_date=born, sequence=sequence)


def invalid_id() -> str:
    """A well-shaped ID number whose check character is wrong."""
    good = id_number(1)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


def person(
    sequence: int,
    *,
    born: date = date(1980, 5, 1),
    relation: pb.Relation.ValueType = pb.RELATION_HEAD,
    name: str = "王建国",
    capacity: pb.LabourCapacity.ValueType = pb.LABOUR_CAPACITY_FULL,
    disability: int = 0,
    employed: bool = False,
) -> pb.PersonInput:
    """A person to put in a household."""
    return pb.PersonInput(
        id_number=id_number(sequence, born),
        name=name,
        relation=relation,
        disability_grade=disability,
        labour_capacity=capacity,
        employed=employed,
    )


async def register(
    svc: Relief,
    *members: pb.PersonInput,
    region: str = VILLAGE,
    since: str = "2020-01-01",
    token: str = ADMIN,
) -> pb.Household:
    """Register a household with the members (the first is the head unless they say otherwise)."""
    return await svc.households.RegisterHousehold(
        pb.RegisterHouseholdRequest(
            region_code=region, address="湘湖路1号", members=list(members), since=since
        ),
        metadata=md(token),
    )


async def income(
    svc: Relief,
    household_id: str,
    person_id: str,
    amount_fen: int,
    start: str = "2023-09-01",
    end: str = "2024-08-31",
    *,
    kind: pb.IncomeKind.ValueType = pb.INCOME_KIND_WAGES,
    token: str = ADMIN,
) -> pb.Income:
    """Record an income (by default over the 12 months before September 2024)."""
    return await svc.households.RecordIncome(
        pb.RecordIncomeRequest(
            household_id=household_id,
            person_id=person_id,
            kind=kind,
            amount_fen=amount_fen,
            period_start=start,
            period_end=end,
        ),
        metadata=md(token),
    )


async def get(svc: Relief, household_id: str, *, token: str = ADMIN) -> pb.Household:
    """Read a household by id."""
    return await svc.households.GetHousehold(pb.GetHouseholdRequest(id=household_id), metadata=md(token))


async def rpc_error(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    """The error a call fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    return info.value


def violated_fields(error: grpc.aio.AioRpcError) -> set[str]:
    """Fields named in the BadRequest details of an INVALID_ARGUMENT status."""
    found: list[FieldViolation] = field_violations(error)
    return {v.field for v in found}
