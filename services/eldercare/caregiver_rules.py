"""Pure rules of certified caregivers (持证养老护理员): levels, certificate numbers, the senior share.

The plan (seed 004, appendix) targets 20% of caregivers at 高级 or technician level (高级、技师级比例);
高级技师 is above technician and counts too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from services.kit.errors import Collector

MAX_EMPLOYER_LENGTH = 100
MAX_NAME_LENGTH = 50
MAX_REASON_LENGTH = 200
_CERTIFICATE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")


class CaregiverLevel(StrEnum):
    """Vocational skill levels, lowest first (五级 … 一级)."""

    JUNIOR = "junior"  # 初级
    INTERMEDIATE = "intermediate"  # 中级
    SENIOR = "senior"  # 高级
    TECHNICIAN = "technician"  # 技师
    SENIOR_TECHNICIAN = "senior_technician"  # 高级技师


SENIOR_OR_ABOVE = frozenset(
    {CaregiverLevel.SENIOR, CaregiverLevel.TECHNICIAN, CaregiverLevel.SENIOR_TECHNICIAN}
)


def check_certificate(errors: Collector, field: str, value: str) -> None:
    """4-40 letters, digits and '-', starting with a letter or digit."""
    errors.check(bool(_CERTIFICATE.match(value)), field, "must be 4-40 letters, digits or '-'")


def senior_count(counts: Mapping[CaregiverLevel, int]) -> int:
    """Active caregivers at 高级 level or above."""
    return sum(n for level, n in counts.items() if level in SENIOR_OR_ABOVE)


def senior_share(counts: Mapping[CaregiverLevel, int]) -> float | None:
    """Senior-or-above share of the active caregivers; None when there are none."""
    total = sum(counts.values())
    return senior_count(counts) / total if total else None
