"""Eldercare indicators: the counts behind them, as of a day, and the reference data they are judged by.

Nothing is stored: a figure is recounted from the rows at call time (DESIGN §6), so a past year is
the state on its last day — caregivers certified by then and not yet left, beds created by then,
meal providers open then. Beds are never deleted, so "created by the day" is the bed stock that day.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import meals
from services.eldercare.caregiver_rules import SENIOR_OR_ABOVE, CaregiverLevel
from services.eldercare.indicator_rules import IndicatorDataError, IndicatorReference, parse_reference
from services.eldercare.models import Bed, Caregiver
from services.eldercare.rules import BedType
from services.kit.columns import in_regions
from services.kit.periods import CHINA_TZ
from services.kit.policy import default_policy_path

REFERENCE_NAME = "eldercare_indicators"
REFERENCE_ENV = "ELDERCARE_INDICATOR_FILE"


@cache
def _load(path: str) -> IndicatorReference:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorDataError(f"{path}: {exc}") from exc
    try:
        return parse_reference(raw)
    except IndicatorDataError as exc:
        raise IndicatorDataError(f"{path}: {exc}") from exc


def load_reference(path: str | None = None) -> IndicatorReference:
    """Targets and population from ``path``, ``$ELDERCARE_INDICATOR_FILE`` or the packaged file."""
    return _load(str(path or os.environ.get(REFERENCE_ENV) or default_policy_path(REFERENCE_NAME)))


def year_as_of(year: int, today: date) -> date:
    """The day a year's figures are for: its last day, or today while it is under way."""
    return min(date(year, 12, 31), today)


def _end_of(day: date) -> datetime:
    """The first instant after the Asia/Shanghai day (timestamps are stored in UTC)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA_TZ)


@dataclass(frozen=True)
class CaregiverCounts:
    """Caregivers holding a certificate and employed on the day, and those at 高级 level or above."""

    active: int
    senior: int


async def caregivers_on(session: AsyncSession, *, scopes: Sequence[str], day: date) -> CaregiverCounts:
    """Caregivers certified by ``day`` who had not left by it, per level, in one grouped query."""
    rows = await session.exec(
        select(Caregiver.level, func.count())
        .where(
            in_regions(col(Caregiver.region_code), scopes),
            col(Caregiver.certified_on) <= day,
            sa.or_(col(Caregiver.left_on).is_(None), col(Caregiver.left_on) > day),
        )
        .group_by(col(Caregiver.level))
    )
    by_level = {CaregiverLevel(level): int(n) for level, n in rows.all()}
    senior = sum(n for level, n in by_level.items() if level in SENIOR_OR_ABOVE)
    return CaregiverCounts(active=sum(by_level.values()), senior=senior)


async def beds_on(session: AsyncSession, *, scopes: Sequence[str], day: date) -> dict[BedType, int]:
    """Beds per type created by the end of ``day`` (every type present, zeros included)."""
    rows = await session.exec(
        select(Bed.type, func.count())
        .where(in_regions(col(Bed.region_code), scopes), col(Bed.created_at) < _end_of(day))
        .group_by(col(Bed.type))
    )
    counts = dict.fromkeys(BedType, 0)
    for bed_type, n in rows.all():
        counts[BedType(bed_type)] = int(n)
    return counts


def institution_beds(counts: dict[BedType, int]) -> int:
    """Beds in institutions (养老机构床位): every type but family-care beds, which are in elders' homes."""
    return sum(n for bed_type, n in counts.items() if bed_type is not BedType.FAMILY_CARE)


async def meal_villages_on(session: AsyncSession, *, scopes: Sequence[str], day: date) -> tuple[int, int]:
    """(villages with meal service on ``day``, villages) in the scopes, by the meal service's own rule."""
    towns = await meals.coverage(session, scopes=scopes, today=day)
    return sum(t.villages_covered for _, t in towns), sum(t.village_count for _, t in towns)
