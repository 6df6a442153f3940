"""Pure rules of the relief indicators: the 低保 standard against the plan, the care rates' verdicts.

The 低保 target is reference data (``relief_indicators.yaml``) parsed here; the care rates' target is the
one ``relief_visits.yaml`` gives GetCareRates (``CarePolicy.target_on``), so it lives in one place.
Money is compared in integer fen and shares as exact fractions, so "met" never fails on a float.
No I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.kit.money import Money

MONTHS = 12


class Status(StrEnum):
    """How a figure stands against its target (every target of the plan is a floor)."""

    MET = "met"
    NOT_MET = "not_met"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


class IndicatorDataError(ValueError):
    """The indicator reference data is malformed (names the file's problem)."""


class _TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=2000, le=2100)
    value: Money
    source: str = Field(min_length=1)


class _SeriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str = Field(min_length=1)
    baseline_year: int
    by_year: list[_TargetIn] = Field(min_length=1)


class _ReferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dibao_standard_target: _SeriesIn


@dataclass(frozen=True)
class Target:
    """One year's floor in fen per person-year, and where it comes from."""

    year: int
    fen: int
    source: str


@dataclass(frozen=True)
class DibaoTargets:
    """The plan's 低保 standard floors by year."""

    by_year: Mapping[int, Target]
    baseline_year: int

    def target(self, year: int) -> Target | None:
        """The target of ``year``, or the plan's last one before it; None before the first."""
        years = [y for y in self.by_year if y <= year]
        return self.by_year[max(years)] if years else None

    @property
    def baseline(self) -> Target | None:
        """The appendix's base-year figure."""
        return self.by_year.get(self.baseline_year)


def parse_reference(raw: Any) -> DibaoTargets:
    """The targets from a parsed YAML document; a year given twice is refused."""
    try:
        parsed = _ReferenceIn.model_validate(raw)
    except ValidationError as exc:
        raise IndicatorDataError(str(exc)) from exc
    series = parsed.dibao_standard_target
    by_year: dict[int, Target] = {}
    for row in series.by_year:
        if row.year in by_year:
            raise IndicatorDataError(f"dibao_standard_target: year {row.year} given twice")
        by_year[row.year] = Target(row.year, row.value.fen, row.source)
    return DibaoTargets(by_year=by_year, baseline_year=series.baseline_year)


def judge(value: Fraction | int | None, target: Fraction | int | None) -> Status:
    """Met when the value reaches the target; no value is NO_DATA, no target NO_TARGET."""
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    return Status.MET if value >= target else Status.NOT_MET


def annual_fen(monthly_fen: int) -> int:
    """A monthly per-person standard as the plan writes it: per person and year."""
    return monthly_fen * MONTHS


@dataclass(frozen=True)
class Rate:
    """A care rate: part over whole, the target share, the verdict."""

    numerator: int
    denominator: int
    value: Fraction | None
    target: Fraction | None
    status: Status
    source: str


def rate(part: int, whole: int, target_percent: int | None, source: str) -> Rate:
    """``part / whole`` against a percent target; no value when the whole is 0 (no share, not 100%)."""
    if not 0 <= part <= whole:
        raise ValueError(f"part {part} must lie between 0 and the whole {whole}")
    value = Fraction(part, whole) if whole else None
    target = None if target_percent is None else Fraction(target_percent, 100)
    return Rate(part, whole, value, target, judge(value, target), source if target is not None else "")


def paid_months(year: int, as_of: date) -> tuple[str, str]:
    """The first and last payment month (``YYYY-MM``, as ``relief_payment.period``) counted for a year.

    A payment counts for the month it pays, not the day it was made: January up to the as-of day's
    month (December for a past year), so a run for the current month already made counts.
    """
    last = as_of.month if as_of.year == year else MONTHS
    return f"{year:04d}-01", f"{year:04d}-{last:02d}"
