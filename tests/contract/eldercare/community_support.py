"""Fixtures and helpers of the community areas' contract tests (meals, renovation, inspections, caregivers).

The real eldercare service runs in-process with a movable clock (``make_spec(clock=...)``), on both
backends (``database_url``), reached over a real gRPC socket. Elders are inserted straight into the
service's database: these tests are about the community areas, not about registering elders.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa
from minzheng.eldercare.v1 import eldercare_pb2 as epb
from minzheng.eldercare.v1.caregivers_pb2_grpc import CaregiverServiceStub
from minzheng.eldercare.v1.eldercare_pb2_grpc import EldercareServiceStub
from minzheng.eldercare.v1.inspections_pb2_grpc import InspectionServiceStub
from minzheng.eldercare.v1.meals_pb2_grpc import MealServiceStub
from minzheng.eldercare.v1.renovation_pb2_grpc import RenovationServiceStub

from services.eldercare.models import Elder
from services.eldercare.spec import make_spec
from services.kit.auth import Role
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings
from tests.contract.eldercare.conftest import CODEC, DISTRICT, SECRET, TOWN, md

VILLAGE = "330109001001"  # 湘湖社区
VILLAGE_2 = "330109001002"  # 俞家潭社区
OTHER_VILLAGE = "330109002001"
DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
VILLAGE_DIRECTOR = CODEC.mint("director-xianghu", roles=[Role.VILLAGE_DIRECTOR], regions=[VILLAGE])
# 15 June 2025, 10:00 in Shanghai.
START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 15)


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=START)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Community:
    """A running eldercare service, stubs for the community areas, and the service's clock."""

    process: ServiceProcess
    channel: grpc.aio.Channel
    clock: MovableClock

    @property
    def meals(self) -> MealServiceStub:
        """The meal service."""
        return MealServiceStub(self.channel)

    @property
    def renovation(self) -> RenovationServiceStub:
        """The renovation service."""
        return RenovationServiceStub(self.channel)

    @property
    def inspections(self) -> InspectionServiceStub:
        """The inspection service."""
        return InspectionServiceStub(self.channel)

    @property
    def caregivers(self) -> CaregiverServiceStub:
        """The caregiver service."""
        return CaregiverServiceStub(self.channel)

    @property
    def eldercare(self) -> EldercareServiceStub:
        """Institutions and beds."""
        return EldercareServiceStub(self.channel)

    async def count(self, table: str) -> int:
        """Rows in one of the service's tables (to show that nothing was written)."""
        assert self.process.ctx is not None
        async with self.process.ctx.db.read() as session:
            return int((await session.exec(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())  # type: ignore[call-overload]

    async def counts(self, *tables: str) -> dict[str, int]:
        """Rows in each table, plus the audit log and the outbox."""
        return {t: await self.count(t) for t in (*tables, "audit_log", "outbox")}

    async def add_elder(
        self,
        *,
        name: str = "王秀英",
        region: str = VILLAGE,
        sequence: int = 1,
        deceased_on: date | None = None,
    ) -> str:
        """Insert an elder's file straight into the database; its id."""
        assert self.process.ctx is not None
        born = date(1941, 3, 8)
        elder = Elder(
            id=str(uuid.uuid4()),
            id_number=make_id_number(area_code="330109", birth_date=born, sequence=sequence),
            name=name,
            sex="F" if sequence % 2 == 0 else "M",
            birth_date=born,
            region_code=region,
            living_arrangement="alone",
            deceased_on=deceased_on,
            registered_at=START,
            registered_by="test",
            updated_at=START,
        )
        async with self.process.ctx.db.unit_of_work() as session:
            session.add(elder)
        return elder.id

    async def add_institution(self, *, name: str = "城厢街道颐养院", region: str = TOWN) -> str:
        """Register an institution through the API; its id."""
        reply = await self.eldercare.RegisterInstitution(
            epb.RegisterInstitutionRequest(
                name=name, kind=epb.INSTITUTION_KIND_PUBLIC, region_code=region, star_rating=3
            ),
            metadata=md(CODEC.mint("admin", roles=[Role.ADMIN], regions=[DISTRICT])),
        )
        return reply.id


@pytest.fixture
async def community(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Community]:
    """eldercare on a fresh database with a movable clock; jobs run only when a test says so."""
    settings = load_settings(
        "eldercare",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    clock = MovableClock()
    process = ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Community(process, channel, clock)
    finally:
        await channel.close()
        await process.stop(grace_s=1)
