"""Fixtures and helpers of the relief care contract tests (imported by them; not a conftest).

The real relief service runs in-process on a fresh database (both backends) with a MOVABLE clock and
WITHOUT its job scheduler, so the tests set "now" and run the overdue care scan themselves (as the
scheduler would), on this process, a restarted one or a second replica.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import grpc
import pytest
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import care_pb2 as cpb
from minzheng.relief.v1.applications_pb2_grpc import ApplicationServiceStub
from minzheng.relief.v1.care_pb2_grpc import CareServiceStub
from minzheng.relief.v1.eligibility_pb2_grpc import EligibilityServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub

from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import Settings, load_settings
from services.relief.care_overdue import JOB_NAME, ScanResult
from services.relief.spec import make_spec
from tests.contract.relief.application_support import (
    Apps,
    MovableClock,
    approve,
    dibao_household,
    review,
    submit,
)
from tests.contract.relief.conftest import ADMIN, SECRET, VILLAGE, md

CARE_TABLES = ("relief_visit", "relief_list_item", "audit_log")


def at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def start_process(settings: Settings, clock: MovableClock) -> ServiceProcess:
    """A relief process on ``settings`` with the movable clock and no scheduler."""
    return ServiceProcess(make_spec(clock=clock), settings, schedule_jobs=False)


@dataclass
class Care(Apps):
    """A running relief service with the care stub (and the applications stub to grant households)."""

    care: CareServiceStub = field(default=None)  # type: ignore[assignment]
    settings: Settings = field(default=None)  # type: ignore[assignment]

    async def care_counts(self) -> dict[str, int]:
        """Rows of the care tables and the audit log, read behind the service's back."""
        return {t: len(await self.rows(f"SELECT 1 FROM {t}")) for t in CARE_TABLES}


@pytest.fixture
async def care(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Care]:
    """relief on a fresh database, serving on a free port, its clock movable (from 15 September 2024)."""
    settings = load_settings(
        "relief",
        database_url=database_url,
        nats_url=nats.url,
        grpc_port=0,
        jwt_secret=SECRET,
        environment="test",
        data_dir=tmp_path,
    )
    clock = MovableClock()
    process = start_process(settings, clock)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Care(
            process=process,
            channel=channel,
            households=HouseholdServiceStub(channel),
            eligibility=EligibilityServiceStub(channel),
            database_url=database_url,
            applications=ApplicationServiceStub(channel),
            clock=clock,
            care=CareServiceStub(channel),
            settings=settings,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)


async def granted_household(svc: Care, first_sequence: int, *items: str) -> str:
    """A 低保 household granted on an application for ``items`` (default 低保 alone); its id."""
    household = await dibao_household(svc, first_sequence=first_sequence)
    made = await submit(svc, household.id, *(items or ("dibao",)))
    await review(svc, made.id)
    done = await approve(svc, made.id)
    assert done.state == apb.APPLICATION_STATE_APPROVED
    return household.id


async def visit(
    svc: Care, household_id: str, on: str, *, visitor_region: str = VILLAGE, token: str = ADMIN
) -> cpb.CareVisit:
    """Record a care visit by a worker of ``visitor_region``."""
    request = cpb.RecordVisitRequest(
        household_id=household_id,
        visited_on=on,
        visitor=cpb.CareVisitor(name="陈网格", region_code=visitor_region),
        findings="生活正常",
        needs="冬季衣物",
    )
    return await svc.care.RecordVisit(request, metadata=md(token))


async def list_item(
    svc: Care,
    household_id: str,
    on: str,
    *,
    kind: cpb.ListItemKind.ValueType = cpb.LIST_ITEM_KIND_MATERIAL,
    token: str = ADMIN,
) -> cpb.CareListItem:
    """Record a happiness-list item delivered on ``on``."""
    request = cpb.RecordListItemRequest(
        household_id=household_id, kind=kind, delivered_on=on, delivered_by="湘湖社区慈善工作站", note="米油"
    )
    return await svc.care.RecordListItem(request, metadata=md(token))


async def scan(process: ServiceProcess) -> ScanResult:
    """Run the service's own overdue care scan once (as its scheduler would)."""
    assert process.ctx is not None
    [job] = [j for j in process.spec.jobs(process.ctx) if j.name == JOB_NAME]
    result = await job.run()
    assert isinstance(result, ScanResult)
    return result
