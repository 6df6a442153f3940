"""Device vendors' webhook for home-safety alarms (安居守护): ``POST /webhooks/safety/{vendor}``.

A vendor's platform posts one alarm as JSON, signed with the secret it shares with us: the header
``X-Minzheng-Signature: sha256=<hex HMAC-SHA256 of the raw body>``, compared in constant time. A
missing or wrong signature, or a vendor we have no secret for, is 401 and nothing is stored. A body
that does not parse is 422 naming the field. The alarm then goes to eldercare's ``IngestAlarm`` with
the gateway's own service identity (role ``service``), which is idempotent per vendor alarm id: a
repeat gets the same 200 answer and no second event.

Secrets come from ``GATEWAY_SAFETY_WEBHOOK_SECRETS``, a JSON object of vendor code → secret. Outside
production, when none is configured, a ``demo`` vendor with a fixed development secret is accepted so
the demo and the end-to-end test can post alarms; production refuses that secret and short ones.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Mapping
from typing import Any

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from google.protobuf.timestamp_pb2 import Timestamp
from minzheng.eldercare.v1 import safety_pb2 as pb
from minzheng.eldercare.v1.safety_pb2_grpc import HomeSafetyServiceStub
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.settings import GatewaySettings
from services.kit.auth import TokenCodec
from services.kit.grpc_client import auth_metadata, field_violations

log = logging.getLogger(__name__)

PATH = "/webhooks/safety/{vendor}"
SIGNATURE_HEADER = "X-Minzheng-Signature"
SIGNATURE_PREFIX = "sha256="
DEV_VENDOR = "demo"
DEV_SAFETY_WEBHOOK_SECRET = "dev-only-safety-webhook-secret-0123456789"
MIN_SECRET_LENGTH = 32
MAX_BODY_BYTES = 64 * 1024
SERVICE_TOKEN_TTL_S = 3600
_VENDOR = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_KINDS = {name.removeprefix("ALARM_KIND_").lower(): number for name, number in pb.AlarmKind.items() if number}
# The gRPC statuses a vendor can act on, as HTTP statuses; anything else is our fault (502).
_HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 503,
}


class SafetyWebhookSettings(BaseSettings):
    """``GATEWAY_SAFETY_WEBHOOK_SECRETS``: a JSON object of vendor code → shared secret."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    safety_webhook_secrets: dict[str, SecretStr] = Field(default_factory=dict)


class VendorAlarm(BaseModel):
    """The body a vendor posts (unknown extra fields are ignored: vendors add their own)."""

    model_config = ConfigDict(extra="ignore")

    alarm_id: str = Field(min_length=1, max_length=100, description="The vendor's id of the alarm.")
    serial: str = Field(min_length=1, max_length=64)
    kind: str = Field(description=f"One of: {', '.join(sorted(_KINDS))}")
    occurred_at: AwareDatetime = Field(description="ISO 8601 with a UTC offset.")
    detail: str = Field(default="", max_length=500)


def vendor_secrets(settings: GatewaySettings, webhook: SafetyWebhookSettings) -> dict[str, bytes]:
    """The configured secrets by vendor; refuses bad vendor codes and, in production, weak secrets."""
    secrets = {vendor: secret.get_secret_value() for vendor, secret in webhook.safety_webhook_secrets.items()}
    for vendor, secret in secrets.items():
        if not _VENDOR.match(vendor):
            raise ValueError(
                f"GATEWAY_SAFETY_WEBHOOK_SECRETS: vendor code {vendor!r} must match {_VENDOR.pattern}"
            )
        if settings.environment == "production" and (
            secret == DEV_SAFETY_WEBHOOK_SECRET or len(secret) < MIN_SECRET_LENGTH
        ):
            raise ValueError(
                f"GATEWAY_SAFETY_WEBHOOK_SECRETS: the secret of {vendor!r} must be ≥ {MIN_SECRET_LENGTH} "
                "characters and not the development one in production"
            )
    if not secrets and settings.environment != "production":
        secrets = {DEV_VENDOR: DEV_SAFETY_WEBHOOK_SECRET}
    return {vendor: secret.encode() for vendor, secret in secrets.items()}


def sign(secret: str | bytes, body: bytes) -> str:
    """The signature header value of ``body`` (what a vendor sends)."""
    key = secret.encode() if isinstance(secret, str) else secret
    return SIGNATURE_PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def authentic(secret: bytes | None, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the body's signature under ``secret`` (constant-time comparison)."""
    # An unknown vendor is compared against a throwaway key, so timing does not tell vendors apart.
    expected = sign(secret if secret is not None else b"\0" * MIN_SECRET_LENGTH, body)
    given = (header or "").strip().lower()
    return hmac.compare_digest(expected.encode(), given.encode()) and secret is not None


class _ServiceToken:
    """The gateway's own service token, minted again when half its life is gone."""

    def __init__(self, codec: TokenCodec, regions: tuple[str, ...]) -> None:
        self._codec = codec
        self._regions = regions
        self._token = ""
        self._renew_at = 0.0

    def get(self) -> str:
        now = time.monotonic()
        if now >= self._renew_at:
            self._token = self._codec.service_token(
                "gateway", regions=self._regions, ttl_s=SERVICE_TOKEN_TTL_S
            )
            self._renew_at = now + SERVICE_TOKEN_TTL_S / 2
        return self._token


def _problem(status: int, message: str, fields: Mapping[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if fields:
        body["fields"] = [{"field": f, "description": d} for f, d in fields.items()]
    headers = {"WWW-Authenticate": f'Signature header="{SIGNATURE_HEADER}"'} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _parse(body: bytes) -> VendorAlarm | JSONResponse:
    try:
        raw = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _problem(422, "the body is not JSON", {"body": "must be a JSON object"})
    try:
        alarm = VendorAlarm.model_validate(raw)
    except ValidationError as exc:
        fields = {".".join(map(str, e["loc"])) or "body": e["msg"] for e in exc.errors()}
        return _problem(422, "the alarm does not parse", fields)
    if alarm.kind not in _KINDS:
        return _problem(
            422, "the alarm does not parse", {"kind": f"must be one of {', '.join(sorted(_KINDS))}"}
        )
    return alarm


async def _read_limited(request: Request) -> bytes | None:
    """The raw body, or None once it passes the size limit (read no further: the caller is unverified)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def safety_webhook_router(
    settings: GatewaySettings, webhook: SafetyWebhookSettings | None = None
) -> APIRouter:
    """The webhook's router; refuses to build (and the gateway to start) with bad secrets configured."""
    secrets = vendor_secrets(settings, webhook or SafetyWebhookSettings())
    router = APIRouter()
    tokens: dict[str, _ServiceToken] = {}

    @router.post(PATH, include_in_schema=True, summary="A device vendor reports a home-safety alarm")
    async def receive_alarm(vendor: str, request: Request) -> JSONResponse:
        """Verify the vendor's signature, then ingest the alarm once per vendor alarm id."""
        body = await _read_limited(request)
        if body is None:
            return _problem(413, f"the body must be at most {MAX_BODY_BYTES} bytes")
        if not authentic(secrets.get(vendor), body, request.headers.get(SIGNATURE_HEADER)):
            return _problem(401, "missing or wrong signature for this vendor")
        parsed = _parse(body)
        if isinstance(parsed, JSONResponse):
            return parsed
        state = request.app.state.gateway
        token = tokens.setdefault("gateway", _ServiceToken(state.codec, settings.service_regions)).get()
        stub = HomeSafetyServiceStub(state.clients.channels.get(settings.eldercare_addr))
        occurred = Timestamp()
        occurred.FromDatetime(parsed.occurred_at)
        ingest = pb.IngestAlarmRequest(
            vendor=vendor,
            vendor_alarm_id=parsed.alarm_id,
            serial=parsed.serial,
            kind=_KINDS[parsed.kind],  # type: ignore[arg-type]
            occurred_at=occurred,
            detail=parsed.detail,
        )
        try:
            reply = await stub.IngestAlarm(
                ingest, timeout=settings.grpc_timeout_s, metadata=auth_metadata(token)
            )
        except grpc.aio.AioRpcError as exc:
            status = _HTTP_STATUS.get(exc.code(), 502)
            if status == 502:
                log.error("IngestAlarm failed for vendor %s: %s", vendor, exc.code().name)
                return _problem(502, "the alarm could not be stored; retry later")
            fields = {v.field: v.description for v in field_violations(exc)}
            return _problem(status, exc.details() or exc.code().name, fields)
        alarm = reply.alarm
        # The same answer for a first delivery and every repeat: nothing here changes with the alarm's state.
        return JSONResponse(
            {
                "alarm_id": alarm.id,
                "vendor": alarm.vendor,
                "vendor_alarm_id": alarm.vendor_alarm_id,
                "received_at": alarm.received_at.ToDatetime().isoformat() + "Z",
            }
        )

    return router
