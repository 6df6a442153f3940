"""The gRPC server every service runs: auth, error mapping, tracing, health, reflection, shutdown.

Servicers stay thin: they read the caller with ``current_principal()`` and raise ``DomainError``s;
the interceptor here turns those into status codes (INVALID_ARGUMENT carries a
``google.rpc.BadRequest`` with one field violation per bad field, via grpcio-status).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from opentelemetry.instrumentation.grpc import aio_server_interceptor, filters
from sqlalchemy.exc import InterfaceError, OperationalError

from services.kit.auth import Principal, TokenCodec, bearer_token
from services.kit.errors import DomainError, Internal, InvalidArgument, Unauthenticated, Unavailable

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# Keepalive agreed with the client side (kit.grpc_client) so idle channels survive proxies.
SERVER_OPTIONS: list[tuple[str, Any]] = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
]
# Health and reflection answer without a token: probes and grpcurl must work before login.
OPEN_SERVICES = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.ServerReflection/",
)

# A health "service" that stays SERVING while the process runs: liveness probes read it, so a
# database or NATS outage takes replicas out of rotation (readiness) without restarting them.
LIVENESS = "liveness"

_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("principal", default=None)


def current_principal() -> Principal:
    """The verified caller of the RPC being served."""
    principal = _principal.get()
    if principal is None:
        raise Unauthenticated("no caller on this call")
    return principal


def as_domain_error(exc: Exception) -> DomainError:
    """What the caller is told about an exception: domain errors as they are, faults without detail.

    A database that does not answer is UNAVAILABLE (the caller may retry); anything else is INTERNAL
    with no text, because exception messages can carry row data such as ID numbers.
    """
    if isinstance(exc, DomainError):
        return exc
    if isinstance(exc, OperationalError | InterfaceError | TimeoutError | ConnectionError):
        log.warning("dependency unavailable: %s", type(exc).__name__)
        return Unavailable("a dependency is unavailable; retry later")
    log.error("unexpected %s in an RPC", type(exc).__name__, exc_info=exc)
    return Internal()


def status_for(error: DomainError) -> grpc.Status:
    """The rich gRPC status of a domain error (field violations for INVALID_ARGUMENT)."""
    details: list[any_pb2.Any] = []
    if isinstance(error, InvalidArgument):
        bad = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
                for v in error.violations
            ]
        )
        packed = any_pb2.Any()
        packed.Pack(bad)
        details.append(packed)
    code = getattr(code_pb2, error.code.name)
    return rpc_status.to_status(status_pb2.Status(code=code, message=error.message, details=details))


# Health is not traced: the probes call it every few seconds, and the tracing interceptor expects a
# streaming handler to be an async generator, which health's Watch (writing through the context) is not.
_TRACED = filters.negate(filters.health_check())


class PlatformInterceptor(grpc.aio.ServerInterceptor):
    """Verifies the caller's token, exposes it to the servicer, and maps domain errors to statuses."""

    def __init__(self, codec: TokenCodec) -> None:
        self._codec = codec

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        if handler is None or handler_call_details.method.startswith(OPEN_SERVICES):
            return handler
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(handler.unary_stream),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler  # client-streaming RPCs are not used by the platform

    def _authenticate(self, context: grpc.aio.ServicerContext) -> Principal:
        metadata = {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
        return self._codec.verify(bearer_token(metadata.get("authorization")))

    async def _abort(self, context: grpc.aio.ServicerContext, error: DomainError) -> None:
        status = status_for(error)
        await context.abort(status.code, status.details, status.trailing_metadata)

    def _wrap_unary(self, behavior: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def wrapped(request: Any, context: grpc.aio.ServicerContext) -> Any:
            try:
                token = _principal.set(self._authenticate(context))
            except DomainError as exc:
                await self._abort(context, exc)
                return None
            try:
                return await behavior(request, context)
            except grpc.aio.AbortError:
                raise
            except Exception as exc:
                await self._abort(context, as_domain_error(exc))
            finally:
                _principal.reset(token)
            return None

        return wrapped

    def _wrap_stream(self, behavior: Callable[..., Any]) -> Callable[..., Any]:
        async def wrapped(request: Any, context: grpc.aio.ServicerContext) -> Any:
            try:
                token = _principal.set(self._authenticate(context))
            except DomainError as exc:
                await self._abort(context, exc)
                return
            try:
                async for item in behavior(request, context):
                    yield item
            except grpc.aio.AbortError:
                raise
            except Exception as exc:
                await self._abort(context, as_domain_error(exc))
            finally:
                _principal.reset(token)

        return wrapped


class GrpcServer:
    """A grpc.aio server with the platform interceptors, health and reflection, and graceful stop."""

    def __init__(
        self,
        *,
        codec: TokenCodec,
        service_names: Iterable[str],
        register: Callable[[grpc.aio.Server], None],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.server = grpc.aio.server(
            interceptors=[aio_server_interceptor(filter_=_TRACED), PlatformInterceptor(codec)],
            options=SERVER_OPTIONS,
        )
        register(self.server)
        self.health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        self._service_names = list(service_names)
        reflection.enable_server_reflection(
            [*self._service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server
        )
        self.port = self.server.add_insecure_port(f"{host}:{port}")
        self.address = f"{host}:{self.port}"

    async def start(self) -> None:
        """Start serving; every service reports SERVING once started."""
        await self.server.start()
        await self.health.set(LIVENESS, health_pb2.HealthCheckResponse.SERVING)
        await self.set_serving(True)
        log.info("gRPC listening on %s", self.address)

    async def set_serving(self, serving: bool) -> None:
        """Flip health for the overall server and each service (readiness)."""
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ["", *self._service_names]:
            await self.health.set(name, status)

    async def stop(self, grace_s: float = 5.0) -> None:
        """Refuse new calls, let running ones finish within the grace period."""
        await self.set_serving(False)
        await self.health.set(LIVENESS, health_pb2.HealthCheckResponse.NOT_SERVING)
        await self.server.stop(grace_s)

    async def wait(self) -> None:
        """Block until the server terminates."""
        await self.server.wait_for_termination()


async def run_forever(stop: asyncio.Event) -> None:
    """Wait until a stop is requested (SIGTERM/SIGINT handlers set the event)."""
    await stop.wait()
