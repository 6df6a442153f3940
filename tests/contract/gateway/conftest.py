"""The gateway served by a real uvicorn over the real services, reached by real HTTP and WebSockets.

One stack per test module (eldercare, childwelfare and relief on fresh SQLite files, the session's
nats-server, the gateway on a free port); tests keep out of each other's way by using their own towns.
childwelfare and relief run on one movable clock (``Stack.clock``) so dates in their tests are fixed.
gRPC calls from the gateway are counted by a client interceptor on its channels, so a test can assert
how many calls a query made.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import grpc
import httpx
import nats
import nats.js.errors
import pytest
import uvicorn
import websockets
from opentelemetry.instrumentation.grpc import aio_client_interceptors
from websockets.asyncio.client import ClientConnection

from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.childwelfare.spec import make_spec as childwelfare_spec
from services.eldercare.spec import SPEC
from services.kit.auth import Role, TokenCodec
from services.kit.cloudevents import CloudEvent
from services.kit.grpc_client import CHANNEL_OPTIONS, Channels
from services.kit.idcard import make_id_number
from services.kit.local_nats import LocalNats, free_port
from services.kit.service import ServiceProcess
from services.kit.settings import load_settings
from services.relief.spec import make_spec as relief_spec

SECRET = "gateway-contract-secret-0123456789abcdef"
CODEC = TokenCodec(SECRET)
DISTRICT = "330109"
ADMIN = CODEC.mint("district-admin", roles=[Role.ADMIN], regions=[DISTRICT])
VIEWER = CODEC.mint("cockpit", roles=[Role.VIEWER], regions=[DISTRICT])
_elder_sequence = itertools.count(1)
_town_numbers = itertools.count(40)


def town_token(town: str, role: str = Role.TOWN_OFFICER) -> str:
    """A token scoped to one town."""
    return CODEC.mint(f"officer-{town}", roles=[role], regions=[town])


def new_town() -> str:
    """A town code no other test uses, so each test sees only its own institutions."""
    return f"{DISTRICT}{next(_town_numbers):03d}"


def elder_id() -> str:
    """A valid resident ID number for an elder who holds no bed yet."""
    return make_id_number(area_code=DISTRICT, birth_date=date(1940, 5, 17), sequence=next(_elder_sequence))


class CountingInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """Counts the gateway's unary calls by method name (``ListBeds``, ...)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, Any], Any],
        client_call_details: grpc.aio.ClientCallDetails,
        request: Any,
    ) -> Any:
        method = client_call_details.method
        name = method.decode() if isinstance(method, bytes) else method
        self.calls[name.rsplit("/", 1)[-1]] += 1
        return await continuation(client_call_details, request)


class CountingChannels(Channels):
    """The platform's channels with a counting interceptor added."""

    def __init__(self, counter: CountingInterceptor) -> None:
        super().__init__()
        self.counter = counter

    def get(self, target: str) -> grpc.aio.Channel:
        """The channel for ``target``, counting calls."""
        if target not in self._channels:
            self._channels[target] = grpc.aio.insecure_channel(
                target, options=CHANNEL_OPTIONS, interceptors=[*aio_client_interceptors(), self.counter]
            )
        return self._channels[target]


class _Server(uvicorn.Server):
    # pytest owns the signals; uvicorn must not install its own handlers in the test process.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class Gateway:
    """A gateway served on a free port."""

    url: str
    server: uvicorn.Server
    task: asyncio.Task[None]
    counter: CountingInterceptor = field(default_factory=CountingInterceptor)

    @property
    def ws_url(self) -> str:
        """The GraphQL WebSocket endpoint."""
        return self.url.replace("http://", "ws://") + "/graphql"

    async def stop(self) -> None:
        """Shut the server down (runs the app's lifespan exit)."""
        self.server.should_exit = True
        await asyncio.wait_for(self.task, timeout=10)


async def serve_gateway(settings: GatewaySettings) -> Gateway:
    """Start the gateway app under uvicorn in this event loop and wait until it accepts requests."""
    counter = CountingInterceptor()
    app = create_app(settings, channels=CountingChannels(counter))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=settings.port, log_config=None, ws="websockets-sansio", lifespan="on"
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        if task.done():
            task.result()  # surfaces the start-up error
        await asyncio.sleep(0.02)
    else:
        raise RuntimeError("gateway did not start")
    return Gateway(url=f"http://127.0.0.1:{settings.port}", server=server, task=task, counter=counter)


def gateway_settings(
    nats_url: str,
    eldercare_addr: str,
    childwelfare_addr: str | None = None,
    relief_addr: str | None = None,
    **overrides: Any,
) -> GatewaySettings:
    """Settings for a test gateway on a free port (childwelfare and relief nowhere unless given)."""
    return GatewaySettings(
        nats_url=nats_url,
        jwt_secret=SECRET,
        eldercare_addr=eldercare_addr,
        childwelfare_addr=childwelfare_addr or f"127.0.0.1:{free_port()}",
        relief_addr=relief_addr or f"127.0.0.1:{free_port()}",
        port=free_port(),
        environment="test",
        **overrides,
    )


# 15 June 2025, 10:00 in Shanghai: "today" for childwelfare and relief in these tests.
CHILDWELFARE_START = datetime(2025, 6, 15, 2, 0, tzinfo=UTC)


@dataclass
class MovableClock:
    """childwelfare's and relief's clock; tests may set ``now``."""

    now: datetime = CHILDWELFARE_START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Stack:
    """eldercare, childwelfare and relief, plus the gateway in front of them."""

    eldercare: ServiceProcess
    childwelfare: ServiceProcess
    relief: ServiceProcess
    gateway: Gateway
    http: httpx.AsyncClient
    nats_url: str
    clock: MovableClock

    async def gql(self, query: str, variables: dict[str, Any] | None = None, *, token: str = ADMIN) -> Any:
        """POST a GraphQL operation with a bearer token; the JSON body (status must be 200)."""
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, *, token: str = ADMIN) -> Any:
        """The data of an operation that must succeed."""
        body = await self.gql(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        return body["data"]


@pytest.fixture(scope="module")
async def stack(nats_server: LocalNats, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    """The real eldercare, childwelfare and relief services (SQLite) and the gateway, for one test module."""
    if not nats_server.running:
        nats_server.start()
    data_dir: Path = tmp_path_factory.mktemp("gateway-stack")
    eldercare = ServiceProcess(
        SPEC,
        load_settings(
            "eldercare",
            database_url=f"sqlite+aiosqlite:///{data_dir / 'eldercare.db'}",
            nats_url=nats_server.url,
            grpc_port=0,
            jwt_secret=SECRET,
            environment="test",
            data_dir=data_dir,
        ),
    )
    clock = MovableClock()
    childwelfare = ServiceProcess(
        childwelfare_spec(clock=clock),
        load_settings(
            "childwelfare",
            database_url=f"sqlite+aiosqlite:///{data_dir / 'childwelfare.db'}",
            nats_url=nats_server.url,
            grpc_port=0,
            jwt_secret=SECRET,
            environment="test",
            data_dir=data_dir,
        ),
    )
    relief = ServiceProcess(
        relief_spec(clock=clock),
        load_settings(
            "relief",
            database_url=f"sqlite+aiosqlite:///{data_dir / 'relief.db'}",
            nats_url=nats_server.url,
            grpc_port=0,
            jwt_secret=SECRET,
            environment="test",
            data_dir=data_dir,
        ),
    )
    await eldercare.start()
    await childwelfare.start()
    await relief.start()
    gateway = await serve_gateway(
        gateway_settings(nats_server.url, eldercare.address, childwelfare.address, relief.address)
    )
    http = httpx.AsyncClient(base_url=gateway.url, timeout=30)
    try:
        yield Stack(
            eldercare=eldercare,
            childwelfare=childwelfare,
            relief=relief,
            gateway=gateway,
            http=http,
            nats_url=nats_server.url,
            clock=clock,
        )
    finally:
        await http.aclose()
        await gateway.stop()
        await relief.stop(grace_s=1)
        await childwelfare.stop(grace_s=1)
        await eldercare.stop(grace_s=1)


REGISTER = """
mutation Register($input: RegisterInstitutionInput!) {
  registerInstitution(input: $input) { id name kind regionCode starRating bedCount occupiedCount createdAt }
}
"""
ADD_BEDS = """
mutation AddBeds($input: AddBedsInput!) {
  addBeds(input: $input) { id institutionId label type status regionCode }
}
"""
ASSIGN = """
mutation Assign($input: AssignBedInput!) {
  assignBed(input: $input) { id status occupantIdNumber occupantName assignedAt regionCode }
}
"""
RELEASE = """
mutation Release($input: ReleaseBedInput!) {
  releaseBed(input: $input) { id status occupantIdNumber occupantName }
}
"""


async def register(stack: Stack, town: str, name: str = "颐养院", *, token: str = ADMIN) -> dict[str, Any]:
    """Register an institution in ``town``; its GraphQL fields."""
    variables = {"input": {"name": name, "kind": "PUBLIC", "regionCode": town, "starRating": 3}}
    return (await stack.data(REGISTER, variables, token=token))["registerInstitution"]


async def add_beds(
    stack: Stack, institution_id: str, count: int = 2, bed_type: str = "NURSING"
) -> list[dict[str, Any]]:
    """Add vacant beds; their GraphQL fields."""
    variables = {"input": {"institutionId": institution_id, "type": bed_type, "count": count}}
    return (await stack.data(ADD_BEDS, variables))["addBeds"]


async def assign(stack: Stack, bed_id: str, *, token: str = ADMIN) -> Any:
    """Assign a bed to a new elder; the whole response body (it may carry errors)."""
    variables = {"input": {"bedId": bed_id, "elderIdNumber": elder_id(), "elderName": "王阿婆"}}
    return await stack.gql(ASSIGN, variables, token=token)


def error_codes(body: dict[str, Any]) -> list[str]:
    """``extensions.code`` of each error in a response."""
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]


STREAM = "CIVIC"
EVENTS = """
subscription Events($types: [String!]) {
  events(types: $types) { id type source subject time region data traceparent }
}
"""


async def _consumers(nats_url: str) -> dict[str, bool]:
    """The CIVIC stream's consumers by name, and whether a subscriber is bound to each."""
    nc = await nats.connect(nats_url)
    try:
        infos = await nc.jetstream().consumers_info(STREAM)
        return {info.name: bool(info.push_bound) for info in infos}
    finally:
        await nc.close()


async def bound_consumers(nats_url: str) -> set[str]:
    """Names of the CIVIC consumers a subscriber is bound to."""
    return {name for name, bound in (await _consumers(nats_url)).items() if bound}


@contextlib.asynccontextmanager
async def subscribed(stack: Stack, token: str, types: list[str]) -> AsyncIterator[ClientConnection]:
    """A graphql-transport-ws connection with the events subscription running (its consumer bound)."""
    before = await bound_consumers(stack.nats_url)
    async with websockets.connect(stack.gateway.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        payload = {"query": EVENTS, "variables": {"types": types}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        # The protocol has no "subscribed" message: wait until the gateway's consumer is bound, so
        # events published from now on are delivered (it starts at new messages).
        for _ in range(100):
            if await bound_consumers(stack.nats_url) - before:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the subscription's JetStream consumer never appeared")
        yield ws


async def next_event(ws: ClientConnection) -> dict[str, Any]:
    """The data of the next event a subscription delivers (within 10 s)."""
    message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "next", message
    assert not message["payload"].get("errors"), message
    return message["payload"]["data"]["events"]


async def wait_until_published(nats_url: str, subject: str, entity_id: str) -> None:
    """Wait until the latest event on ``subject`` is about ``entity_id`` (the relay is asynchronous)."""
    nc = await nats.connect(nats_url)
    try:
        for _ in range(200):
            with contextlib.suppress(nats.js.errors.NotFoundError):
                last = await nc.jetstream().get_last_msg(STREAM, subject)
                if last.data and CloudEvent.from_json(last.data).subject == entity_id:
                    return
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {subject} event about {entity_id}")
    finally:
        await nc.close()
