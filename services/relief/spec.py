"""How relief runs: its gRPC services, migrations, clock and standards.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3). The standards come from ``$RELIEF_STANDARDS_FILE`` or the
packaged ``relief_standards.yaml`` (``standards.load_standards``), read once when the servicers are
built, so a broken policy file stops the service at start instead of failing calls; so are the relief
items and re-check cadence of applications (``application_policy``, ``relief_items.yaml``). The
monthly payment run (``payment_job``) re-classifies and pays each month; the other jobs complete the
ID-number digests after a key rotation (``digests``) and announce overdue care visits
(``care_overdue``; cadence and targets from ``relief_visits.yaml``, ``care.load_care_policy``); the one
durable consumer is proactive discovery (``discovery``).
"""

from __future__ import annotations

from pathlib import Path

import grpc

from services.kit.iddigest import digest_key
from services.kit.service import Job, ServiceContext, ServiceSpec, Subscription
from services.relief import (
    application_api,
    care_api,
    care_overdue,
    digests,
    discovery,
    discovery_api,
    eligibility_api,
    household_api,
    indicator_api,
    payment_api,
    payment_job,
)
from services.relief.application_policy import load_application_policy
from services.relief.care import load_care_policy
from services.relief.clock import Clock, system_clock
from services.relief.standards import load_standards


def make_spec(*, clock: Clock = system_clock, standards_path: str | None = None) -> ServiceSpec:
    """The service description, with the clock and standards its servicers use."""

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        book = load_standards(standards_path)
        key = digest_key(ctx.settings)
        household_api.register(server, ctx, clock=clock, key=key)
        eligibility_api.register(server, ctx, clock=clock, book=book)
        policy = load_application_policy()
        application_api.register(server, ctx, clock=clock, book=book, policy=policy, key=key)
        discovery_api.register(server, ctx, clock=clock)
        care_api.register(server, ctx, clock=clock, policy=load_care_policy())
        indicator_api.register(server, ctx, clock=clock, book=book, policy=load_care_policy())
        payment_api.register(server, ctx, clock=clock, book=book)

    def jobs(ctx: ServiceContext) -> list[Job]:
        # Digests of people who have none under the current key (after a key rotation: everyone).
        # The overdue care-visit scan (care_overdue): once per household, period and level.
        care_scan = care_overdue.overdue_scan_job(
            ctx, clock=clock, policy=load_care_policy(), interval_s=care_overdue.scan_interval_s()
        )
        # The monthly payment run (payment_job): re-classify the month when not yet, then pay it.
        payments = payment_job.payment_job(ctx, clock=clock, book=load_standards(standards_path))
        return [digests.digest_job(ctx.db, key=digest_key(ctx.settings)), care_scan, payments]

    def subscriptions(ctx: ServiceContext) -> list[Subscription]:
        # Proactive discovery: elder assessments, child registrations and deaths (discovery.py).
        return discovery.subscriptions(ctx, clock=clock)

    return ServiceSpec(
        name="relief",
        grpc_service_names=[
            household_api.SERVICE_NAME,
            eligibility_api.SERVICE_NAME,
            application_api.SERVICE_NAME,
            discovery_api.SERVICE_NAME,
            care_api.SERVICE_NAME,
            indicator_api.SERVICE_NAME,
            payment_api.SERVICE_NAME,
        ],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
        jobs=jobs,
        subscriptions=subscriptions,
    )


SPEC = make_spec()
