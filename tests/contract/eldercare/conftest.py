"""The real eldercare service, started in-process per test, reached over a real gRPC socket.

Each test gets a fresh database on both backends (``database_url``) and the session's nats-server.
Tokens are minted with the secret the service is configured with.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from minzheng.common.v1 import common_pb2
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from sqlalchemy.ext.asyncio import create_async_engine

from services.eldercare.spec import SPEC
from services.kit.auth import Role, TokenCodec
from services.kit.errors import FieldViolation
from services.kit.grpc_client import auth_metadata, field_violations
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings

SECRET = "contract-test-secret-0123456789abcdef"
CODEC = TokenCodec(SECRET)
DISTRICT = "330109"
TOWN = "330109001"  # 城厢街道
OTHER_TOWN = "330109002"  # 北干街道

ADMIN = CODEC.mint("district-admin", roles=[Role.ADMIN], regions=[DISTRICT])
TOWN_OFFICER = CODEC.mint("chengxiang-officer", roles=[Role.TOWN_OFFICER], regions=[TOWN])
OTHER_TOWN_OFFICER = CODEC.mint("beigan-officer", roles=[Role.TOWN_OFFICER], regions=[OTHER_TOWN])
VIEWER = CODEC.mint("cockpit", roles=[Role.VIEWER], regions=[DISTRICT])


@dataclass
class Eldercare:
    """A running eldercare service and a client stub connected to it."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    stub: EldercareServiceStub
    nats_url: str
    database_url: str


@pytest.fixture
async def eldercare(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Eldercare]:
    """eldercare on a fresh database, serving on a free port."""
    settings = load_settings(
        "eldercare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    process = ServiceProcess(SPEC, settings)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Eldercare(
            process=process,
            channel=channel,
            stub=EldercareServiceStub(channel),
            nats_url=nats.url,
            database_url=database_url,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)


def md(token: str) -> tuple[tuple[str, str], ...]:
    """Call metadata carrying a bearer token."""
    return auth_metadata(token)


def elder_id(sequence: int, born: date = date(1941, 3, 8)) -> str:
    """A valid resident ID number of an elder registered in Xiaoshan."""
    return make_id_number(area_code="330109", birth_date=born, sequence=sequence)


def invalid_id() -> str:
    """A well-shaped ID number whose check character is wrong."""
    good = elder_id(1)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


async def rpc_error(call: Awaitable[object]) -> grpc.aio.AioRpcError:
    """The error a call fails with (the test fails if it succeeds)."""
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    return info.value


def violated_fields(error: grpc.aio.AioRpcError) -> set[str]:
    """Fields named in the BadRequest details of an INVALID_ARGUMENT status."""
    found: list[FieldViolation] = field_violations(error)
    return {v.field for v in found}


async def register(
    svc: Eldercare,
    *,
    name: str = "城厢街道颐养院",
    kind: pb.InstitutionKind.ValueType = pb.INSTITUTION_KIND_PUBLIC,
    region: str = TOWN,
    stars: int = 3,
    token: str = ADMIN,
) -> pb.Institution:
    """Register an institution."""
    return await svc.stub.RegisterInstitution(
        pb.RegisterInstitutionRequest(name=name, kind=kind, region_code=region, star_rating=stars),
        metadata=md(token),
    )


async def add_beds(
    svc: Eldercare,
    institution_id: str,
    *,
    bed_type: pb.BedType.ValueType = pb.BED_TYPE_NURSING,
    count: int = 3,
    prefix: str = "",
    token: str = ADMIN,
) -> list[pb.Bed]:
    """Add beds to an institution."""
    reply = await svc.stub.AddBeds(
        pb.AddBedsRequest(institution_id=institution_id, type=bed_type, count=count, label_prefix=prefix),
        metadata=md(token),
    )
    return list(reply.beds)


async def assign(
    svc: Eldercare, bed_id: str, id_number: str, *, name: str = "王秀英", token: str = ADMIN
) -> pb.Bed:
    """Assign a bed to an elder."""
    return await svc.stub.AssignBed(
        pb.AssignBedRequest(bed_id=bed_id, elder_id_number=id_number, elder_name=name), metadata=md(token)
    )


async def release(svc: Eldercare, bed_id: str, *, reason: str = "moved home", token: str = ADMIN) -> pb.Bed:
    """Release a bed."""
    return await svc.stub.ReleaseBed(pb.ReleaseBedRequest(bed_id=bed_id, reason=reason), metadata=md(token))


async def beds_of(svc: Eldercare, *institution_ids: str, token: str = ADMIN) -> dict[str, pb.Bed]:
    """Every bed of the institutions, by id."""
    reply = await svc.stub.ListBeds(
        pb.ListBedsRequest(institution_ids=list(institution_ids)), metadata=md(token)
    )
    return {bed.id: bed for bed in reply.beds}


async def occupancy(svc: Eldercare, region: str = "", *, token: str = ADMIN) -> pb.Occupancy:
    """Occupancy in the token's regions or one region inside them."""
    return await svc.stub.GetOccupancy(pb.GetOccupancyRequest(region_code=region), metadata=md(token))


TABLES = ("institution", "bed", "bed_assignment", "audit_log", "outbox")


async def table_rows(svc: Eldercare) -> dict[str, int]:
    """Rows in each of the service's tables, read straight from its database (not through the service)."""
    engine = create_async_engine(svc.database_url)
    try:
        async with engine.connect() as conn:
            return {
                table: int((await conn.execute(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())
                for table in TABLES
            }
    finally:
        await engine.dispose()


async def written(svc: Eldercare) -> dict[str, int]:
    """Everything a refused call must leave unchanged: institutions as listed, and every table's rows."""
    listed = await svc.stub.ListInstitutions(
        pb.ListInstitutionsRequest(page=common_pb2.PageRequest(page_size=1)), metadata=md(ADMIN)
    )
    return {"listed institutions": listed.page_info.total_count, **await table_rows(svc)}
