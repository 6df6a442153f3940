"""Pure checks on households and the values they are made of: no I/O, no clock (``today`` is passed).

The request parsers call these to name every bad field at once; the work modules call the
head-of-household rule before they change memberships.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from services.kit.errors import Collector
from services.kit.fields import check_not_future as check_not_future
from services.kit.fields import check_text as check_text
from services.kit.fields import parse_day as parse_day
from services.relief.eligibility_models import Relation

MAX_NAME_LENGTH = 50
MAX_ADDRESS_LENGTH = 200
MAX_NOTE_LENGTH = 500
MAX_MEMBERS = 30  # a register larger than this is a data-entry mistake, not a household
DISABILITY_GRADES = (1, 2, 3, 4)


class LeaveReason(StrEnum):
    """Why a membership ended."""

    LEFT = "left"
    DIED = "died"
    MOVED = "moved"  # only MoveMember closes a membership this way
    OTHER = "other"


class IncomeKind(StrEnum):
    """What an income is; shown in the eligibility reasons."""

    WAGES = "wages"
    PENSION = "pension"
    FARMING = "farming"
    BUSINESS = "business"
    TRANSFER = "transfer"
    OTHER = "other"


class AssetKind(StrEnum):
    """What an asset is; the latest valuation per person and kind counts."""

    DEPOSIT = "deposit"
    SECURITIES = "securities"
    VEHICLE = "vehicle"
    PROPERTY = "property"
    OTHER = "other"


def check_fen(errors: Collector, field: str, amount: int) -> None:
    """Money in whole fen, never negative."""
    errors.check(amount >= 0, field, f"must be a whole number of fen ≥ 0, not {amount}")


def check_disability(errors: Collector, field: str, grade: int) -> int | None:
    """残疾等级 1–4, or 0 for none; returns None for none."""
    if grade == 0:
        return None
    errors.check(grade in DISABILITY_GRADES, field, "must be 1, 2, 3 or 4 (0 = none)")
    return grade if grade in DISABILITY_GRADES else None


def heads_problem(relations: Sequence[Relation]) -> str | None:
    """Why a set of members cannot form a household, or None: exactly one head (户主) is needed."""
    heads = sum(1 for r in relations if r is Relation.HEAD)
    if not relations:
        return "a household needs at least one member"
    if heads != 1:
        return f"exactly one member must be the head (户主), found {heads}"
    return None
