"""Eldercare policy as pure functions: what a valid institution, bed batch and transition look like.

No I/O here: the servicer and the service functions call these with plain data.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from services.kit.errors import Collector
from services.kit.fields import check_text as check_text
from services.kit.idcard import IdNumber

MIN_STAR_RATING = 0
MAX_STAR_RATING = 5
MIN_BEDS_PER_CALL = 1
MAX_BEDS_PER_CALL = 500
MAX_NAME_LENGTH = 100
MAX_ELDER_NAME_LENGTH = 50
MAX_REASON_LENGTH = 200
MAX_LABEL_PREFIX_LENGTH = 16
# Ages are counted on the calendar day in China; it has no daylight saving, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
# Letters, digits and CJK (a ward may be called "东区" or "A2"), then '-' / '_' inside.
_LABEL_PREFIX = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_-]*$")


class InstitutionKind(StrEnum):
    """Who runs an institution."""

    PUBLIC = "public"
    PRIVATE = "private"
    RURAL_WUBAO = "rural_wubao"  # rural 五保 support centre (农村特困供养服务机构)


class BedType(StrEnum):
    """Kinds of bed the plan counts separately (nursing-bed share is a plan indicator)."""

    GENERAL = "general"
    NURSING = "nursing"  # 护理型床位
    DEMENTIA_CARE = "dementia_care"  # 认知障碍照护专区
    FAMILY_CARE = "family_care"  # 家庭养老床位


class BedStatus(StrEnum):
    """Whether a bed is free."""

    VACANT = "vacant"
    OCCUPIED = "occupied"


class BedAction(StrEnum):
    """What can happen to a bed."""

    ASSIGN = "assign"
    RELEASE = "release"


# The only allowed transitions: from a status, an action leads to a status.
TRANSITIONS: dict[tuple[BedStatus, BedAction], BedStatus] = {
    (BedStatus.VACANT, BedAction.ASSIGN): BedStatus.OCCUPIED,
    (BedStatus.OCCUPIED, BedAction.RELEASE): BedStatus.VACANT,
}

DEFAULT_LABEL_PREFIX: dict[BedType, str] = {
    BedType.GENERAL: "GEN",
    BedType.NURSING: "NUR",
    BedType.DEMENTIA_CARE: "DEM",
    BedType.FAMILY_CARE: "FAM",
}


def next_status(current: BedStatus, action: BedAction) -> BedStatus | None:
    """The status after ``action``, or None when the action is not allowed from ``current``."""
    return TRANSITIONS.get((current, action))


def refusal(current: BedStatus, action: BedAction) -> str:
    """Why an action is not allowed from a status (for FAILED_PRECONDITION messages)."""
    if action is BedAction.ASSIGN:
        return "the bed is already occupied"
    if action is BedAction.RELEASE and current is BedStatus.VACANT:
        return "the bed is not occupied"
    return f"cannot {action.value} a {current.value} bed"


def check_star_rating(errors: Collector, field: str, rating: int) -> None:
    """Star ratings run from 0 (unrated) to 5."""
    errors.check(
        MIN_STAR_RATING <= rating <= MAX_STAR_RATING,
        field,
        f"must be between {MIN_STAR_RATING} and {MAX_STAR_RATING}",
    )


def check_bed_count(errors: Collector, field: str, count: int) -> None:
    """A batch adds 1..500 beds."""
    errors.check(
        MIN_BEDS_PER_CALL <= count <= MAX_BEDS_PER_CALL,
        field,
        f"must be between {MIN_BEDS_PER_CALL} and {MAX_BEDS_PER_CALL}",
    )


def check_label_prefix(errors: Collector, field: str, prefix: str) -> None:
    """An explicit prefix is short and made of letters, digits, CJK, '-' and '_'."""
    if not prefix:
        return
    if len(prefix) > MAX_LABEL_PREFIX_LENGTH:
        errors.add(field, f"must be at most {MAX_LABEL_PREFIX_LENGTH} characters")
    elif not _LABEL_PREFIX.match(prefix):
        errors.add(field, "may contain only letters, digits, Chinese characters, '-' and '_'")


def label_prefix(bed_type: BedType, requested: str) -> str:
    """The prefix to number beds with: the requested one, else the type's default."""
    return requested or DEFAULT_LABEL_PREFIX[bed_type]


def next_label_number(prefix: str, existing: list[str]) -> int:
    """One more than the highest ``<prefix>-<n>`` among existing labels (1 when there is none)."""
    head = f"{prefix}-"
    suffixes = (label[len(head) :] for label in existing if label.startswith(head))
    numbers = [int(s) for s in suffixes if s.isascii() and s.isdigit()]
    return max(numbers, default=0) + 1


def bed_labels(prefix: str, *, start: int, count: int) -> list[str]:
    """Labels ``<prefix>-001``, ``<prefix>-002`` … starting at number ``start``."""
    return [f"{prefix}-{n:03d}" for n in range(start, start + count)]


def occupancy_rate(occupied: int, total: int) -> float:
    """Occupied share of beds; 0 when there are none."""
    return occupied / total if total else 0.0


def age_on(elder: IdNumber, moment: datetime) -> int | None:
    """The elder's age on the calendar day in China at ``moment`` (None if born after it)."""
    day = moment.astimezone(CHINA_TZ).date()
    return elder.age_on(day) if day >= elder.birth_date else None
