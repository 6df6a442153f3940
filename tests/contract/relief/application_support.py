"""Fixtures and helpers of the relief applications contract tests (imported by them; not a conftest).

The real relief service runs in-process on a fresh database (both backends) with a MOVABLE clock (the
re-check worklist moves it a year on), reached over a real gRPC socket; a watcher reads what the relay
publishes on civic.relief.> from the session's nats-server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import grpc
import nats
import pytest
import sqlalchemy as sa
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1.applications_pb2_grpc import ApplicationServiceStub
from minzheng.relief.v1.eligibility_pb2_grpc import EligibilityServiceStub
from minzheng.relief.v1.households_pb2_grpc import HouseholdServiceStub
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from sqlalchemy.ext.asyncio import create_async_engine

from services.kit.auth import Role
from services.kit.local_nats import LocalNats
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings
from services.relief.spec import make_spec
from tests.contract.relief.conftest import (
    CODEC,
    DISTRICT,
    NOW,
    OTHER_TOWN,
    SECRET,
    TOWN,
    Relief,
    income,
    md,
    person,
    register,
)

TOWN_REVIEWER = CODEC.mint("chengxiang-officer", roles=[Role.TOWN_OFFICER], regions=[TOWN])
OTHER_TOWN_OFFICER = CODEC.mint("beigan-officer", roles=[Role.TOWN_OFFICER], regions=[OTHER_TOWN])
DISTRICT_OFFICER = CODEC.mint("district-officer", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
DISTRICT_OFFICER_2 = CODEC.mint("district-officer-2", roles=[Role.DISTRICT_OFFICER], regions=[DISTRICT])
APP_TABLES = ("relief_application", "relief_application_step", "assistance_grant", "outbox", "audit_log")


@dataclass
class MovableClock:
    """The service's clock; tests set ``now``."""

    now: datetime = field(default=NOW)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Apps(Relief):
    """A running relief service with the applications stub and its movable clock."""

    applications: ApplicationServiceStub = field(default=None)  # type: ignore[assignment]
    clock: MovableClock = field(default_factory=MovableClock)

    async def execute(self, sql: str) -> None:
        """Change the service's database behind its back (e.g. a row imported without a commitment)."""
        engine = create_async_engine(self.database_url)
        try:
            async with engine.begin() as conn:
                await conn.execute(sa.text(sql))
        finally:
            await engine.dispose()

    async def app_counts(self) -> dict[str, int]:
        """Rows of the application tables, the outbox and the audit log, read behind the service's back."""
        return {t: len(await self.rows(f"SELECT 1 FROM {t}")) for t in APP_TABLES}


@pytest.fixture
async def apps(database_url: str, nats: LocalNats, tmp_path: Path) -> AsyncIterator[Apps]:
    """relief on a fresh database, serving on a free port, its clock movable (from ``NOW``)."""
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
    process = ServiceProcess(make_spec(clock=clock), settings)
    await process.start()
    channel = grpc.aio.insecure_channel(process.address)
    try:
        yield Apps(
            process=process,
            channel=channel,
            households=HouseholdServiceStub(channel),
            eligibility=EligibilityServiceStub(channel),
            database_url=database_url,
            applications=ApplicationServiceStub(channel),
            clock=clock,
        )
    finally:
        await channel.close()
        await process.stop(grace_s=1)


class Watcher:
    """Every new message on civic.relief.> since the watcher started (kept until asked for)."""

    def __init__(self, sub: JetStreamContext.PushSubscription) -> None:
        self._sub = sub
        self._kept: list[dict[str, Any]] = []

    async def until(self, ce_type: str, subject: str) -> dict[str, Any]:
        """The event of the type about the subject (read until it arrives); its CloudEvent body."""
        for body in self._kept:
            if body["type"] == ce_type and body.get("subject") == subject:
                self._kept.remove(body)
                return body
        while True:
            msg = await self._sub.next_msg(timeout=10)
            body = dict(json.loads(msg.data))
            if body["type"] == ce_type and body.get("subject") == subject:
                return body
            self._kept.append(body)


@pytest.fixture
async def watch(apps: Apps) -> AsyncIterator[Watcher]:
    """A watcher of relief's events from now on."""
    nc = await nats.connect(apps.process.settings.nats_url)
    sub = await nc.jetstream().subscribe(
        "civic.relief.>", ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    try:
        yield Watcher(sub)
    finally:
        await sub.unsubscribe()
        await nc.close()


async def dibao_household(
    svc: Apps, *, first_sequence: int = 101, region: str = "330109001001"
) -> pb.Household:
    """A head and a school-age child living on 1,000 yuan a month: 低保 in September 2024 (1102.00)."""
    household = await register(
        svc,
        person(first_sequence, name="李明"),
        person(first_sequence + 1, born=date(2015, 3, 2), relation=pb.RELATION_CHILD, name="李小红"),
        region=region,
    )
    await income(svc, household.id, household.members[0].person_id, 12 * 100_000)
    return household


def commitment(signer: str = "李明", day: str = "2024-09-14") -> apb.CreditCommitment:
    """A signed 守信承诺."""
    return apb.CreditCommitment(signed_by=signer, signed_on=day)


async def submit(
    svc: Apps, household_id: str, *items: str, token: str = TOWN_REVIEWER, signed: bool = True
) -> apb.Application:
    """Submit an application for the items (default 低保 and medical relief)."""
    request = apb.SubmitApplicationRequest(
        household_id=household_id, items=list(items or ("dibao", "medical"))
    )
    if signed:
        request.commitment.CopyFrom(commitment())
    return await svc.applications.SubmitApplication(request, metadata=md(token))


async def review(svc: Apps, application_id: str, *, token: str = TOWN_REVIEWER) -> apb.Application:
    """The town's review."""
    return await svc.applications.ReviewApplication(
        apb.ReviewApplicationRequest(id=application_id, note="家访核实"), metadata=md(token)
    )


async def approve(svc: Apps, application_id: str, *, token: str = DISTRICT_OFFICER) -> apb.Application:
    """The district's approval."""
    return await svc.applications.ApproveApplication(
        apb.ApproveApplicationRequest(id=application_id), metadata=md(token)
    )


async def reject(
    svc: Apps, application_id: str, reason: str = "收入超标", *, token: str = DISTRICT_OFFICER
) -> apb.Application:
    """The district's rejection."""
    return await svc.applications.RejectApplication(
        apb.RejectApplicationRequest(id=application_id, reason=reason), metadata=md(token)
    )


async def granted(svc: Apps) -> apb.Application:
    """A 低保 household's application submitted, reviewed and approved."""
    household = await dibao_household(svc)
    made = await submit(svc, household.id)
    await review(svc, made.id)
    return await approve(svc, made.id)


async def outbox(svc: Apps, ce_type: str) -> list[tuple[object, ...]]:
    """(id, subject, region, data) of the outbox rows of a type."""
    return await svc.rows(f"SELECT id, subject, region, data FROM outbox WHERE type = '{ce_type}'")
