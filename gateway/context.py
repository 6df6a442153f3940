"""What resolvers see: the caller, their token, the gRPC stubs and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeAlias, TypeVar

import strawberry
from minzheng.childwelfare.v1 import childwelfare_pb2 as cw_pb
from minzheng.eldercare.v1 import eldercare_pb2 as pb
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from gateway.auth import http_principal, needs_token
from gateway.clients import Clients, UnaryCall, call
from gateway.loaders import BedsKey, ComplianceKey, beds_loader, compliance_loader
from gateway.settings import GatewaySettings
from services.kit.auth import Principal, TokenCodec
from services.kit.errors import Unauthenticated

Req = TypeVar("Req")
Resp = TypeVar("Resp")


@dataclass
class GatewayState:
    """Process-wide resources opened by the app's lifespan (kept on ``app.state.gateway``)."""

    settings: GatewaySettings
    codec: TokenCodec
    clients: Clients
    nc: NatsClient
    js: JetStreamContext


class Loaders:
    """The DataLoaders of one request, each made on first use (a WebSocket connection shares one set).

    A WebSocket context lives as long as the connection: its loaders batch but never cache, so a
    long-lived subscription never serves stale rows.
    """

    def __init__(self, context: GatewayContext) -> None:
        self._context = context
        self._cache = not context.websocket

    @cached_property
    def beds(self) -> DataLoader[BedsKey, list[pb.Bed]]:
        """Beds by institution (one ListBeds call per batch)."""
        eldercare = self._context.clients.eldercare
        return beds_loader(lambda r: self._context.call(eldercare.ListBeds, r), cache=self._cache)

    @cached_property
    def compliance(self) -> DataLoader[ComplianceKey, cw_pb.ComplianceRow | None]:
        """Visit compliance by director, town or village (one GetVisitCompliance call per grouping)."""
        childwelfare = self._context.clients.childwelfare
        return compliance_loader(
            lambda r: self._context.call(childwelfare.GetVisitCompliance, r), cache=self._cache
        )


class GatewayContext(BaseContext):
    """Per-request context; on a WebSocket the principal is set once the connection_init arrives."""

    def __init__(self, state: GatewayState, principal: Principal | None, *, websocket: bool) -> None:
        super().__init__()
        self.state = state
        self.websocket = websocket
        self._principal = principal
        self._loaders: Loaders | None = None

    @property
    def principal(self) -> Principal:
        """The verified caller."""
        if self._principal is None:
            raise Unauthenticated("no caller on this request")
        return self._principal

    @principal.setter
    def principal(self, principal: Principal) -> None:
        self._principal = principal

    @property
    def clients(self) -> Clients:
        """The gRPC stubs."""
        return self.state.clients

    @property
    def loaders(self) -> Loaders:
        """This request's DataLoaders, made on first use."""
        if self._loaders is None:
            self._loaders = Loaders(self)
        return self._loaders

    async def call(
        self, method: UnaryCall[Req, Resp], request: Req, *, renames: Mapping[str, str] | None = None
    ) -> Resp:
        """Call a service as the caller (their token forwarded), mapping failures to GraphQL errors."""
        return await call(
            method, request, token=self.principal.token, timeout_s=self.clients.timeout_s, renames=renames
        )


async def get_context(connection: HTTPConnection) -> GatewayContext:
    """FastAPI dependency building the context; an HTTP operation without a valid token gets 401 here."""
    state: GatewayState = connection.app.state.gateway
    principal = http_principal(state.codec, connection) if needs_token(connection) else None
    return GatewayContext(state, principal, websocket=connection.scope["type"] == "websocket")


Info: TypeAlias = strawberry.Info[GatewayContext, None]
