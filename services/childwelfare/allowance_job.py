"""Scheduled work: the current month's basic living allowance run, until one run of the month completes.

Each tick takes the month from the service's clock (Asia/Shanghai) and runs it unless a run of that
month has already finished (``allowance_run.finished_at`` set). Nothing else needs remembering:

- a crashed run leaves ``finished_at`` null, so the next tick runs the month again; the payments it
  committed are kept (``UNIQUE (child_id, programme, period)``), the new run pays the rest and its
  summary event reports the crashed run's payments too (``allowances._finish``);
- a restart is just another tick: a completed month is left alone;
- several replicas ticking at once each start their own run (``allowance_run``'s unique
  ``(period, sequence)`` hands them different sequence numbers) and race on the payments, which the
  unique key settles: each child is paid once, and each payment is reported by exactly one summary
  (``reported_in`` is claimed by an ``UPDATE … WHERE reported_in IS NULL``). Two summaries for the
  month are possible then, each with its own run id and disjoint counts.

Once a month has completed, the job does not run it again: a child registered later with a category
backdated before the 1st is paid from the next month, or by an operator's ``RunAllowances`` for the
month (which always runs).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import col, select

from services.childwelfare.allowances import PROGRAMME, load_allowance_policy, run_allowances
from services.childwelfare.models import AllowanceRun
from services.childwelfare.rules import Clock
from services.kit.db import Database
from services.kit.money import Money
from services.kit.payments import PaymentRunSummary, period_key
from services.kit.periods import Month
from services.kit.policy import PolicyTable
from services.kit.service import Job, ServiceContext, interval_from_env

log = logging.getLogger(__name__)

INTERVAL_ENV = "CHILDWELFARE_ALLOWANCE_INTERVAL_S"
DEFAULT_INTERVAL_S = 3600.0
JOB_NAME = "childwelfare-allowance-run"


def allowance_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between ticks: ``$CHILDWELFARE_ALLOWANCE_INTERVAL_S`` or one hour."""
    return interval_from_env(INTERVAL_ENV, DEFAULT_INTERVAL_S, environ)


async def month_completed(db: Database, period: str) -> bool:
    """Whether a run of ``period`` has finished (a crashed or running one has not)."""
    stmt = (
        select(AllowanceRun.id)
        .where(
            col(AllowanceRun.programme) == PROGRAMME,
            col(AllowanceRun.period) == period,
            col(AllowanceRun.finished_at).is_not(None),
        )
        .limit(1)
    )
    async with db.read() as session:
        return (await session.exec(stmt)).first() is not None


async def run_current_month(
    ctx: ServiceContext, *, policy: PolicyTable[Money], now: datetime
) -> PaymentRunSummary | None:
    """Run the month of ``now`` unless it has completed; the run's summary, or None when nothing ran."""
    month = Month.of(now)
    if await month_completed(ctx.db, period_key(month)):
        return None
    return await run_allowances(ctx.db, policy, month, now, on_commit=ctx.notify_outbox)


def allowance_job(
    ctx: ServiceContext,
    *,
    clock: Clock,
    interval_s: float | None = None,
    policy: PolicyTable[Money] | None = None,
    run_at_start: bool = False,
) -> Job:
    """The allowance run as a service job: every ``interval_s`` seconds (default from the environment).

    The scheduler calls a job at start too; unless ``run_at_start``, that first call does nothing, so
    the first run comes one interval after start. Money moves only from a service that has been up a
    while (a rolling restart of every replica does not start a run on each), and a service started
    for a test does not pay behind the test's back while it is still registering children.
    """
    table = policy if policy is not None else load_allowance_policy()
    started = run_at_start

    async def run() -> PaymentRunSummary | None:
        nonlocal started
        if not started:
            started = True
            return None
        return await run_current_month(ctx, policy=table, now=clock())

    return Job(name=JOB_NAME, interval_s=interval_s or allowance_interval_s(), run=run)
