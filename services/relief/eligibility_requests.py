"""Taking eligibility gRPC requests apart: a region and day, or a household and month, validated."""

from __future__ import annotations

from datetime import date

from minzheng.relief.v1 import eligibility_pb2 as pb

from services.kit import protoconv
from services.kit.errors import Collector
from services.kit.periods import Month
from services.relief.household_rules import parse_day

STANDARD_LEVELS = ("district", "town", "village")


def parse_standards(request: pb.GetStandardsRequest, *, today: date) -> tuple[str, date]:
    """A district, town or village code and a day (empty: today)."""
    errors = Collector()
    region = protoconv.region_code(errors, "region_code", request.region_code, levels=STANDARD_LEVELS)
    day = parse_day(errors, "day", request.day, default=today)
    errors.raise_if_any()
    assert day is not None
    return region, day


def parse_assess(request: pb.AssessHouseholdRequest, *, today: date) -> tuple[str, Month]:
    """The household and the month as YYYY-MM (empty: this month)."""
    errors = Collector()
    household_id = request.household_id.strip()
    errors.check(bool(household_id), "household_id", "is required")
    month = Month.containing(today)
    if request.month.strip():
        try:
            month = Month.parse(request.month)
        except ValueError:
            errors.add("month", "must be a month as YYYY-MM")
    errors.raise_if_any()
    return household_id, month
