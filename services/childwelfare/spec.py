"""How child welfare runs: its gRPC service, migrations, clock and policy, and (none yet) subscriptions.

The clock is injected here, not read inside the service functions: ``make_spec(clock=...)`` gives tests
a service whose "now" they move (DESIGN §3: every rule takes now as a parameter). Production uses the
system clock and the packaged policy file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import grpc
from minzheng.childwelfare.v1 import childwelfare_pb2, childwelfare_pb2_grpc

from services.childwelfare.api import ChildWelfareServicer, Clock
from services.childwelfare.policy import load_visit_policy
from services.childwelfare.rules import VisitPolicy
from services.kit.service import ServiceContext, ServiceSpec

GRPC_SERVICE_NAME = childwelfare_pb2.DESCRIPTOR.services_by_name["ChildWelfareService"].full_name


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def make_spec(*, clock: Clock = system_clock, policy: VisitPolicy | None = None) -> ServiceSpec:
    """The service description, with the clock and visit policy its servicer uses."""

    def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
        servicer = ChildWelfareServicer(ctx, clock=clock, policy=policy or load_visit_policy())
        childwelfare_pb2_grpc.add_ChildWelfareServiceServicer_to_server(servicer, server)

    return ServiceSpec(
        name="childwelfare",
        grpc_service_names=[GRPC_SERVICE_NAME],
        register=register,
        migrations=Path(__file__).resolve().parent / "migrations",
    )


SPEC = make_spec()
