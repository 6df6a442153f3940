"""Client side of gRPC: one long-lived channel per target, the caller's token on every call,
and rich statuses turned back into domain errors."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from services.kit.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    Internal,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
)
from services.kit.grpc_server import MAX_MESSAGE_BYTES

CHANNEL_OPTIONS: list[tuple[str, Any]] = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.enable_retries", 1),
]


class Channels:
    """One grpc.aio channel per target for the life of the process (channels multiplex calls)."""

    def __init__(self) -> None:
        self._channels: dict[str, grpc.aio.Channel] = {}

    def get(self, target: str) -> grpc.aio.Channel:
        """The channel for ``host:port``, created on first use."""
        channel = self._channels.get(target)
        if channel is None:
            channel = grpc.aio.insecure_channel(
                target, options=CHANNEL_OPTIONS, interceptors=aio_client_interceptors()
            )
            self._channels[target] = channel
        return channel

    async def close(self) -> None:
        """Close every channel."""
        await asyncio.gather(*(c.close() for c in self._channels.values()))
        self._channels.clear()


def auth_metadata(token: str) -> tuple[tuple[str, str], ...]:
    """Metadata forwarding the caller's bearer token."""
    return (("authorization", f"Bearer {token}"),)


_BY_CODE: dict[grpc.StatusCode, type[DomainError]] = {
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: Unavailable,
}


def field_violations(error: grpc.aio.AioRpcError) -> list[FieldViolation]:
    """The BadRequest field violations carried in a status, if any."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    out: list[FieldViolation] = []
    if status is None:
        return out
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            out.extend(FieldViolation(v.field, v.description) for v in bad.field_violations)
    return out


def domain_error(error: grpc.aio.AioRpcError) -> DomainError:
    """The domain error a failed call stands for (the gateway maps these to GraphQL errors)."""
    code = error.code()
    message = error.details() or code.name
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument(field_violations(error) or [FieldViolation("", message)], message)
    cls = _BY_CODE.get(code)
    if cls is None:
        # Unknown and internal faults keep no server text: it may carry data the caller must not see.
        return Internal()
    return cls(message)
