"""Taking the allowance RPCs' requests apart: every bad field named, nothing read or written before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.childwelfare.v1 import childwelfare_pb2 as pb

from services.childwelfare.requests import child_or_children, scope_of
from services.kit import paging
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.periods import Month


@dataclass(frozen=True)
class PaymentQuery:
    """A validated payments listing: one child's, many children's first pages, or a region's."""

    child_id: str
    child_ids: list[str]
    scopes: tuple[str, ...]
    period: str | None
    after: tuple[str, int] | None
    limit: int


def month_of(errors: Collector, field: str, raw: str, *, today: date | None = None) -> Month | None:
    """A ``YYYY-MM`` month, not after the month of ``today`` when given; None when empty or bad."""
    if not raw.strip():
        return None
    try:
        month = Month.parse(raw)
    except ValueError:
        errors.add(field, "must be a month as YYYY-MM")
        return None
    if today is not None and month > Month.containing(today):
        errors.add(field, f"must not be after the current month ({Month.containing(today).key})")
        return None
    return month


def parse_run(request: pb.RunAllowancesRequest, *, today: date) -> Month:
    """The month to pay: the one given (not in the future), or the current one."""
    errors = Collector()
    month = month_of(errors, "period", request.period, today=today)
    errors.raise_if_any()
    return month or Month.containing(today)


def _keyset(errors: Collector, token: str, *, size: int = 2) -> tuple[str, int] | None:
    keys = paging.decode_page_token(errors, "page.page_token", token, size=size)
    if keys is None:
        return None
    if not keys[1].isdigit():
        errors.add("page.page_token", "is not a page token this service issued")
        return None
    return keys[0], int(keys[1])


def parse_list_runs(request: pb.ListAllowanceRunsRequest) -> tuple[str | None, tuple[str, int] | None, int]:
    """The period filter, the keyset (period, sequence) to resume after, and the page size."""
    errors = Collector()
    month = month_of(errors, "period", request.period)
    limit = paging.page_size(errors, "page.page_size", request.page.page_size)
    after = _keyset(errors, request.page.page_token)
    errors.raise_if_any()
    return (month.key if month else None), after, limit


def parse_list_payments(principal: Principal, request: pb.ListAllowancePaymentsRequest) -> PaymentQuery:
    """Whose payments (a child, children or a region inside the caller's), which month, which page."""
    errors = Collector()
    month = month_of(errors, "period", request.period)
    page = request.page
    child_id, child_ids = "", []
    if request.child_id.strip() or request.child_ids:
        child_id, child_ids = child_or_children(errors, request.child_id, request.child_ids, page.page_token)
        errors.check(not request.region_code.strip(), "region_code", "give a child or a region, not both")
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    after = _keyset(errors, page.page_token)
    scopes = scope_of(principal, errors, request.region_code)  # raises every violation collected
    return PaymentQuery(child_id, child_ids, scopes, month.key if month else None, after, limit)
