"""Small conversions every servicer needs between stored values and proto fields."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from services.kit.errors import Collector
from services.kit.regions import InvalidRegionCode, level_of


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive values, which were stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp(moment: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp, or None to leave the field unset."""
    if moment is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(as_utc(moment))
    return ts


def region_code(errors: Collector, field: str, raw: str, *, levels: tuple[str, ...]) -> str:
    """A well-formed region code of one of ``levels``; records a violation and returns '' otherwise."""
    try:
        level = level_of(raw)
    except InvalidRegionCode as exc:
        errors.add(field, str(exc))
        return ""
    if level not in levels:
        errors.add(field, f"must be a {' or '.join(levels)} code, not a {level} code")
        return ""
    return raw.strip()
