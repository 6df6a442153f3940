"""How child welfare runs: its gRPC service, migrations, clock and policy, and the overdue-scan job.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3: every rule takes now as a parameter). Production uses the
system clock and the packaged policy file.
"""

from __future__ import annotations

from pathlib import Path

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2, childwelfare_pb2_grpc

from services.childwelfare import (
    case_api,
    case_jobs,
    digests,
    facility_api,
    handlers,
    inbound,
    indicator_api,
    proposal_api,
)
from services.childwelfare.allowance_job import allowance_job
from services.childwelfare.api import ChildWelfareServicer
from services.childwelfare.jobs import overdue_scan_job, scan_interval_s
from services.childwelfare.policy import load_visit_policy
from services.childwelfare.rules import Clock, VisitPolicy
from services.kit.periods import system_clock
from services.kit.service import Job, ServiceContext, ServiceSpec

GRPC_SERVICE_NAME = childwelfare_pb2.DESCRIPTOR.services_by_name["ChildWelfareService"].full_name


def make_spec(
    *,
    clock: Clock = system_clock,
    policy: VisitPolicy | None = None,
    overdue_scan_interval_s: float | None = None,
    allowance_interval_s: float | None = None,
    case_scan_interval_s: float | None = None,
) -> ServiceSpec:
    """The service description, with the clock and visit policy its servicer and jobs use.

    Jobs (each at start, then every interval): the overdue scan (``overdue_scan_interval_s``, default
    ``$CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S`` or one hour), the month's allowance run (``allowance_job``),
    the 24 h case escalation (``case_jobs``) and the ID-digest sync (``digests``).
    """

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        servicer = ChildWelfareServicer(ctx, clock=clock, policy=policy or load_visit_policy())
        childwelfare_pb2_grpc.add_ChildWelfareServiceServicer_to_server(servicer, server)
        indicator_api.register(server, ctx, clock=clock, policy=policy or load_visit_policy())
        proposal_api.register(server, ctx, clock=clock)
        facility_api.register(server, ctx, clock=clock)
        case_api.register(server, ctx, clock=clock)

    def jobs(ctx: ServiceContext) -> list[Job]:
        interval = overdue_scan_interval_s or scan_interval_s()
        return [
            overdue_scan_job(ctx, clock=clock, policy=policy or load_visit_policy(), interval_s=interval),
            # The current month's allowance run, until one run of the month has completed.
            allowance_job(ctx, clock=clock, interval_s=allowance_interval_s),
            # Reports unanswered past their deadline (24 h), every $CHILDWELFARE_CASE_SCAN_INTERVAL_S.
            case_jobs.case_escalation_job(
                ctx, clock=clock, interval_s=case_scan_interval_s or case_jobs.case_scan_interval_s()
            ),
            # Digests that match people named in relief/funeral events (after a key rotation: everyone).
            digests.digest_job(ctx.db, key=inbound.id_digest_key(ctx.settings)),
        ]

    return ServiceSpec(
        name="childwelfare",
        grpc_service_names=[
            GRPC_SERVICE_NAME,
            indicator_api.SERVICE_NAME,
            proposal_api.SERVICE_NAME,
            facility_api.SERVICE_NAME,
            case_api.SERVICE_NAME,
        ],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
        jobs=jobs,
        # Relief and funeral events become proposals on the worklist (handlers.py).
        subscriptions=lambda ctx: handlers.subscriptions(ctx, clock=clock),
    )


SPEC = make_spec()
