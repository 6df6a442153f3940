"""The gateway's FastAPI app: GraphQL (HTTP and graphql-transport-ws) at /graphql, probes, tracing."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from gateway.auth import token_codec, unauthenticated_response, ws_principal
from gateway.clients import Clients
from gateway.context import GatewayContext, GatewayState, get_context
from gateway.schema import build_schema
from gateway.settings import GatewaySettings
from gateway.webhooks import safety_webhook_router
from services.kit.errors import Unauthenticated
from services.kit.grpc_client import Channels
from services.kit.nats_conn import connect

log = logging.getLogger(__name__)


class GatewayRouter(GraphQLRouter[GatewayContext, None]):
    """Strawberry's router, authenticating WebSocket connections from their connection_init payload."""

    async def on_ws_connect(self, context: GatewayContext) -> UnsetType | dict[str, object] | None:
        """Accept the connection only with a valid bearer token (the socket closes with 4403 otherwise)."""
        assert context.request is not None
        try:
            context.principal = ws_principal(
                context.state.codec, context.connection_params, context.request.headers
            )
        except Unauthenticated as exc:
            raise ConnectionRejectionError({"message": exc.message, "code": "UNAUTHENTICATED"}) from None
        return UNSET


def create_app(settings: GatewaySettings | None = None, *, channels: Channels | None = None) -> FastAPI:
    """The gateway app; ``channels`` lets tests watch the gRPC traffic (the lifespan closes them)."""
    settings = settings or GatewaySettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_channels = channels or Channels()
        nc = await connect(settings.nats_url, name=settings.service_name)
        app.state.gateway = GatewayState(
            settings=settings,
            codec=token_codec(settings),
            clients=Clients(own_channels, settings),
            nc=nc,
            js=nc.jetstream(),
        )
        log.info("gateway up; services %s, NATS %s", settings.service_targets, settings.nats_url)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await nc.drain()
            await own_channels.close()

    app = FastAPI(title="Minzheng 1+3+X gateway", lifespan=lifespan)
    app.add_exception_handler(Unauthenticated, unauthenticated_response)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_query_aliases,
    )
    router = GatewayRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphiql else None,
        # Operations only by POST: a GET loads GraphiQL, which is why it needs no token.
        allow_queries_via_get=False,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=timedelta(seconds=10),
    )
    app.include_router(router, prefix="/graphql")
    app.include_router(safety_webhook_router(settings))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """NATS connected and every service's gRPC health SERVING; 503 otherwise."""
        state: GatewayState = request.app.state.gateway
        services = await state.clients.health(settings.readiness_timeout_s)
        checks = {"nats": state.nc.is_connected, **services}
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks}, status_code=200 if ready else 503
        )

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app
