"""Helpers every domain's schema part shares: global IDs, timestamps and ISO dates from replies."""

from __future__ import annotations

from datetime import UTC, date, datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from strawberry.relay.utils import from_base64

from gateway.errors import invalid_field


def node_id(value: str, type_name: str, field: str) -> str:
    """The service's id inside a global ID; INVALID_ARGUMENT on ``field`` unless it is a ``type_name`` id."""
    try:
        kind, raw = from_base64(value)
    except ValueError:
        raise invalid_field(field, f"is not a {type_name} id") from None
    if kind != type_name or not raw:
        raise invalid_field(field, f"is not a {type_name} id")
    return raw


def timestamp(message: Message, name: str) -> datetime | None:
    """A Timestamp field of a reply as an aware UTC datetime; None when unset."""
    if not message.HasField(name):
        return None
    stamp: Timestamp = getattr(message, name)
    return stamp.ToDatetime(tzinfo=UTC)


def day(text: str) -> date | None:
    """A service's ISO "YYYY-MM-DD" date string as a date; None when empty."""
    return date.fromisoformat(text) if text else None


def iso(value: date | None) -> str:
    """A date as the services take it ("" when not given: the service's default applies)."""
    return value.isoformat() if value else ""
