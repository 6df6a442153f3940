"""The monthly old-age allowance run over gRPC, on both backends, with a moved clock.

Paid without application: whoever reaches a tier's age by the month's last day is paid for that month;
death stops the next month; a re-run pays nobody twice; a crashed run is completed once by the next.
"""

from __future__ import annotations

import json
from datetime import date

import grpc
import pytest
from minzheng.eldercare.v1 import allowances_pb2 as pb

from services.eldercare import allowances, demo_allowances
from services.eldercare.allowance_job import DEFAULT_INTERVAL_S, JOB_NAME
from services.kit.payments import PaymentRunSummary
from services.kit.periods import Month
from tests.contract.eldercare.allowance_support import Allowances, allow_fixture, at  # noqa: F401
from tests.contract.eldercare.conftest import CODEC, OTHER_TOWN_OFFICER, TOWN_OFFICER, VIEWER, md, rpc_error
from tests.contract.kit.support import eventually, read_stream

OLD = pb.ALLOWANCE_PROGRAMME_OLD_AGE


async def test_an_elder_turning_80_this_month_is_paid_this_month_without_applying(allow: Allowances) -> None:
    first_day = await allow.elder(date(1945, 6, 1))
    last_day = await allow.elder(date(1945, 6, 30))
    next_month = await allow.elder(date(1945, 7, 1))
    ninety = await allow.elder(date(1935, 6, 20))
    hundred = await allow.elder(date(1925, 1, 1))  # a tier without a standard: skipped, not paid ¥0
    young = await allow.elder(date(1950, 1, 1))

    run = await allow.run()
    assert run.period == "2025-06" and run.sequence == 1
    assert run.paid_count == 3 and run.paid_fen == 40000 and run.paid_yuan == "400.00"
    assert {(t.policy_key, t.elders, t.amount_fen) for t in run.paid_by_tier} == {
        ("age_80", 2, 20000),
        ("age_90", 1, 20000),
    }
    assert [(s.programme, s.policy_key, s.elders) for s in run.skipped_by_tier] == [(OLD, "age_100", 1)]
    assert run.event_published and run.reported_count == 3
    assert await allow.paid(first_day) == [("2025-06", "age_80", 10000)]
    assert await allow.paid(last_day) == [("2025-06", "age_80", 10000)]
    assert await allow.paid(ninety) == [("2025-06", "age_90", 20000)]
    assert (
        await allow.paid(next_month) == []
        and await allow.paid(hundred) == []
        and await allow.paid(young) == []
    )

    reply = await allow.stub.ListElderAllowancePayments(
        pb.ListElderAllowancePaymentsRequest(elder_id=ninety.id), metadata=md(TOWN_OFFICER)
    )
    (payment,) = reply.payments
    assert payment.policy_effective_from == "2020-01-01" and payment.amount_yuan == "200.00"
    assert payment.run_id == run.id and payment.programme == OLD

    allow.clock.now = at(date(2025, 7, 2))
    july = await allow.run()
    assert july.period == "2025-07" and july.paid_count == 4  # the July birthday joins
    assert await allow.paid(next_month) == [("2025-07", "age_80", 10000)]


async def test_the_summary_event_counts_money_per_programme_tier_and_town(allow: Allowances) -> None:
    await allow.elder(date(1940, 3, 3))
    await allow.elder(date(1930, 3, 3), region="330109002001")
    # Run ids (so event ids) are the same for a month's n-th run in every database, and the session's
    # stream drops a repeated id as a duplicate: this test pays a month no other test pays, per backend.
    period = "2024-04" if allow.settings.resolved_database_url.startswith("postgresql") else "2024-03"
    run = await allow.run(period)

    async def published() -> bool:
        found = await read_stream(allow.js, allow.settings.stream_name, "civic.eldercare.allowance-issued")
        return any(json.loads(m.data)["id"] == run.id for m in found)

    await eventually(published, what="the allowance-issued summary on NATS")
    (message,) = [
        json.loads(m.data)
        for m in await read_stream(allow.js, allow.settings.stream_name, "civic.eldercare.allowance-issued")
        if json.loads(m.data)["id"] == run.id
    ]
    data = message["data"]
    assert message["type"] == "civic.eldercare.allowance-issued.v1" and message["subject"] == period
    assert data["elders_paid"] == 2 and data["amount_fen"] == 30000 and data["month_amount_fen"] == 30000
    assert {(p["policy_key"], p["elders"], p["standard_fen"]) for p in data["by_programme"]} == {
        ("age_80", 1, 10000),
        ("age_90", 1, 20000),
    }
    assert {(r["region_code"], r["elders"], r["amount_fen"]) for r in data["by_region"]} == {
        ("330109001", 1, 10000),
        ("330109002", 1, 20000),
    }
    assert "id_number" not in json.dumps(data)


async def test_first_and_last_days_of_months_and_leap_day_birthdays(allow: Allowances) -> None:
    allow.clock.now = at(date(2026, 3, 15))
    jan_first = await allow.elder(date(1945, 1, 1))
    jan_last = await allow.elder(date(1945, 1, 31))
    feb_first = await allow.elder(date(1945, 2, 1))
    leap_80 = await allow.elder(date(1944, 2, 29))  # 80 on 29 Feb 2024
    leap_90 = await allow.elder(date(1936, 2, 29))  # 90 on 1 Mar 2026 (2026 has no 29 Feb)

    await allow.run("2024-01")
    await allow.run("2024-02")
    await allow.run("2025-01")
    await allow.run("2026-02")
    await allow.run("2026-03")
    assert await allow.paid(leap_80) == [
        ("2024-02", "age_80", 10000),
        ("2025-01", "age_80", 10000),
        ("2026-02", "age_80", 10000),
        ("2026-03", "age_80", 10000),
    ]
    assert ("2025-01", "age_80", 10000) in await allow.paid(jan_first)
    assert ("2025-01", "age_80", 10000) in await allow.paid(jan_last)
    assert [p for p in await allow.paid(feb_first) if p[0] <= "2025-01"] == []
    assert [p for p in await allow.paid(leap_90) if p[0] >= "2026-02"] == [
        ("2026-02", "age_80", 10000),  # not yet 90 on 28 February
        ("2026-03", "age_90", 20000),
    ]


async def test_a_rerun_pays_nobody_twice_and_publishes_no_second_summary(allow: Allowances) -> None:
    for year in (1930, 1940, 1941):
        await allow.elder(date(year, 5, 5))
    first = await allow.run()
    again = await allow.run()
    assert (first.paid_count, again.paid_count) == (3, 0)
    assert again.sequence == 2 and not again.event_published and again.reported_count == 0
    assert await allow.count("elder_allowance_payment") == 3
    assert await allow.count("outbox WHERE type = 'civic.eldercare.allowance-issued.v1'") == 1

    runs = await allow.stub.ListElderAllowanceRuns(pb.ListElderAllowanceRunsRequest(), metadata=md(VIEWER))
    assert [(r.sequence, r.paid_count, r.event_published) for r in runs.runs] == [(2, 0, False), (1, 3, True)]


async def test_a_run_that_crashed_after_one_chunk_is_completed_once_by_the_next(allow: Allowances) -> None:
    elders = [await allow.elder(date(1940, 1, d)) for d in range(1, 8)]

    def crash(chunks: int) -> None:
        raise RuntimeError("the process died after a chunk")

    with pytest.raises(RuntimeError):
        await allowances.run_allowances(
            allow.db, allow.policy, Month(2025, 6), allow.clock.now, chunk_size=3, after_chunk=crash
        )
    assert await allow.count("elder_allowance_payment") == 3  # the committed chunk is kept
    assert await allow.count("outbox WHERE type = 'civic.eldercare.allowance-issued.v1'") == 0

    run = await allow.run()
    assert run.sequence == 2 and run.paid_count == 4
    assert run.reported_count == 7  # the crashed run's payments are reported by this summary
    assert await allow.count("elder_allowance_payment") == 7
    for elder in elders:
        assert await allow.paid(elder) == [("2025-06", "age_80", 10000)]
    assert (await allow.run()).paid_count == 0


async def test_death_stops_the_allowance_from_the_next_month(allow: Allowances) -> None:
    died_mid_june = await allow.elder(date(1940, 2, 2), deceased_on=date(2025, 6, 10))
    died_june_first = await allow.elder(date(1940, 2, 3), deceased_on=date(2025, 6, 1))
    await allow.run()
    allow.clock.now = at(date(2025, 7, 15))
    await allow.run()
    assert await allow.paid(died_mid_june) == [("2025-06", "age_80", 10000)]
    assert await allow.paid(died_june_first) == []


async def test_runs_are_for_the_bureau_and_payments_stay_inside_the_callers_regions(
    allow: Allowances,
) -> None:
    elder = await allow.elder(date(1940, 1, 1))
    denied = await rpc_error(allow.run(token=TOWN_OFFICER))
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    future = await rpc_error(allow.run("2025-07"))
    assert future.code() == grpc.StatusCode.INVALID_ARGUMENT and "period" in (future.details() or "")
    await allow.run()
    hidden = await rpc_error(
        allow.stub.ListElderAllowancePayments(
            pb.ListElderAllowancePaymentsRequest(elder_id=elder.id), metadata=md(OTHER_TOWN_OFFICER)
        )
    )
    assert hidden.code() == grpc.StatusCode.NOT_FOUND
    elsewhere = await rpc_error(
        allow.stub.ListElderAllowancePayments(
            pb.ListElderAllowancePaymentsRequest(region_code="330109002"), metadata=md(TOWN_OFFICER)
        )
    )
    assert elsewhere.code() == grpc.StatusCode.PERMISSION_DENIED
    other_town = await allow.stub.ListElderAllowancePayments(
        pb.ListElderAllowancePaymentsRequest(), metadata=md(OTHER_TOWN_OFFICER)
    )
    assert list(other_town.payments) == [] and other_town.page_info.total_count == 0
    mine = await allow.stub.ListElderAllowancePayments(
        pb.ListElderAllowancePaymentsRequest(period="2025-06", programme=OLD), metadata=md(TOWN_OFFICER)
    )
    assert [p.elder_id for p in mine.payments] == [elder.id]
    assert await allow.paid(elder, programme=OLD) == [("2025-06", "age_80", 10000)]
    assert await allow.count("audit_log WHERE action = 'allowance.run' AND target = '2025-06'") == 1


async def test_the_job_runs_the_current_month_once_it_has_been_up_and_leaves_a_completed_month(
    allow: Allowances,
) -> None:
    assert allow.process.ctx is not None
    [job] = [j for j in allow.process.spec.jobs(allow.process.ctx) if j.name == JOB_NAME]
    assert job.interval_s == DEFAULT_INTERVAL_S == 3600
    elder = await allow.elder(date(1940, 1, 1))
    assert await job.run() is None  # the scheduler's start-up call pays nothing
    assert await allow.count("elder_allowance_run") == 0
    june = await job.run()
    assert isinstance(june, PaymentRunSummary) and june.persons_paid == 1 and june.period == "2025-06"
    assert await job.run() is None  # June has completed
    allow.clock.now = at(date(2025, 7, 1), hour_utc=0)  # 08:00 on 1 July in Shanghai
    july = await job.run()
    assert isinstance(july, PaymentRunSummary) and july.period == "2025-07"
    assert [p[0] for p in await allow.paid(elder)] == ["2025-06", "2025-07"]


async def test_the_demo_runs_the_current_month_once(allow: Allowances) -> None:
    await allow.elder(date(1940, 1, 1))
    for _ in range(2):
        await demo_allowances.load(allow.channel, CODEC, today=date(2025, 6, 15))
    assert await allow.count("elder_allowance_run") == 1
    assert await allow.count("elder_allowance_payment") == 1
