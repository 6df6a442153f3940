"""Taking discovery gRPC requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from minzheng.relief.v1 import discovery_pb2 as pb

from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.fields import check_text
from services.relief.discovery_mapping import STATUS_FROM_PB
from services.relief.discovery_rules import FlagStatus

FILTER_LEVELS = ("district", "town", "village")
MAX_NOTE_LENGTH = 500


@dataclass(frozen=True)
class FlagQuery:
    """A validated flag listing: scopes, status, household, the page."""

    scopes: tuple[str, ...]
    status: FlagStatus | None
    household_id: str | None
    after: tuple[datetime, str] | None
    limit: int


def parse_list(principal: Principal, request: pb.ListFlagsRequest) -> FlagQuery:
    """Scopes (the caller's, or one region inside them), an optional status and household, the page."""
    errors = Collector()
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", request.page.page_token, size=2)
    after = None
    if token is not None:
        try:
            after = (protoconv.as_utc(datetime.fromisoformat(token[0])), token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    status = None
    if request.status:
        status = STATUS_FROM_PB.get(request.status)
        errors.check(status is not None, "status", "unknown")
    region = request.region_code.strip() or None
    if region is not None:
        protoconv.region_code(errors, "region_code", region, levels=FILTER_LEVELS)
    errors.raise_if_any()
    return FlagQuery(principal.narrow(region), status, request.household_id.strip() or None, after, limit)


def parse_handle(request: pb.HandleFlagRequest) -> tuple[str, str]:
    """The flag and the officer's note (required)."""
    errors = Collector()
    errors.check(bool(request.id.strip()), "id", "is required")
    check_text(errors, "note", request.note, max_length=MAX_NOTE_LENGTH, required=True)
    errors.raise_if_any()
    return request.id.strip(), request.note.strip()
