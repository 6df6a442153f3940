"""The CloudEvents 1.0 envelope (JSON structured mode) every platform event travels in.

Subject on NATS: ``civic.<service>.<event-name>``; CloudEvents ``type``: the same plus ``.v1``.
Extensions: ``traceparent`` (W3C distributed tracing) and ``region`` (so consumers and the
gateway can scope events without reading the payload).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

SUBJECT_ROOT = "civic"
SPEC_VERSION = "1.0"
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
DATA_CONTENT_TYPE = "application/json"
# One encoder for every envelope: json.dumps with options builds a new JSONEncoder on each call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ZERO = timedelta(0)


def format_time(when: datetime) -> str:
    """RFC 3339 UTC with a ``Z``, as in ``CloudEvent.to_dict``; a naive time is taken as UTC (the outbox's
    ``created_at`` on SQLite), not as local time."""
    offset = when.utcoffset()
    if offset is None or offset == _ZERO:  # the common case: no conversion needed
        return (when.replace(tzinfo=None) if offset is not None else when).isoformat() + "Z"
    return when.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def structured_json(
    *,
    id: str,
    source: str,
    type: str,
    time: str,
    data_json: str,
    subject: str | None = None,
    traceparent: str | None = None,
    region: str | None = None,
) -> bytes:
    """The structured-mode event with ``data_json`` (a JSON object's text) spliced in as ``data``.

    Equal, once parsed, to ``CloudEvent.to_json`` of the same attributes with ``data =
    json.loads(data_json)``, without decoding and re-encoding the payload. ``time`` is already
    formatted (``format_time``).
    """
    envelope: dict[str, str] = {
        "specversion": SPEC_VERSION,
        "id": id,
        "source": source,
        "type": type,
        "time": time,
        "datacontenttype": DATA_CONTENT_TYPE,
    }
    if subject is not None:
        envelope["subject"] = subject
    if traceparent:
        envelope["traceparent"] = traceparent
    if region:
        envelope["region"] = region
    head = _encode(envelope)
    return f'{head[:-1]},"data":{data_json}}}'.encode()


def nats_subject(service: str, event_name: str) -> str:
    """``civic.<service>.<event-name>``, validated so no caller can invent wildcards."""
    for part in (service, event_name):
        if not _NAME.match(part):
            raise ValueError(f"bad event name part {part!r}: lowercase letters, digits and '-'")
    return f"{SUBJECT_ROOT}.{service}.{event_name}"


def event_type(subject: str, version: int = 1) -> str:
    """The CloudEvents ``type`` of a subject."""
    return f"{subject}.v{version}"


def subject_of_type(ce_type: str) -> str:
    """The NATS subject of a CloudEvents ``type`` (drops the version suffix)."""
    head, _, tail = ce_type.rpartition(".")
    return head if tail.startswith("v") and tail[1:].isdigit() else ce_type


@dataclass(frozen=True)
class CloudEvent:
    """One event as published: envelope attributes plus the JSON payload."""

    type: str
    source: str
    data: dict[str, Any]
    subject: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    traceparent: str | None = None
    region: str | None = None
    datacontenttype: str = DATA_CONTENT_TYPE
    specversion: str = SPEC_VERSION

    @property
    def nats_subject(self) -> str:
        """Where on NATS this event is published."""
        return subject_of_type(self.type)

    def to_dict(self) -> dict[str, Any]:
        """The structured-mode JSON object."""
        out: dict[str, Any] = {
            "specversion": self.specversion,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": self.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": self.datacontenttype,
            "data": self.data,
        }
        if self.subject is not None:
            out["subject"] = self.subject
        if self.traceparent:
            out["traceparent"] = self.traceparent
        if self.region:
            out["region"] = self.region
        return out

    def to_json(self) -> bytes:
        """Bytes for the wire (UTF-8, Chinese kept readable)."""
        return _encode(self.to_dict()).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        """Parse a structured-mode event; ValueError when required attributes are missing."""
        obj = json.loads(raw)
        missing = [k for k in ("specversion", "id", "source", "type") if k not in obj]
        if missing:
            raise ValueError(f"not a CloudEvent, missing {missing}")
        if obj["specversion"] != SPEC_VERSION:
            raise ValueError(f"unsupported specversion {obj['specversion']}")
        time_raw = obj.get("time")
        when = datetime.fromisoformat(time_raw.replace("Z", "+00:00")) if time_raw else datetime.now(UTC)
        return cls(
            type=obj["type"],
            source=obj["source"],
            data=obj.get("data") or {},
            subject=obj.get("subject"),
            id=obj["id"],
            time=when,
            traceparent=obj.get("traceparent"),
            region=obj.get("region"),
            datacontenttype=obj.get("datacontenttype", "application/json"),
        )
