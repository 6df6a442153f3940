"""Taking care gRPC requests apart: validate every field, name the bad ones, return plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from minzheng.common.v1 import common_pb2
from minzheng.relief.v1 import care_pb2 as pb

from services.kit import paging, protoconv
from services.kit.auth import Principal
from services.kit.errors import Collector
from services.kit.fields import check_not_future, check_text, parse_day
from services.relief.care import ListItemIn, VisitIn
from services.relief.care_mapping import KIND_FROM_PB
from services.relief.care_rules import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, reference_day

# A visitor works for a town (镇街) or a village (村社).
VISITOR_LEVELS = ("town", "village")
FILTER_LEVELS = ("district", "town", "village")
# The plan's first year (seed 004 appendix): no rates before it.
FIRST_YEAR = 2021


@dataclass(frozen=True)
class PageOf:
    """One household's page: its id, the keyset to continue after, the size."""

    household_id: str
    after: tuple[date, str] | None
    limit: int


@dataclass(frozen=True)
class RatesQuery:
    """A validated rates request: the scopes, the year and the day it is read on."""

    scopes: tuple[str, ...]
    year: int
    reference: date


def parse_visit(request: pb.RecordVisitRequest, *, today: date) -> VisitIn:
    """A visit on a day not in the future, by a named visitor of a town or village."""
    errors = Collector()
    errors.check(bool(request.household_id.strip()), "household_id", "is required")
    visited_on = parse_day(errors, "visited_on", request.visited_on)
    check_not_future(errors, "visited_on", visited_on, today)
    check_text(errors, "visitor.name", request.visitor.name, max_length=MAX_NAME_LENGTH, required=True)
    region = protoconv.region_code(
        errors, "visitor.region_code", request.visitor.region_code, levels=VISITOR_LEVELS
    )
    check_text(errors, "findings", request.findings, max_length=MAX_TEXT_LENGTH, required=False)
    check_text(errors, "needs", request.needs, max_length=MAX_TEXT_LENGTH, required=False)
    errors.raise_if_any()
    assert visited_on is not None
    return VisitIn(
        household_id=request.household_id.strip(),
        visited_on=visited_on,
        visitor_name=request.visitor.name.strip(),
        visitor_region_code=region,
        findings=request.findings.strip(),
        needs=request.needs.strip(),
    )


def parse_list_item(request: pb.RecordListItemRequest, *, today: date) -> ListItemIn:
    """A list item of a known kind, delivered on a day not in the future by someone named."""
    errors = Collector()
    errors.check(bool(request.household_id.strip()), "household_id", "is required")
    kind = KIND_FROM_PB.get(request.kind)
    errors.check(kind is not None, "kind", "is required" if not request.kind else "unknown")
    delivered_on = parse_day(errors, "delivered_on", request.delivered_on)
    check_not_future(errors, "delivered_on", delivered_on, today)
    check_text(errors, "delivered_by", request.delivered_by, max_length=MAX_NAME_LENGTH, required=True)
    check_text(errors, "note", request.note, max_length=MAX_TEXT_LENGTH, required=False)
    errors.raise_if_any()
    assert kind is not None and delivered_on is not None
    return ListItemIn(
        household_id=request.household_id.strip(),
        kind=kind,
        delivered_on=delivered_on,
        delivered_by=request.delivered_by.strip(),
        note=request.note.strip(),
    )


def parse_page(household_id: str, page: common_pb2.PageRequest) -> PageOf:
    """A household's page: a keyset token (day, id) this service issued."""
    errors = Collector()
    errors.check(bool(household_id.strip()), "household_id", "is required")
    limit = paging.page_size(errors, "page.page_size", page.page_size)
    token = paging.decode_page_token(errors, "page.page_token", page.page_token, size=2)
    after = None
    if token is not None:
        try:
            after = (date.fromisoformat(token[0]), token[1])
        except ValueError:
            errors.add("page.page_token", "is not a page token this service issued")
    errors.raise_if_any()
    return PageOf(household_id.strip(), after, limit)


def parse_rates(principal: Principal, request: pb.GetCareRatesRequest, *, today: date) -> RatesQuery:
    """The caller's scopes narrowed to an optional region, and a year from 2021 up to this one."""
    errors = Collector()
    region = request.region_code.strip()
    if region:
        protoconv.region_code(errors, "region_code", region, levels=FILTER_LEVELS)
    reference = reference_day(request.year, today)
    if request.year < FIRST_YEAR:
        errors.add("year", f"must be {FIRST_YEAR} (the plan's first year) or later")
    elif reference is None:
        errors.add("year", f"must not be in the future (this year is {today.year})")
    errors.raise_if_any()
    assert reference is not None
    return RatesQuery(principal.narrow(region or None), request.year, reference)
