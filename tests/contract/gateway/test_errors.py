"""Faults are not passed on: a service's UNKNOWN or INTERNAL status, or an exception in the gateway,
reaches the client as ``internal error`` with code INTERNAL, and the log gets the detail, ID numbers masked.

The gateway here stands in front of a fake eldercare service that fails in the ways a real one might.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date

import grpc
import httpx
import pytest
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1 import eldercare_pb2_grpc

from services.kit.idcard import make_id_number, mask_id_number
from services.kit.local_nats import LocalNats
from tests.contract.gateway.conftest import ADMIN, gateway_settings, serve_gateway

LEAKED = make_id_number(area_code="330109", birth_date=date(1938, 2, 3), sequence=77)
INTERNAL = {"message": "internal error", "extensions": {"code": "INTERNAL"}}


class FaultyEldercare(eldercare_pb2_grpc.EldercareServiceServicer):
    """Fails every call, carrying server-side text (with an ID number) a client must never see."""

    async def GetOccupancy(self, request: pb.GetOccupancyRequest, context: grpc.aio.ServicerContext) -> None:
        await context.abort(
            grpc.StatusCode.INTERNAL, f"DeadlockDetected: UPDATE bed SET occupant_id_number='{LEAKED}'"
        )

    async def ListInstitutions(
        self, request: pb.ListInstitutionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListInstitutionsResponse:
        raise RuntimeError(f"while listing for elder {LEAKED}")  # grpc answers UNKNOWN

    async def GetInstitution(
        self, request: pb.GetInstitutionRequest, context: grpc.aio.ServicerContext
    ) -> pb.Institution:
        return pb.Institution(id=request.id, name="?", kind=42)  # a kind the gateway cannot map


@pytest.fixture(scope="module")
async def faulty_gateway(nats_server: LocalNats) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway whose eldercare is FaultyEldercare."""
    if not nats_server.running:
        nats_server.start()
    server = grpc.aio.server()
    eldercare_pb2_grpc.add_EldercareServiceServicer_to_server(FaultyEldercare(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    gateway = await serve_gateway(gateway_settings(nats_server.url, f"127.0.0.1:{port}"))
    try:
        async with httpx.AsyncClient(
            base_url=gateway.url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30
        ) as http:
            yield http
    finally:
        await gateway.stop()
        await server.stop(grace=None)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("{ occupancy { total } }", "INTERNAL"),
        ("{ institutions(first: 5) { totalCount } }", "UNKNOWN"),
    ],
    ids=["internal", "unknown"],
)
async def test_a_service_fault_is_internal_error_and_its_text_is_only_logged_masked(
    faulty_gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, query: str, status: str
) -> None:
    with caplog.at_level(logging.INFO):
        response = await faulty_gateway.post("/graphql", json={"query": query})
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert {k: error[k] for k in ("message", "extensions")} == INTERNAL
    assert set(error) <= {"message", "extensions", "locations", "path"}
    assert LEAKED not in response.text and LEAKED[6:14] not in response.text

    logged = [r.getMessage() for r in caplog.records if r.name.startswith("gateway")]
    assert any(status in line and mask_id_number(LEAKED) in line for line in logged), logged
    assert not any(LEAKED in line for line in logged)


async def test_an_exception_in_the_gateway_is_internal_error(
    faulty_gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = await faulty_gateway.post(
            "/graphql", json={"query": '{ institution(id: "SW5zdGl0dXRpb246eA==") { name kind } }'}
        )
    (error,) = response.json()["errors"]
    assert {k: error[k] for k in ("message", "extensions")} == INTERNAL
    assert "42" not in error["message"] and "InstitutionKind" not in response.text
    logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("gateway"))
    assert "ValueError" in logged and "InstitutionKind" in logged
