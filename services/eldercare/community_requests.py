"""Request helpers shared by the community areas (meals, renovation, inspections, caregivers).

Each ``parse_*`` of those areas collects every violation in a ``Collector`` and raises one
INVALID_ARGUMENT before anything is read or written; these are the pieces they have in common: days,
free text, listing scopes and keyset page tokens, and "today" in China.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from minzheng.common.v1 import common_pb2

from services.eldercare.rules import CHINA_TZ, check_text
from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector, PermissionDenied
from services.kit.fields import parse_day as parse_day
from services.kit.periods import Clock

__all__ = [
    "FILTER_LEVELS",
    "PLACE_LEVELS",
    "Clock",
    "Listing",
    "after_keyset",
    "check_text",
    "china_today",
    "day",
    "listing",
    "parse_day",
    "past_day",
    "require_region",
    "required",
]

FILTER_LEVELS = ("district", "town", "village")
# Where a facility or a caregiver's workplace is: a town or a village.
PLACE_LEVELS = ("town", "village")


@dataclass(frozen=True)
class Listing:
    """Scopes to query and the keyset page: resume after ``after``, at most ``limit`` rows."""

    scopes: tuple[str, ...]
    after: tuple[str, str] | None
    limit: int


def china_today(now: datetime) -> date:
    """The calendar day in China at ``now``."""
    return now.astimezone(CHINA_TZ).date()


def day(value: date | None) -> str:
    """An ISO date, or '' for none."""
    return value.isoformat() if value is not None else ""


def required(errors: Collector, field: str, value: str) -> None:
    """A field that must not be blank."""
    errors.check(bool(value.strip()), field, "is required")


def past_day(
    errors: Collector, field: str, raw: str, *, today: date, default_today: bool = True
) -> date | None:
    """A day that has already begun in China (default today unless ``default_today`` is off)."""
    value = parse_day(errors, field, raw, default=today if default_today else None)
    if value is not None and value > today:
        errors.add(field, f"must not be in the future (today is {today.isoformat()})")
        return None
    return value


def listing(principal: Principal, errors: Collector, region: str, page: common_pb2.PageRequest) -> Listing:
    """The caller's scopes narrowed to an optional region filter, and the page asked for."""
    if region:
        protoconv.region_code(errors, "region_code", region, levels=FILTER_LEVELS)
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    after = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    errors.raise_if_any()
    scopes = principal.narrow(region.strip() or None)
    return Listing(scopes, (after[0], after[1]) if after else None, limit)


def require_region(principal: Principal, region_code: str) -> None:
    """Refuse a change outside the caller's regions."""
    if not principal.can_see(region_code):
        raise PermissionDenied(f"region_code: {region_code} is outside your regions")


def after_keyset(
    first: sa.ColumnElement[Any], row_id: sa.ColumnElement[str], after: tuple[Any, str]
) -> sa.ColumnElement[bool]:
    """Rows after the keyset (first, id), spelled so a (first, id) index serves it."""
    return sa.or_(first > after[0], sa.and_(first == after[0], row_id > after[1]))
