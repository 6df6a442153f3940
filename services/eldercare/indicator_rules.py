"""Pure rules of the eldercare indicators: rates per 10,000 elders, shares, counts against the plan.

The targets and the elderly population are reference data (``eldercare_indicators.yaml``); this module
parses what was read and judges figures against it, with no I/O. Values are ``Decimal`` so that "met"
is decided exactly (55.93% against 5593 of 10000 beds must not fail on a float's last digit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

BASELINE_YEAR = 2021  # the appendix's first column (基期)
PER = Decimal(10_000)
DISTRICT_LENGTH = 6


class IndicatorKey(StrEnum):
    """The six indicators of the plan's 幸福颐养 section the service can compute."""

    CAREGIVERS_PER_10K = "certified_caregivers_per_10k"
    SENIOR_CAREGIVER_SHARE = "senior_caregiver_share"
    DEMENTIA_BEDS_PER_10K = "dementia_beds_per_10k"
    FAMILY_CARE_BEDS = "family_care_beds"
    NURSING_BED_SHARE = "nursing_bed_share"
    MEAL_VILLAGE_COVERAGE = "meal_village_coverage"


class Unit(StrEnum):
    """How the appendix writes a target; a percent target becomes a fraction (65 → 0.65)."""

    PER_10K = "per_10k"
    PERCENT = "percent"
    COUNT = "count"


class Status(StrEnum):
    """How a figure stands against its target."""

    MET = "met"
    NOT_MET = "not_met"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    NO_REFERENCE_POPULATION = "no_reference_population"


class IndicatorDataError(ValueError):
    """The indicator reference data is malformed (names the file's problem)."""


class _SeriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: Unit
    source: str = Field(min_length=1)
    district_only: bool = False
    # Quoted decimals in the file, so 55.93 is exact.
    by_year: dict[int, Decimal]


class _PopulationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(pattern=r"^\d{6}(\d{3})?$")
    year: int = Field(ge=2000, le=2100)
    elders: int = Field(gt=0)
    source: str = Field(min_length=1)


class _ReferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    targets: dict[IndicatorKey, _SeriesIn]
    population: list[_PopulationIn] = []


@dataclass(frozen=True)
class TargetSeries:
    """One indicator's targets by year, as fractions for percents."""

    unit: Unit
    source: str
    by_year: Mapping[int, Decimal]
    district_only: bool = False

    def target(self, year: int, *, district: bool) -> Decimal | None:
        """The target of ``year``, or the plan's last one before it; None before the first or off-level."""
        if self.district_only and not district:
            return None
        years = [y for y in self.by_year if y <= year]
        return self.by_year[max(years)] if years else None

    @property
    def baseline(self) -> Decimal | None:
        """The appendix's 2021 figure, when it gives one."""
        return self.by_year.get(BASELINE_YEAR)


@dataclass(frozen=True)
class Elders:
    """The reference elderly population of a set of regions in a year, and where it comes from."""

    count: int
    source: str


@dataclass(frozen=True)
class IndicatorReference:
    """Targets by indicator and elderly population by (region, year)."""

    targets: Mapping[IndicatorKey, TargetSeries]
    population: Mapping[tuple[str, int], Elders]

    def elders(self, scopes: Sequence[str], year: int) -> Elders | None:
        """The population of all the scopes in the year; None unless every scope has a figure."""
        found = [self.population.get((scope, year)) for scope in scopes]
        if not found or any(f is None for f in found):
            return None
        present = [f for f in found if f is not None]
        return Elders(sum(f.count for f in present), "; ".join(dict.fromkeys(f.source for f in present)))


def parse_reference(raw: Any) -> IndicatorReference:
    """The reference data from a parsed YAML document; every indicator must have its targets."""
    try:
        parsed = _ReferenceIn.model_validate(raw)
    except ValidationError as exc:
        raise IndicatorDataError(str(exc)) from exc
    missing = set(IndicatorKey) - set(parsed.targets)
    if missing:
        raise IndicatorDataError(f"targets missing for {', '.join(sorted(missing))}")
    population: dict[tuple[str, int], Elders] = {}
    for row in parsed.population:
        if (row.region, row.year) in population:
            raise IndicatorDataError(f"population of {row.region} in {row.year} given twice")
        population[(row.region, row.year)] = Elders(row.elders, row.source)
    targets = {key: _series(s) for key, s in parsed.targets.items()}
    return IndicatorReference(targets=targets, population=population)


def _series(raw: _SeriesIn) -> TargetSeries:
    scale = Decimal(100) if raw.unit is Unit.PERCENT else Decimal(1)
    by_year = {year: value / scale for year, value in raw.by_year.items()}
    return TargetSeries(raw.unit, raw.source, by_year, raw.district_only)


def is_district(scopes: Iterable[str]) -> bool:
    """True when the figures cover whole districts (district-wide targets apply)."""
    codes = list(scopes)
    return bool(codes) and all(len(code) == DISTRICT_LENGTH for code in codes)


@dataclass(frozen=True)
class Figure:
    """One indicator's parts, value, target, baseline and status."""

    numerator: int
    denominator: int
    value: Decimal | None
    target: Decimal | None
    baseline: Decimal | None
    status: Status
    source: str


def judge(value: Decimal | None, target: Decimal | None, *, missing: Status = Status.NO_DATA) -> Status:
    """Met when the value reaches the target (every target of the plan is a floor)."""
    if value is None:
        return missing
    if target is None:
        return Status.NO_TARGET
    return Status.MET if value >= target else Status.NOT_MET


def _figure(
    numerator: int,
    denominator: int,
    value: Decimal | None,
    series: TargetSeries,
    *,
    year: int,
    district: bool,
    missing: Status = Status.NO_DATA,
) -> Figure:
    target = series.target(year, district=district)
    return Figure(
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=target,
        baseline=series.baseline if not series.district_only or district else None,
        status=judge(value, target, missing=missing),
        source=series.source,
    )


def per_10k(count: int, elders: Elders | None, series: TargetSeries, *, year: int, district: bool) -> Figure:
    """``count`` per 10,000 elders; no value without a reference population."""
    if elders is None:
        return _figure(
            count, 0, None, series, year=year, district=district, missing=Status.NO_REFERENCE_POPULATION
        )
    value = Decimal(count) * PER / Decimal(elders.count)
    return _figure(count, elders.count, value, series, year=year, district=district)


def share(part: int, whole: int, series: TargetSeries, *, year: int, district: bool) -> Figure:
    """``part / whole`` as a fraction; no value when the whole is 0 (no share, not 100%)."""
    value = Decimal(part) / Decimal(whole) if whole else None
    return _figure(part, whole, value, series, year=year, district=district)


def count(n: int, series: TargetSeries, *, year: int, district: bool) -> Figure:
    """A plain count against a count target (0 is a value: no beds yet is a real figure)."""
    return _figure(n, 0, Decimal(n), series, year=year, district=district)
