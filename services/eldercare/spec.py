"""How eldercare runs: its gRPC services, migrations, clock, jobs and event subscriptions.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3: every rule takes now as a parameter). Production uses the
system clock. Each area registers its servicer in ``register`` and its scheduled work in ``jobs``.
"""

from __future__ import annotations

from pathlib import Path

import grpc
from minzheng.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc

from services.eldercare import (
    allowance_api,
    allowance_job,
    caregiver_api,
    elder_api,
    elder_overdue,
    family_care_api,
    handlers,
    indicator_api,
    inspection_api,
    inspection_jobs,
    meals_api,
    renovation_api,
    safety_api,
    safety_jobs,
)
from services.eldercare.api import EldercareServicer
from services.eldercare.elder_policy import load_visit_policy
from services.eldercare.safety_policy import load_safety_policy
from services.kit.iddigest import digest_key
from services.kit.periods import Clock, system_clock
from services.kit.service import Job, ServiceContext, ServiceSpec, Subscription

GRPC_SERVICE_NAME = eldercare_pb2.DESCRIPTOR.services_by_name["EldercareService"].full_name


def make_spec(
    *,
    clock: Clock = system_clock,
    allowance_policy_path: str | None = None,
    allowance_interval_s: float | None = None,
) -> ServiceSpec:
    """The service description, with the clock its servicers and jobs use."""

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        eldercare_pb2_grpc.add_EldercareServiceServicer_to_server(EldercareServicer(ctx), server)
        elder_api.register(server, ctx, clock=clock, policy=load_visit_policy())
        safety_api.register(server, ctx, clock=clock, policy=load_safety_policy())
        allowance_api.register(server, ctx, clock=clock, policy_path=allowance_policy_path)
        meals_api.register(server, ctx, clock=clock)
        renovation_api.register(server, ctx, clock=clock)
        inspection_api.register(server, ctx, clock=clock)
        caregiver_api.register(server, ctx, clock=clock)
        indicator_api.register(server, ctx, clock=clock)
        family_care_api.register(server, ctx, clock=clock)

    def jobs(ctx: ServiceContext) -> list[Job]:
        return [
            # Overdue visits to vulnerable elders, every $ELDERCARE_OVERDUE_SCAN_INTERVAL_S (1 h).
            elder_overdue.overdue_scan_job(
                ctx, clock=clock, policy=load_visit_policy(), interval_s=elder_overdue.scan_interval_s()
            ),
            # Unacknowledged alarms escalate (every 10 s) and silent devices go offline (every 60 s).
            *safety_jobs.safety_jobs(ctx, clock=clock, policy=load_safety_policy()),
            # The month's old-age allowance and e-voucher run, until one run of the month has completed.
            allowance_job.allowance_job(
                ctx, clock=clock, interval_s=allowance_interval_s, policy_path=allowance_policy_path
            ),
            # Digests that match people named in relief/funeral events (after a key rotation: everyone).
            handlers.digest_job(ctx.db, key=digest_key(ctx.settings)),
            # Hazards past their rectification deadline, once each ($ELDERCARE_HAZARD_SCAN_INTERVAL_S, 1 h).
            inspection_jobs.hazard_overdue_job(
                ctx, clock=clock, interval_s=inspection_jobs.scan_interval_s()
            ),
        ]

    def subscriptions(ctx: ServiceContext) -> list[Subscription]:
        # Relief status (e-voucher eligibility) and registered deaths (handlers.py).
        return [*handlers.subscriptions(ctx, clock=clock)]

    return ServiceSpec(
        name="eldercare",
        grpc_service_names=[
            GRPC_SERVICE_NAME,
            elder_api.SERVICE_NAME,
            safety_api.SERVICE_NAME,
            allowance_api.SERVICE_NAME,
            meals_api.SERVICE_NAME,
            renovation_api.SERVICE_NAME,
            inspection_api.SERVICE_NAME,
            caregiver_api.SERVICE_NAME,
            indicator_api.SERVICE_NAME,
            family_care_api.SERVICE_NAME,
        ],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
        jobs=jobs,
        subscriptions=subscriptions,
    )


SPEC = make_spec()
