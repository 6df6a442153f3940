"""The scheduled allowance run: the current month paid once, across ticks, restarts, replicas and crashes.

The job is the one the service schedules (``allowance_job``, as ``spec.jobs`` builds it), ticked by
hand with the service's movable clock; what counts is the payments table and what reaches the CIVIC
stream (read back from JetStream), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime

import nats
import pytest
import sqlalchemy as sa
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy

from services.childwelfare.allowance_job import DEFAULT_INTERVAL_S, JOB_NAME, allowance_job
from services.childwelfare.allowances import PROGRAMME, load_allowance_policy, run_allowances
from services.childwelfare.events import ALLOWANCE_PAID
from services.childwelfare.spec import make_spec
from services.kit.payments import PaymentRunSummary, run_id
from services.kit.periods import Month
from services.kit.service import ServiceProcess
from tests.contract.childwelfare.conftest import ChildWelfare, child_number, register

SINCE = "2025-05-02"
SCATTERED = pb.PROTECTION_CATEGORY_ORPHAN_SCATTERED


def _at(day: date) -> datetime:
    """10:00 in Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


async def tick(process: ServiceProcess, cw: ChildWelfare) -> PaymentRunSummary | None:
    """One tick of the allowance job the service schedules (past its skipped start-up call)."""
    assert process.ctx is not None
    return await allowance_job(process.ctx, clock=cw.clock, run_at_start=True).run()  # type: ignore[return-value]


async def paid(cw: ChildWelfare, period: str) -> list[str]:
    """Child ids paid for ``period`` (a child twice would show twice)."""
    assert cw.process.ctx is not None
    async with cw.process.ctx.db.read() as session:
        rows = await session.exec(  # type: ignore[call-overload]
            sa.text("SELECT child_id FROM allowance_payment WHERE period = :p").bindparams(p=period)
        )
        return sorted(r[0] for r in rows.all())


async def published(cw: ChildWelfare) -> None:
    """Wait until the relay has published every outbox row."""
    assert cw.process.ctx is not None
    for _ in range(200):
        async with cw.process.ctx.db.read() as session:
            pending = (
                await session.exec(sa.text("SELECT count(*) FROM outbox WHERE published_at IS NULL"))  # type: ignore[call-overload]
            ).scalar_one()
        if pending == 0:
            return
        cw.process.ctx.notify_outbox()
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox was not published")


def year(cw: ChildWelfare) -> int:
    """A year of months no other test pays: run ids, so event ids, are the same for the same month
    and run number in every database, and the session's stream drops a repeated id as a duplicate.
    Each test below pays its own months of this year (children born in 2015 are minors until 2033)."""
    return 2031 if cw.process.settings.resolved_database_url.startswith("postgresql") else 2030


async def summaries_on_stream(cw: ChildWelfare, *periods: str) -> list[dict[str, object]]:
    """Every allowance-paid CloudEvent of the periods on the CIVIC stream, in stream order."""
    await published(cw)
    found: list[dict[str, object]] = []
    nc = await nats.connect(cw.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            ALLOWANCE_PAID.subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        while True:
            try:
                msg = await sub.next_msg(timeout=2.0)
            except NatsTimeout:
                break
            body = json.loads(msg.data)
            if body["data"]["period"] in periods:
                found.append(body)
            if msg.metadata.num_pending == 0:
                break
        await sub.unsubscribe()
    finally:
        await nc.close()
    return found


async def test_the_service_schedules_the_run_hourly_but_not_at_start(cw: ChildWelfare) -> None:
    assert cw.process.ctx is not None
    [job] = [j for j in cw.process.spec.jobs(cw.process.ctx) if j.name == JOB_NAME]
    assert job.interval_s == DEFAULT_INTERVAL_S == 3600
    await register(cw, child_number(1), category=SCATTERED, since=SINCE)
    assert await job.run() is None  # the scheduler's start-up call
    assert await cw.count("allowance_run") == 0 and await paid(cw, "2025-06") == []
    assert isinstance(await job.run(), PaymentRunSummary)  # the next tick runs June
    assert len(await paid(cw, "2025-06")) == 1


async def test_the_job_pays_a_month_once_across_ticks_and_restarts_and_the_next_month_on_its_change(
    cw: ChildWelfare,
) -> None:
    kids = [await register(cw, child_number(10 + i), category=SCATTERED, since=SINCE) for i in range(3)]
    ids = sorted(k.id for k in kids)
    y = year(cw)
    jan, feb = f"{y}-01", f"{y}-02"
    cw.clock.now = _at(date(y, 1, 10))

    first = await tick(cw.process, cw)
    assert first is not None and first.persons_paid == 3 and first.total_fen == 3 * 205700
    assert first.run_id == run_id(PROGRAMME, jan, 1) == first.event_id
    assert await tick(cw.process, cw) is None  # January has completed: nothing runs
    cw.clock.now = _at(date(y, 1, 31))
    assert await tick(cw.process, cw) is None

    restarted = ServiceProcess(make_spec(clock=cw.clock), cw.process.settings)
    await restarted.start()
    try:
        assert await tick(restarted, cw) is None
    finally:
        await restarted.stop(grace_s=5)
    assert await paid(cw, jan) == ids and await cw.count("allowance_run") == 1

    cw.clock.now = datetime(y, 1, 31, 16, 0, tzinfo=UTC)  # 00:00 on 1 February in Shanghai
    february = await tick(cw.process, cw)
    assert february is not None and february.period == feb and february.persons_paid == 3
    assert await tick(cw.process, cw) is None
    assert await paid(cw, feb) == ids and await paid(cw, jan) == ids

    events = await summaries_on_stream(cw, jan, feb)
    assert [(e["id"], e["data"]["period"], e["data"]["children_paid"]) for e in events] == [  # type: ignore[index]
        (run_id(PROGRAMME, jan, 1), jan, 3),
        (run_id(PROGRAMME, feb, 1), feb, 3),
    ]


async def test_two_job_instances_at_once_pay_nobody_twice(cw: ChildWelfare) -> None:
    kids = [await register(cw, child_number(20 + i), category=SCATTERED, since=SINCE) for i in range(6)]
    y = year(cw)
    cw.clock.now = _at(date(y, 3, 10))
    replica = ServiceProcess(make_spec(clock=cw.clock), cw.process.settings)
    await replica.start()
    try:
        results = await asyncio.gather(
            tick(cw.process, cw), tick(replica, cw), tick(cw.process, cw), tick(replica, cw)
        )
    finally:
        await replica.stop(grace_s=5)
    assert await paid(cw, f"{y}-03") == sorted(k.id for k in kids)
    assert sum(r.persons_paid for r in results if r is not None) == 6
    events = await summaries_on_stream(cw, f"{y}-03")
    # Every payment is reported by exactly one summary, each summary by its own run.
    assert sum(e["data"]["children_paid"] for e in events) == 6  # type: ignore[index, misc]
    assert len({e["id"] for e in events}) == len(events) >= 1
    assert await tick(cw.process, cw) is None


async def test_a_crashed_run_is_finished_by_the_next_tick(cw: ChildWelfare) -> None:
    kids = [await register(cw, child_number(30 + i), category=SCATTERED, since=SINCE) for i in range(5)]
    y = year(cw)
    cw.clock.now = _at(date(y, 4, 10))
    assert cw.process.ctx is not None

    def crash(chunk: int) -> None:
        raise RuntimeError(f"killed after chunk {chunk}")

    with pytest.raises(RuntimeError):
        await run_allowances(
            cw.process.ctx.db,
            load_allowance_policy(),
            Month(y, 4),
            cw.clock(),
            chunk_size=2,
            after_chunk=crash,
        )
    assert len(await paid(cw, f"{y}-04")) == 2

    resumed = await tick(cw.process, cw)  # April has no completed run: the tick runs it again
    assert resumed is not None and resumed.persons_paid == 3
    assert await paid(cw, f"{y}-04") == sorted(k.id for k in kids)
    assert await tick(cw.process, cw) is None
    [event] = await summaries_on_stream(cw, f"{y}-04")
    assert event["id"] == run_id(PROGRAMME, f"{y}-04", 2)
    assert event["data"]["children_paid"] == 5 and event["data"]["month_children_paid"] == 5  # type: ignore[index]


async def test_a_republished_summary_reaches_the_stream_once(cw: ChildWelfare) -> None:
    await register(cw, child_number(40), category=SCATTERED, since=SINCE)
    y = year(cw)
    cw.clock.now = _at(date(y, 5, 10))
    assert (await tick(cw.process, cw)) is not None
    await published(cw)
    assert cw.process.ctx is not None
    async with cw.process.ctx.db.unit_of_work() as session:  # the relay crashed before recording the ack
        await session.exec(  # type: ignore[call-overload]
            sa.text("UPDATE outbox SET published_at = NULL, claimed_until = NULL WHERE type = :t").bindparams(
                t=ALLOWANCE_PAID.type
            )
        )
    [event] = await summaries_on_stream(cw, f"{y}-05")  # republished, and dropped by JetStream as a duplicate
    assert event["id"] == run_id(PROGRAMME, f"{y}-05", 1)
