"""Who is calling the gateway: bearer tokens on HTTP, the connection_init payload on WebSockets.

An HTTP GraphQL request without a valid token is answered 401 before GraphQL runs; the GraphiQL page
(a plain GET) loads without one so a newcomer can open it and paste a token into the headers pane.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.requests import HTTPConnection

from gateway.settings import GatewaySettings
from services.kit.auth import Principal, TokenCodec, bearer_token
from services.kit.errors import Unauthenticated


def token_codec(settings: GatewaySettings) -> TokenCodec:
    """The codec verifying platform tokens with the configured secret, issuer and audience."""
    return TokenCodec(settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


def needs_token(connection: HTTPConnection) -> bool:
    """Whether an HTTP request must carry a token: every one except the GraphiQL page (GET)."""
    # Queries over GET are switched off in the router, so a GET never executes an operation.
    return connection.scope["type"] == "http" and connection.scope["method"] != "GET"


def http_principal(codec: TokenCodec, connection: HTTPConnection) -> Principal:
    """The caller of an HTTP request; Unauthenticated (answered 401) without a valid bearer token."""
    return codec.verify(bearer_token(connection.headers.get("authorization")))


def ws_principal(codec: TokenCodec, params: Any, headers: Mapping[str, str]) -> Principal:
    """The caller of a WebSocket: ``Authorization`` in the connection_init payload, else the header."""
    value: Any = None
    if isinstance(params, Mapping):
        value = params.get("Authorization") or params.get("authorization")
        nested = params.get("headers")
        if value is None and isinstance(nested, Mapping):
            # Some clients (GraphiQL's headers pane among them) nest headers one level down.
            value = nested.get("Authorization") or nested.get("authorization")
    if value is None:
        value = headers.get("authorization")
    if not isinstance(value, str):
        raise Unauthenticated("missing bearer token in connection_init payload")
    return codec.verify(bearer_token(value))


async def unauthenticated_response(request: Request, exc: Exception) -> JSONResponse:
    """The 401 answer, shaped like a GraphQL error so clients can handle both the same way."""
    message = exc.message if isinstance(exc, Unauthenticated) else "unauthenticated"
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="minzheng"'},
    )
