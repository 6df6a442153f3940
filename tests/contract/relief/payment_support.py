"""Helpers of the relief payment contract tests (imported by them; not a conftest).

Grants are made as officers make them (submit, review, approve over gRPC); the month's
re-classification is written straight into its tables (a finished ``relief_classification_run`` and
its ``relief_assessment`` rows), standing in for the set-based run so a test decides what it says.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import households_pb2 as pb
from minzheng.relief.v1 import payments_pb2 as ppb
from minzheng.relief.v1.payments_pb2_grpc import PaymentServiceStub
from sqlmodel import select

from services.relief.models import (
    ReliefAssessment,
    ReliefClassificationRun,
    ReliefStandardsSnapshot,
)
from tests.contract.relief.application_support import Apps, approve, review, submit
from tests.contract.relief.conftest import ADMIN, VILLAGE, income, md, person, register

PAID = "civic.relief.assistance-paid.v1"


def at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``, as the service's clock reads it."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def stub(svc: Apps) -> PaymentServiceStub:
    """The PaymentService on the service's channel."""
    return PaymentServiceStub(svc.channel)


async def lone_dibao(
    svc: Apps, sequence: int, *, region: str = VILLAGE, reviewer: str
) -> tuple[pb.Household, apb.Grant]:
    """A one-person household living on 500 yuan a month, granted 低保 from today (the clock's day)."""
    household = await register(svc, person(sequence, name="独居"), region=region)
    await income(svc, household.id, household.members[0].person_id, 12 * 50_000)
    made = await submit(svc, household.id, "dibao", token=reviewer)
    await review(svc, made.id, token=reviewer)
    (grant,) = (await approve(svc, made.id)).grants
    return household, grant


async def run(svc: Apps, period: str = "", *, token: str = ADMIN) -> ppb.PaymentRun:
    """RunPayments for the month (default the current one)."""
    return await stub(svc).RunPayments(ppb.RunPaymentsRequest(period=period), metadata=md(token))


async def ledger(svc: Apps, household_id: str, *, token: str = ADMIN, page_size: int = 0) -> ppb.Ledger:
    """GetLedger, first page."""
    request = ppb.GetLedgerRequest(household_id=household_id)
    request.page.page_size = page_size
    return await stub(svc).GetLedger(request, metadata=md(token))


async def paid(svc: Apps, household_id: str) -> list[tuple[str, str, int, str]]:
    """(period, programme, fen, basis) of the household's payments, read behind the service's back."""
    rows = await svc.rows(
        "SELECT period, programme, amount_fen, basis FROM relief_payment "
        f"WHERE household_id = '{household_id}' ORDER BY period, programme"
    )
    return [(str(p), str(g), int(str(f)), str(b)) for p, g, f, b in rows]


@dataclass(frozen=True)
class Assessed:
    """What the month's re-classification says of one household."""

    household_id: str
    region_code: str
    classification: str
    amount_fen: int


async def classified(svc: Apps, period: str, *assessed: Assessed, dibao_fen: int = 110_200) -> str:
    """A finished re-classification of ``period`` saying ``assessed`` (the standards of its first day)."""
    assert svc.process.ctx is not None
    first = date.fromisoformat(f"{period}-01")
    now = svc.clock.now
    snapshot = json.dumps({"dibao_monthly_fen": dibao_fen, "day": first.isoformat()})
    standards_id = str(uuid.uuid5(uuid.NAMESPACE_URL, snapshot))
    async with svc.process.ctx.db.unit_of_work() as session:
        if await session.get(ReliefStandardsSnapshot, standards_id) is None:
            session.add(
                ReliefStandardsSnapshot(
                    id=standards_id,
                    region_code="330109",
                    day=first,
                    dibao_monthly_fen=dibao_fen,
                    tekun_monthly_fen=dibao_fen * 13 // 10,
                    snapshot=snapshot,
                    created_at=now,
                )
            )
        runs = (
            await session.exec(
                select(ReliefClassificationRun.id).where(ReliefClassificationRun.period == period)
            )
        ).all()
        run = ReliefClassificationRun(
            id=str(uuid.uuid4()),
            period=period,
            sequence=len(runs) + 1,
            started_at=now,
            finished_at=now,
            started_by="test",
            households=len(assessed),
        )
        session.add(run)
        await session.flush()
        for a in assessed:
            session.add(
                ReliefAssessment(
                    run_id=run.id,
                    household_id=a.household_id,
                    period=period,
                    region_code=a.region_code,
                    classification=a.classification,
                    amount_fen=a.amount_fen,
                    members=1,
                    household_monthly_income_fen=50_000,
                    assets_fen=0,
                    standards_id=standards_id,
                    engine="test",
                    assessed_at=now,
                )
            )
    return run.id
