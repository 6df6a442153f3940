"""How eldercare runs: its gRPC service, migrations and (none yet) event subscriptions."""

from __future__ import annotations

from pathlib import Path

import grpc
from minzheng.eldercare.v1 import eldercare_pb2, eldercare_pb2_grpc

from services.eldercare.api import EldercareServicer
from services.kit.service import ServiceContext, ServiceSpec

GRPC_SERVICE_NAME = eldercare_pb2.DESCRIPTOR.services_by_name["EldercareService"].full_name


def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
    """Add eldercare's servicer to the gRPC server."""
    eldercare_pb2_grpc.add_EldercareServiceServicer_to_server(EldercareServicer(ctx), server)


SPEC = ServiceSpec(
    name="eldercare",
    grpc_service_names=[GRPC_SERVICE_NAME],
    register=register,
    migrations=Path(__file__).resolve().parent / "migrations",
)
