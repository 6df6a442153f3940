"""The monthly payment run as a scheduled job: each tick pays the current month until a run of it completes.

A tick is cheap when the month is done (one indexed lookup of a finished run); otherwise it first
re-classifies the month when no re-classification of it has finished (so the month is paid on the
standards and members in force, ``payments`` module docstring), then pays. Nothing else needs
remembering:

- a crashed run leaves ``finished_at`` null, so the next tick runs the month again; the payments it
  committed are kept (``UNIQUE (household_id, programme, period)``), the new run pays the rest and its
  summary reports the crashed run's payments too;
- several replicas ticking at once each start their own run (``(period, sequence)`` is unique) and race
  on the payments, which the unique key settles: each household is paid once per programme and month.

Once a month has completed the job leaves it alone: a household granted later in the month is paid by
an operator's ``RunPayments`` for the month (which always runs), or not at all for that month.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlmodel import col, select

from services.kit.db import Database
from services.kit.payments import PaymentRunSummary
from services.kit.periods import Month
from services.kit.service import Job, ServiceContext, interval_from_env
from services.relief import classification
from services.relief.clock import Clock
from services.relief.models import ReliefPaymentRun
from services.relief.payments import run_payments
from services.relief.standards import StandardsBook

INTERVAL_ENV = "RELIEF_PAYMENT_INTERVAL_S"
DEFAULT_INTERVAL_S = 3600.0
JOB_NAME = "relief-payment-run"
ACTOR = "system:relief-payment-job"


def payment_interval_s(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds between ticks: ``$RELIEF_PAYMENT_INTERVAL_S`` or one hour."""
    return interval_from_env(INTERVAL_ENV, DEFAULT_INTERVAL_S, environ)


async def month_paid(db: Database, period: str) -> bool:
    """Whether a payment run of ``period`` has finished (a crashed or running one has not)."""
    stmt = (
        select(ReliefPaymentRun.id)
        .where(col(ReliefPaymentRun.period) == period, col(ReliefPaymentRun.finished_at).is_not(None))
        .limit(1)
    )
    async with db.read() as session:
        return (await session.exec(stmt)).first() is not None


async def month_classified(db: Database, period: str) -> bool:
    """Whether a re-classification of ``period`` has finished."""
    async with db.read() as session:
        return await classification.latest_finished_run(session, period) is not None


async def run_current_month(
    ctx: ServiceContext, *, clock: Clock, book: StandardsBook
) -> PaymentRunSummary | None:
    """Classify (when not yet) and pay the month of now unless paid; the run's summary, or None."""
    now = clock()
    month = Month.of(now)
    if await month_paid(ctx.db, month.key):
        return None
    if not await month_classified(ctx.db, month.key):
        await classification.reclassify(
            ctx.db, book=book, month=month, now=now, actor=ACTOR, on_commit=ctx.notify_outbox
        )
    return await run_payments(ctx.db, month=month, now=clock(), actor=ACTOR, on_commit=ctx.notify_outbox)


def payment_job(
    ctx: ServiceContext,
    *,
    clock: Clock,
    book: StandardsBook,
    interval_s: float | None = None,
    run_at_start: bool = False,
) -> Job:
    """The run as a service job, every ``interval_s`` seconds (default from the environment).

    The scheduler calls a job at start too; unless ``run_at_start`` that first call does nothing, so a
    rolling restart of every replica does not start a run on each, and a service started for a test
    does not pay behind its back while it is still registering households.
    """
    started = run_at_start

    async def run() -> PaymentRunSummary | None:
        nonlocal started
        if not started:
            started = True
            return None
        return await run_current_month(ctx, clock=clock, book=book)

    return Job(name=JOB_NAME, interval_s=interval_s or payment_interval_s(), run=run)
