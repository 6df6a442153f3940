"""Monthly payments over gRPC (issue 6 item 5): once per household, programme and month whatever happens,
the amount the month's re-classification confirms, a ledger per household, who may run and read. Both
databases."""

# The fixtures come from application_support (not a conftest), so test parameters shadow their imports.
# ruff: noqa: F811

from __future__ import annotations

from datetime import date

import grpc
import pytest
from minzheng.relief.v1 import applications_pb2 as apb
from minzheng.relief.v1 import eligibility_pb2 as epb
from minzheng.relief.v1 import payments_pb2 as ppb

from services.kit.periods import Month
from services.relief import payment_job, payments
from services.relief.standards import load_standards
from tests.contract.relief.application_support import (  # noqa: F401  (fixtures)
    DISTRICT_OFFICER,
    OTHER_TOWN_OFFICER,
    TOWN_REVIEWER,
    Apps,
    Watcher,
    apps,
    watch,
)
from tests.contract.relief.conftest import (
    ADMIN,
    OTHER_VILLAGE,
    VIEWER,
    VILLAGE,
    VILLAGE_2,
    md,
    rpc_error,
    violated_fields,
)
from tests.contract.relief.payment_support import (
    PAID,
    Assessed,
    at,
    classified,
    ledger,
    lone_dibao,
    paid,
    run,
    stub,
)


async def test_each_open_grant_is_paid_once_a_month_and_a_rerun_pays_nobody_twice(
    apps: Apps, watch: Watcher
) -> None:
    one, g1 = await lone_dibao(apps, 401, reviewer=TOWN_REVIEWER)
    two, g2 = await lone_dibao(apps, 402, region=VILLAGE_2, reviewer=TOWN_REVIEWER)
    # Run ids (so event ids) are the same for a month's n-th run in every database, and the session's
    # stream drops a repeated id as a duplicate: this test pays a month no other test pays, per backend.
    month = date(2025, 2, 15) if apps.database_url.startswith("postgresql") else date(2025, 1, 15)
    period = month.isoformat()[:7]
    apps.clock.now = at(month)
    first = await run(apps, period)
    assert (first.sequence, first.paid_count, first.reported_count) == (1, 2, 2)
    assert first.paid_fen == g1.monthly_amount_fen + g2.monthly_amount_fen > 0
    assert first.event_published and first.classification_run_id == ""
    assert [(t.programme, t.households, t.amount_fen) for t in first.paid_by_programme] == [
        (epb.CLASSIFICATION_DIBAO, 2, first.paid_fen)
    ]
    # No re-classification of the month has run: each is paid the amount its grant was decided on.
    assert await paid(apps, one.id) == [(period, "dibao", g1.monthly_amount_fen, "grant")]

    body = await watch.until(PAID, period)
    assert body["id"] == first.id
    data = body["data"]
    assert data["households_paid"] == 2 and data["amount_fen"] == first.paid_fen
    assert data["by_programme"] == [
        {
            "programme": "dibao",
            "households": 2,
            "amount_fen": first.paid_fen,
            "on_assessment": 0,
            "on_grant": 2,
        }
    ]
    assert data["month_households_paid"] == 2 and data["classification_run_id"] is None
    assert "household_id" not in str(data) and one.id not in str(data)

    again = await run(apps)  # the current month
    assert (again.sequence, again.paid_count, again.reported_count, again.event_published) == (2, 0, 0, False)
    assert len(await apps.rows("SELECT 1 FROM relief_payment")) == 2
    assert len(await apps.rows(f"SELECT 1 FROM outbox WHERE type = '{PAID}'")) == 1

    book = await ledger(apps, two.id)
    assert [(p.period, p.programme, p.amount_fen, p.basis) for p in book.payments] == [
        (period, epb.CLASSIFICATION_DIBAO, g2.monthly_amount_fen, ppb.PAYMENT_BASIS_GRANT)
    ]
    assert book.paid_count == 1 and book.paid_fen == g2.monthly_amount_fen and not book.overpayments


async def test_a_run_that_crashed_is_completed_once_by_the_next_whose_summary_reports_both(
    apps: Apps,
) -> None:
    households = [(await lone_dibao(apps, 410 + i, reviewer=TOWN_REVIEWER))[0] for i in range(3)]
    assert apps.process.ctx is not None

    def crash(chunks: int) -> None:
        raise RuntimeError("the process died after a chunk")

    with pytest.raises(RuntimeError):
        await payments.run_payments(
            apps.process.ctx.db,
            month=Month(2024, 9),
            now=apps.clock.now,
            actor="test",
            chunk_size=1,
            after_chunk=crash,
        )
    assert len(await apps.rows("SELECT 1 FROM relief_payment")) == 1  # the committed chunk is kept
    assert await apps.rows(f"SELECT 1 FROM outbox WHERE type = '{PAID}'") == []

    done = await run(apps, "2024-09")
    assert (done.sequence, done.paid_count, done.reported_count) == (2, 2, 3)
    for household in households:
        assert len(await paid(apps, household.id)) == 1
    (data,) = [r[0] for r in await apps.rows(f"SELECT data FROM outbox WHERE type = '{PAID}'")]
    assert '"households_paid":3' in str(data).replace(" ", "")
    assert (await run(apps, "2024-09")).paid_count == 0


async def test_a_grant_suspended_from_the_10th_is_paid_that_month_and_not_the_next(apps: Apps) -> None:
    household, grant = await lone_dibao(apps, 420, reviewer=TOWN_REVIEWER)
    await run(apps, "2024-09")
    apps.clock.now = at(date(2024, 10, 10))
    await apps.applications.SuspendGrant(
        apb.SuspendGrantRequest(id=grant.id, reason="外出务工，收入待核", effective_from="2024-10-10"),
        metadata=md(DISTRICT_OFFICER),
    )
    assert (await run(apps, "2024-10")).paid_count == 1
    apps.clock.now = at(date(2024, 11, 15))
    assert (await run(apps, "2024-11")).paid_count == 0
    assert [p[0] for p in await paid(apps, household.id)] == ["2024-09", "2024-10"]


async def test_a_standard_raised_from_a_month_changes_that_months_amount_and_no_earlier_one(
    apps: Apps,
) -> None:
    household, grant = await lone_dibao(apps, 430, reviewer=TOWN_REVIEWER)
    other, other_grant = await lone_dibao(apps, 431, reviewer=TOWN_REVIEWER)
    await run(apps, "2024-09")
    apps.clock.now = at(date(2024, 10, 15))
    # October's re-classification under a standard raised from 1 October: 低保 confirmed at a higher
    # amount for one household; the other now falls in 低边 (disagrees with its grant).
    raised = grant.monthly_amount_fen + 5_000
    crun = await classified(
        apps,
        "2024-10",
        Assessed(household.id, VILLAGE, "dibao", raised),
        Assessed(other.id, VILLAGE, "dibian", 20_000),
        dibao_fen=115_200,
    )
    october = await run(apps, "2024-10")
    assert (
        october.classification_run_id == crun and october.paid_fen == raised + other_grant.monthly_amount_fen
    )
    assert await paid(apps, household.id) == [
        ("2024-09", "dibao", grant.monthly_amount_fen, "grant"),
        ("2024-10", "dibao", raised, "assessment"),
    ]
    # The re-classification disagrees: the officer decides; meanwhile the grant's amount is paid.
    assert await paid(apps, other.id) == [
        ("2024-09", "dibao", other_grant.monthly_amount_fen, "grant"),
        ("2024-10", "dibao", other_grant.monthly_amount_fen, "grant"),
    ]

    book = await ledger(apps, household.id, page_size=1)
    (line,) = book.payments  # newest first
    assert (line.period, line.basis, line.classification) == (
        "2024-10",
        ppb.PAYMENT_BASIS_ASSESSMENT,
        epb.CLASSIFICATION_DIBAO,
    )
    assert line.standards_day == "2024-10-01" and line.amount_yuan == f"{raised // 100}.{raised % 100:02d}"
    assert book.paid_count == 2 and book.paid_fen == grant.monthly_amount_fen + raised
    assert book.page_info.next_page_token
    rest = await stub(apps).GetLedger(
        ppb.GetLedgerRequest(household_id=household.id, page={"page_token": book.page_info.next_page_token}),  # type: ignore[arg-type]
        metadata=md(ADMIN),
    )
    assert [p.period for p in rest.payments] == ["2024-09"] and not rest.page_info.next_page_token


async def test_runs_are_the_districts_and_ledgers_stay_inside_the_callers_regions(apps: Apps) -> None:
    household, _ = await lone_dibao(apps, 440, reviewer=TOWN_REVIEWER)
    elsewhere, _ = await lone_dibao(apps, 441, region=OTHER_VILLAGE, reviewer=OTHER_TOWN_OFFICER)
    for token in (TOWN_REVIEWER, VIEWER):
        error = await rpc_error(run(apps, "2024-09", token=token))
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert (await run(apps, "2024-09", token=DISTRICT_OFFICER)).paid_count == 2

    assert len((await ledger(apps, household.id, token=TOWN_REVIEWER)).payments) == 1
    error = await rpc_error(ledger(apps, elsewhere.id, token=TOWN_REVIEWER))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert len((await ledger(apps, elsewhere.id, token=OTHER_TOWN_OFFICER)).payments) == 1

    for period in ("2024-13", "2024/09", "2024-10"):  # not a month; not one; in the future
        error = await rpc_error(run(apps, period))
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and violated_fields(error) == {"period"}
    error = await rpc_error(ledger(apps, ""))
    assert violated_fields(error) == {"household_id"}
    audit = await apps.rows("SELECT actor, target FROM audit_log WHERE action = 'relief.payment-run'")
    assert audit == [("district-officer", "2024-09")]


async def test_the_month_reclassified_over_grpc_is_paid_on_its_assessments(apps: Apps) -> None:
    household, grant = await lone_dibao(apps, 450, reviewer=TOWN_REVIEWER)
    error = await rpc_error(stub(apps).Reclassify(ppb.ReclassifyRequest(), metadata=md(TOWN_REVIEWER)))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    crun = await stub(apps).Reclassify(ppb.ReclassifyRequest(period="2024-09"), metadata=md(ADMIN))
    assert crun.period == "2024-09" and crun.sequence == 1 and crun.finished_at.seconds > 0
    assert (epb.CLASSIFICATION_DIBAO, 1) in [(c.classification, c.households) for c in crun.counts]

    september = await run(apps, "2024-09")
    assert september.classification_run_id == crun.id
    # The same standards and facts as the approval: the re-classification confirms the grant's amount.
    assert await paid(apps, household.id) == [("2024-09", "dibao", grant.monthly_amount_fen, "assessment")]
    (line,) = (await ledger(apps, household.id)).payments
    assert line.classification == epb.CLASSIFICATION_DIBAO and line.standards_day == "2024-09-01"


async def test_the_monthly_job_classifies_a_month_not_yet_classified_then_pays_it_once(apps: Apps) -> None:
    household, grant = await lone_dibao(apps, 460, reviewer=TOWN_REVIEWER)
    assert apps.process.ctx is not None
    book = load_standards()
    apps.clock.now = at(date(2024, 12, 3))
    summary = await payment_job.run_current_month(apps.process.ctx, clock=apps.clock, book=book)
    assert summary is not None and summary.period == "2024-12" and summary.persons_paid == 1
    assert len(await apps.rows("SELECT 1 FROM relief_classification_run WHERE period = '2024-12'")) == 1
    # December's income window holds fewer months of the recorded income: more than the grant's amount.
    (assessed,) = await apps.rows(
        "SELECT amount_fen FROM relief_assessment "
        f"WHERE household_id = '{household.id}' AND period = '2024-12'"
    )
    assert int(str(assessed[0])) > grant.monthly_amount_fen
    assert await paid(apps, household.id) == [("2024-12", "dibao", int(str(assessed[0])), "assessment")]
    # The month is done: the next tick reads one finished run and does nothing.
    assert await payment_job.run_current_month(apps.process.ctx, clock=apps.clock, book=book) is None
    assert len(await apps.rows("SELECT 1 FROM relief_payment_run")) == 1
