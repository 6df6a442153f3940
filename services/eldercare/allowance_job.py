"""The monthly allowance run as a scheduled job: each tick runs the current month until a run of it completes.

A tick is cheap when the month is done (one indexed lookup of a finished run); otherwise it runs the
month. Nothing else needs remembering:

- a crashed run leaves ``finished_at`` null, so the next tick runs the month again; the payments it
  committed are kept (``UNIQUE (elder_id, programme, period)``), the new run pays the rest and its
  summary reports the crashed run's payments too;
- several replicas ticking at once each start their own run (``(period, sequence)`` is unique) and race
  on the payments, which the unique key settles: each elder is paid once per programme and month.

Once a month has completed the job leaves it alone: an elder registered later in the month is paid
from the next month, or by an operator's ``RunElderAllowances`` for the month (which always runs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import col, select

from services.eldercare.allowance_policy import AllowancePolicy, load_allowance_policy
from services.eldercare.allowances import run_allowances
from services.eldercare.models import ElderAllowanceRun
from services.kit.db import Database
from services.kit.payments import PaymentRunSummary
from services.kit.periods import Clock, Month
from services.kit.service import Job, ServiceContext, interval_from_env

INTERVAL_ENV = "ELDERCARE_ALLOWANCE_INTERVAL_S"
DEFAULT_INTERVAL_S = 3600.0
JOB_NAME = "eldercare-allowance-run"


def allowance_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between ticks: ``$ELDERCARE_ALLOWANCE_INTERVAL_S`` or one hour."""
    return interval_from_env(INTERVAL_ENV, DEFAULT_INTERVAL_S, environ)


async def month_completed(db: Database, period: str) -> bool:
    """Whether a run of ``period`` has finished (a crashed or running one has not)."""
    stmt = (
        select(ElderAllowanceRun.id)
        .where(col(ElderAllowanceRun.period) == period, col(ElderAllowanceRun.finished_at).is_not(None))
        .limit(1)
    )
    async with db.read() as session:
        return (await session.exec(stmt)).first() is not None


async def run_current_month(
    ctx: ServiceContext, *, policy: AllowancePolicy, now: datetime
) -> PaymentRunSummary | None:
    """Run the month of ``now`` unless it has completed; the run's summary, or None when nothing ran."""
    month = Month.of(now)
    if await month_completed(ctx.db, month.key):
        return None
    return await run_allowances(ctx.db, policy, month, now, on_commit=ctx.notify_outbox)


def allowance_job(
    ctx: ServiceContext,
    *,
    clock: Clock,
    interval_s: float | None = None,
    policy_path: str | None = None,
    run_at_start: bool = False,
) -> Job:
    """The run as a service job, every ``interval_s`` seconds (default from the environment).

    The scheduler calls a job at start too; unless ``run_at_start`` that first call does nothing, so a
    rolling restart of every replica does not start a run on each, and a service started for a test
    does not pay behind its back while it is still registering elders.
    """
    policy = load_allowance_policy(policy_path)
    started = run_at_start

    async def run() -> PaymentRunSummary | None:
        nonlocal started
        if not started:
            started = True
            return None
        return await run_current_month(ctx, policy=policy, now=clock())

    return Job(name=JOB_NAME, interval_s=interval_s or allowance_interval_s(), run=run)
