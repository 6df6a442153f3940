"""The vendor webhook for home-safety alarms over real HTTP: gateway (uvicorn) → eldercare (gRPC) on both
databases. A wrong or missing signature is 401 and stores nothing; a repeat is the same 200 and one alarm.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from minzheng.eldercare.v1 import safety_pb2 as pb

from gateway.settings import GatewaySettings
from gateway.webhooks import DEV_SAFETY_WEBHOOK_SECRET, SIGNATURE_HEADER, sign
from services.kit.local_nats import LocalNats, free_port
from tests.contract.eldercare.safety_support import (
    ADMIN,
    SECRET,
    MovableClock,
    Safety,
    install,
    md,
    start_safety,
    stop_safety,
)
from tests.contract.gateway.conftest import Gateway, serve_gateway

VENDOR_SECRET = "acme-webhook-secret-0123456789abcdefghij"
URL = "/webhooks/safety/acme"


@dataclass
class Webhook:
    """eldercare behind a gateway that knows the acme vendor's secret."""

    safety: Safety
    gateway: Gateway
    http: httpx.AsyncClient

    async def post(
        self, body: dict[str, Any] | bytes, *, secret: str | None = VENDOR_SECRET, url: str = URL
    ) -> httpx.Response:
        """POST a body signed with ``secret`` (unsigned when None)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SIGNATURE_HEADER] = sign(secret, raw)
        return await self.http.post(url, content=raw, headers=headers)


@pytest.fixture
async def webhook(
    database_url: str, nats: LocalNats, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Webhook]:
    """eldercare on a fresh database (clock at the real now) and a gateway configured with one vendor."""
    svc = await start_safety(database_url, nats.url, tmp_path, MovableClock(datetime.now(UTC)))
    monkeypatch.setenv("GATEWAY_SAFETY_WEBHOOK_SECRETS", json.dumps({"acme": VENDOR_SECRET}))
    settings = GatewaySettings(
        nats_url=nats.url,
        jwt_secret=SECRET,
        eldercare_addr=svc.process.address,
        childwelfare_addr=f"127.0.0.1:{free_port()}",
        port=free_port(),
        environment="test",
    )
    gateway = await serve_gateway(settings)
    http = httpx.AsyncClient(base_url=gateway.url, timeout=30)
    try:
        yield Webhook(svc, gateway, http)
    finally:
        await http.aclose()
        await gateway.stop()
        await stop_safety(svc)


def alarm(vendor_alarm_id: str = "ACME-1", **overrides: Any) -> dict[str, Any]:
    """A vendor's alarm body for the SOS button SOS-0001, fired a minute ago."""
    body = {
        "alarm_id": vendor_alarm_id,
        "serial": "SOS-0001",
        "kind": "sos",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "detail": "一键呼叫",
        "firmware": "2.1",  # vendors add fields of their own; they are ignored
    }
    return {**body, **overrides}


async def with_device(hook: Webhook) -> None:
    await install(hook.safety, await hook.safety.add_elder())


async def test_a_signed_alarm_is_stored_once_and_repeats_get_the_same_answer(webhook: Webhook) -> None:
    await with_device(webhook)
    first = await webhook.post(alarm())
    assert first.status_code == 200, first.text
    repeats = await asyncio.gather(*(webhook.post(alarm()) for _ in range(3)))
    assert [r.status_code for r in repeats] == [200] * 3
    assert all(r.json() == first.json() for r in repeats)
    assert first.json()["vendor"] == "acme" and first.json()["vendor_alarm_id"] == "ACME-1"
    assert await webhook.safety.count("safety_alarm") == 1
    assert await webhook.safety.count("outbox WHERE type = 'civic.eldercare.safety-alarm-raised.v1'") == 1
    stored = await webhook.safety.stub.GetAlarm(
        pb.GetAlarmRequest(id=first.json()["alarm_id"]), metadata=md(ADMIN)
    )
    assert stored.status == pb.ALARM_STATUS_RAISED and stored.steps[0].actor == "service:gateway"
    assert stored.detail == "一键呼叫"


async def test_a_wrong_or_missing_credential_is_401_and_nothing_is_stored(webhook: Webhook) -> None:
    await with_device(webhook)
    before = await webhook.safety.counts()
    raw = json.dumps(alarm()).encode()
    tampered = await webhook.http.post(
        URL, content=raw.replace(b"ACME-1", b"ACME-2"), headers={SIGNATURE_HEADER: sign(VENDOR_SECRET, raw)}
    )
    responses = [
        await webhook.post(alarm(), secret="not-the-secret"),
        await webhook.post(alarm(), secret=None),
        tampered,
        # Another vendor's path with acme's signature, and the development vendor (configured away here).
        await webhook.post(alarm(), url="/webhooks/safety/other"),
        await webhook.post(alarm(), secret=DEV_SAFETY_WEBHOOK_SECRET, url="/webhooks/safety/demo"),
    ]
    assert [r.status_code for r in responses] == [401] * 5
    assert all("signature" in r.json()["error"] for r in responses)
    assert await webhook.safety.counts() == before


async def test_a_bad_body_is_422_naming_the_field_and_device_errors_are_clear(webhook: Webhook) -> None:
    await with_device(webhook)
    before = await webhook.safety.counts()
    no_time = alarm()
    del no_time["occurred_at"]
    cases = {
        "occurred_at": no_time,
        "kind": alarm(kind="earthquake"),
        "serial": alarm(serial=""),
    }
    for field, body in cases.items():
        response = await webhook.post(body)
        assert response.status_code == 422, response.text
        assert [f["field"] for f in response.json()["fields"]] == [field]
    naive = await webhook.post(alarm(occurred_at="2025-06-15T10:00:00"))
    assert naive.status_code == 422 and naive.json()["fields"][0]["field"] == "occurred_at"
    not_json = await webhook.post(b"{not json")
    assert not_json.status_code == 422
    unknown = await webhook.post(alarm(serial="NOPE-1"))
    assert unknown.status_code == 404 and "NOPE-1" in unknown.json()["error"]
    wrong_kind = await webhook.post(alarm(kind="smoke"))
    assert wrong_kind.status_code == 422 and wrong_kind.json()["fields"][0]["field"] == "kind"
    assert await webhook.safety.counts() == before
