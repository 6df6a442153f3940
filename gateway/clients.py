"""gRPC stubs over the process's long-lived channels, and the one way the gateway calls them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from typing import Any, Protocol, TypeVar

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from minzheng.childwelfare.v1 import (
    childwelfare_pb2_grpc,
    facilities_pb2_grpc,
    indicators_pb2_grpc,
    proposals_pb2_grpc,
    protection_pb2_grpc,
)
from minzheng.eldercare.v1 import (
    allowances_pb2_grpc,
    caregivers_pb2_grpc,
    eldercare_pb2_grpc,
    elders_pb2_grpc,
    family_care_pb2_grpc,
    inspections_pb2_grpc,
    meals_pb2_grpc,
    renovation_pb2_grpc,
    safety_pb2_grpc,
)
from minzheng.eldercare.v1 import indicators_pb2_grpc as eldercare_indicators_pb2_grpc
from minzheng.relief.v1 import (
    applications_pb2_grpc,
    care_pb2_grpc,
    discovery_pb2_grpc,
    eligibility_pb2_grpc,
    households_pb2_grpc,
)
from minzheng.relief.v1 import indicators_pb2_grpc as relief_indicators_pb2_grpc
from minzheng.relief.v1 import payments_pb2_grpc as relief_payments_pb2_grpc

from gateway.errors import status_error
from gateway.settings import GatewaySettings
from services.kit.grpc_client import Channels, auth_metadata

log = logging.getLogger(__name__)

Req = TypeVar("Req")
Resp = TypeVar("Resp")


class UnaryCall(Protocol[Req, Resp]):
    """A unary-unary grpc.aio method as generated stubs expose it."""

    def __call__(
        self, request: Req, *, timeout: float | None = ..., metadata: Any = ...
    ) -> Awaitable[Resp]: ...


class Clients:
    """One stub per service, built once per process over the shared channels."""

    def __init__(self, channels: Channels, settings: GatewaySettings) -> None:
        self.channels = channels
        self.targets = settings.service_targets
        self.timeout_s = settings.grpc_timeout_s
        self.eldercare = eldercare_pb2_grpc.EldercareServiceStub(channels.get(settings.eldercare_addr))
        eldercare = channels.get(settings.eldercare_addr)
        self.elder_allowances = allowances_pb2_grpc.ElderAllowanceServiceStub(eldercare)
        self.meals = meals_pb2_grpc.MealServiceStub(eldercare)
        self.renovation = renovation_pb2_grpc.RenovationServiceStub(eldercare)
        self.inspections = inspections_pb2_grpc.InspectionServiceStub(eldercare)
        self.caregivers = caregivers_pb2_grpc.CaregiverServiceStub(eldercare)
        self.eldercare_indicators = eldercare_indicators_pb2_grpc.EldercareIndicatorServiceStub(eldercare)
        self.family_care = family_care_pb2_grpc.FamilyCareServiceStub(eldercare)
        self.elders = elders_pb2_grpc.ElderServiceStub(eldercare)
        self.safety = safety_pb2_grpc.HomeSafetyServiceStub(eldercare)
        self.childwelfare = childwelfare_pb2_grpc.ChildWelfareServiceStub(
            channels.get(settings.childwelfare_addr)
        )
        self.indicators = indicators_pb2_grpc.ChildWelfareIndicatorServiceStub(
            channels.get(settings.childwelfare_addr)
        )
        self.proposals = proposals_pb2_grpc.ProposalServiceStub(channels.get(settings.childwelfare_addr))
        self.facilities = facilities_pb2_grpc.ChildFacilitiesServiceStub(
            channels.get(settings.childwelfare_addr)
        )
        self.protection = protection_pb2_grpc.ProtectionCaseServiceStub(
            channels.get(settings.childwelfare_addr)
        )
        relief = channels.get(settings.relief_addr)
        self.households = households_pb2_grpc.HouseholdServiceStub(relief)
        self.eligibility = eligibility_pb2_grpc.EligibilityServiceStub(relief)
        self.applications = applications_pb2_grpc.ApplicationServiceStub(relief)
        self.relief_discovery = discovery_pb2_grpc.DiscoveryServiceStub(relief)
        self.relief_care = care_pb2_grpc.CareServiceStub(relief)
        self.relief_indicators = relief_indicators_pb2_grpc.ReliefIndicatorServiceStub(relief)
        self.relief_payments = relief_payments_pb2_grpc.PaymentServiceStub(relief)

    async def health(self, timeout_s: float) -> dict[str, bool]:
        """Whether each service's grpc.health.v1 answers SERVING (checked concurrently)."""
        names = list(self.targets)
        results = await asyncio.gather(*(self._serving(self.targets[n], timeout_s) for n in names))
        return dict(zip(names, results, strict=True))

    async def _serving(self, target: str, timeout_s: float) -> bool:
        stub = health_pb2_grpc.HealthStub(self.channels.get(target))
        try:
            reply = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=timeout_s)
        except grpc.aio.AioRpcError as exc:
            log.warning("health check of %s failed: %s", target, exc.code().name)
            return False
        return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)


async def call(
    method: UnaryCall[Req, Resp],
    request: Req,
    *,
    token: str,
    timeout_s: float,
    renames: Mapping[str, str] | None = None,
) -> Resp:
    """Call with the caller's token and a deadline; a failed status becomes a GraphQL error.

    Domain statuses become typed errors; any other status becomes INTERNAL, its detail only logged.
    """
    try:
        return await method(request, timeout=timeout_s, metadata=auth_metadata(token))
    except grpc.aio.AioRpcError as exc:
        # The GraphQL error is the whole story for the client; the gRPC traceback adds nothing.
        raise status_error(exc, method=_method_name(method), renames=renames) from None


def _method_name(method: object) -> str:
    """``ListBeds`` for a stub's multicallable (its full path is ``/pkg.Service/ListBeds``)."""
    path = getattr(method, "_method", b"")
    text = path.decode() if isinstance(path, bytes) else str(path)
    return text.rsplit("/", 1)[-1] or type(method).__name__
