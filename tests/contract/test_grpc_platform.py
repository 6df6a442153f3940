"""The platform's gRPC server behaviour over a real socket: callers, error mapping, fault hiding."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from minzheng.eldercare.v1 import eldercare_pb2_grpc
from sqlalchemy.exc import OperationalError

from services.kit.auth import Role, TokenCodec
from services.kit.errors import FieldViolation, InvalidArgument
from services.kit.grpc_client import auth_metadata, domain_error
from services.kit.grpc_server import LIVENESS, GrpcServer, current_principal

SECRET = "platform-test-secret-0123456789abcdef"
CLEAR_ID = "330109194001010110"


class Faulty(eldercare_pb2_grpc.EldercareServiceServicer):
    """Each RPC fails in one of the ways a real servicer can."""

    async def GetInstitution(self, request: pb.GetInstitutionRequest, context: object) -> pb.Institution:
        if request.id == "bad":
            raise InvalidArgument([FieldViolation("id", "is not an id"), FieldViolation("x", "too long")])
        if request.id == "db-down":
            raise OperationalError("SELECT …", {"id": CLEAR_ID}, Exception("connection refused"))
        if request.id == "who":
            return pb.Institution(id=current_principal().subject)
        raise RuntimeError(f"bug while reading elder {CLEAR_ID}")


@pytest.fixture
async def platform_channel() -> AsyncIterator[grpc.aio.Channel]:
    codec = TokenCodec(SECRET)
    server = GrpcServer(
        codec=codec,
        service_names=["minzheng.eldercare.v1.EldercareService"],
        register=lambda s: eldercare_pb2_grpc.add_EldercareServiceServicer_to_server(Faulty(), s),
    )
    await server.start()
    async with grpc.aio.insecure_channel(server.address) as channel:
        yield channel
    await server.stop(0)


@pytest.fixture
def stub(platform_channel: grpc.aio.Channel) -> eldercare_pb2_grpc.EldercareServiceStub:
    return eldercare_pb2_grpc.EldercareServiceStub(platform_channel)


def token() -> tuple[tuple[str, str], ...]:
    return auth_metadata(TokenCodec(SECRET).mint("alice", roles=[Role.ADMIN], regions=["330109"]))


async def call(stub: eldercare_pb2_grpc.EldercareServiceStub, id_: str) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await stub.GetInstitution(pb.GetInstitutionRequest(id=id_), metadata=token())
    return info.value


async def test_the_servicer_sees_the_verified_caller(stub: eldercare_pb2_grpc.EldercareServiceStub) -> None:
    reply = await stub.GetInstitution(pb.GetInstitutionRequest(id="who"), metadata=token())
    assert reply.id == "alice"


async def test_a_call_without_a_token_is_unauthenticated(
    stub: eldercare_pb2_grpc.EldercareServiceStub,
) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await stub.GetInstitution(pb.GetInstitutionRequest(id="who"))
    assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_bad_input_names_every_field(stub: eldercare_pb2_grpc.EldercareServiceStub) -> None:
    err = await call(stub, "bad")
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    mapped = domain_error(err)
    assert isinstance(mapped, InvalidArgument)
    assert [v.field for v in mapped.violations] == ["id", "x"]


async def test_an_unexpected_fault_is_internal_and_says_nothing(
    stub: eldercare_pb2_grpc.EldercareServiceStub, caplog: pytest.LogCaptureFixture
) -> None:
    err = await call(stub, "boom")
    assert err.code() == grpc.StatusCode.INTERNAL
    assert err.details() == "internal error"
    assert CLEAR_ID not in str(err.trailing_metadata())
    assert domain_error(err).code.name == "INTERNAL"


async def test_a_database_that_does_not_answer_is_unavailable(
    stub: eldercare_pb2_grpc.EldercareServiceStub,
) -> None:
    err = await call(stub, "db-down")
    assert err.code() == grpc.StatusCode.UNAVAILABLE
    assert CLEAR_ID not in (err.details() or "")


async def test_health_and_liveness_answer_without_a_token(platform_channel: grpc.aio.Channel) -> None:
    health = health_pb2_grpc.HealthStub(platform_channel)
    for name in ["", LIVENESS, "minzheng.eldercare.v1.EldercareService"]:
        reply = await health.Check(health_pb2.HealthCheckRequest(service=name))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


async def test_health_can_be_watched(platform_channel: grpc.aio.Channel) -> None:
    """Health/Watch (a streaming call clients and meshes use to follow readiness) answers with the status."""
    health = health_pb2_grpc.HealthStub(platform_channel)
    call = health.Watch(health_pb2.HealthCheckRequest(service=""))
    try:
        first = await asyncio.wait_for(call.read(), timeout=5)
        assert first.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        call.cancel()
