"""How child welfare runs: its gRPC service, migrations, clock and policy, and the overdue-scan job.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3: every rule takes now as a parameter). Production uses the
system clock and the packaged policy file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2, childwelfare_pb2_grpc

from services.childwelfare.api import ChildWelfareServicer
from services.childwelfare.jobs import overdue_scan_job, scan_interval_s
from services.childwelfare.policy import load_visit_policy
from services.childwelfare.rules import Clock, VisitPolicy
from services.kit.service import Job, ServiceContext, ServiceSpec

GRPC_SERVICE_NAME = childwelfare_pb2.DESCRIPTOR.services_by_name["ChildWelfareService"].full_name


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def make_spec(
    *,
    clock: Clock = system_clock,
    policy: VisitPolicy | None = None,
    overdue_scan_interval_s: float | None = None,
) -> ServiceSpec:
    """The service description, with the clock and visit policy its servicer and jobs use.

    The overdue scan runs at start and then every ``overdue_scan_interval_s`` seconds
    (default: ``$CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S``, else one hour).
    """

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        servicer = ChildWelfareServicer(ctx, clock=clock, policy=policy or load_visit_policy())
        childwelfare_pb2_grpc.add_ChildWelfareServiceServicer_to_server(servicer, server)

    def jobs(ctx: ServiceContext) -> list[Job]:
        interval = overdue_scan_interval_s or scan_interval_s()
        return [overdue_scan_job(ctx, clock=clock, policy=policy or load_visit_policy(), interval_s=interval)]

    return ServiceSpec(
        name="childwelfare",
        grpc_service_names=[GRPC_SERVICE_NAME],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
        jobs=jobs,
    )


SPEC = make_spec()
