"""Who may call the gateway: bearer tokens on HTTP and WebSockets; the open pages and probes."""

from __future__ import annotations

import json

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from services.kit.auth import Role, TokenCodec
from services.kit.local_nats import free_port
from tests.contract.gateway.conftest import (
    ADMIN,
    CODEC,
    Stack,
    gateway_settings,
    serve_gateway,
)

QUERY = {"query": "{ occupancy { total } }"}


def _assert_unauthenticated(response_status: int, body: dict[str, object], headers: dict[str, str]) -> None:
    assert response_status == 401
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert headers["www-authenticate"].startswith("Bearer")


async def test_request_without_token_is_401_before_graphql_runs(stack: Stack) -> None:
    stack.gateway.counter.calls.clear()
    response = await stack.http.post("/graphql", json=QUERY)
    _assert_unauthenticated(response.status_code, response.json(), dict(response.headers))
    assert "missing" in response.json()["errors"][0]["message"]
    assert not stack.gateway.counter.calls


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        "Bearer "
        + TokenCodec("another-secret-0123456789abcdef0123").mint("x", roles=["admin"], regions=["330109"]),
        "Bearer " + CODEC.mint("old", roles=[Role.ADMIN], regions=["330109"], ttl_s=10, now=1_000_000),
    ],
    ids=["garbage", "basic-scheme", "foreign-secret", "expired"],
)
async def test_bad_token_is_401(stack: Stack, header: str) -> None:
    response = await stack.http.post("/graphql", json=QUERY, headers={"Authorization": header})
    _assert_unauthenticated(response.status_code, response.json(), dict(response.headers))


async def test_valid_token_reaches_graphql(stack: Stack) -> None:
    response = await stack.http.post("/graphql", json=QUERY, headers={"Authorization": f"Bearer {ADMIN}"})
    assert response.status_code == 200
    assert "errors" not in response.json()


async def test_graphiql_page_loads_without_token(stack: Stack) -> None:
    response = await stack.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_queries_over_get_are_refused(stack: Stack) -> None:
    stack.gateway.counter.calls.clear()
    response = await stack.http.get(
        "/graphql", params={"query": "{ occupancy { total } }"}, headers={"Accept": "application/json"}
    )
    assert response.status_code != 200
    assert not stack.gateway.counter.calls


async def test_probes(stack: Stack) -> None:
    assert (await stack.http.get("/healthz")).json() == {"status": "ok"}
    ready = await stack.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"nats": True, "eldercare": True, "childwelfare": True, "relief": True}


async def test_readyz_is_503_when_a_service_does_not_answer(stack: Stack) -> None:
    lonely = await serve_gateway(gateway_settings(stack.nats_url, f"127.0.0.1:{free_port()}"))
    try:
        async with httpx.AsyncClient(base_url=lonely.url) as http:
            ready = await http.get("/readyz")
            healthy = await http.get("/healthz")
        assert ready.status_code == 503
        assert ready.json()["checks"] == {
            "nats": True,
            "eldercare": False,
            "childwelfare": False,
            "relief": False,
        }
        assert healthy.status_code == 200
    finally:
        await lonely.stop()


@pytest.mark.parametrize("payload", [{}, {"Authorization": "Bearer nope"}, {"authorization": "Token x"}])
async def test_websocket_without_valid_token_is_closed(stack: Stack, payload: dict[str, str]) -> None:
    async with websockets.connect(stack.gateway.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_websocket_with_token_is_acknowledged(stack: Stack) -> None:
    async with websockets.connect(stack.gateway.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {ADMIN}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
