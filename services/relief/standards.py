"""The relief standards in force on a day in a region, from ``relief_standards.yaml`` (policy as data).

Each figure lives in its own effective-dated table keyed by region code, so one figure can change (or
be overridden for one town) without repeating the others. A region resolves table by table to the
longest code prefix with an entry in force that day: village (12 digits) → town (9) → district (6)
→ city (4) → province (2). Nothing in force for a figure → ``NoPolicyInForce`` (a FailedPrecondition):
a run must stop rather than pay on a guessed standard.

``StandardsBook.on`` is pure; only ``load_standards`` reads a file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.kit.errors import InvalidArgument
from services.kit.money import Money
from services.kit.periods import Month
from services.kit.policy import (
    NoPolicyInForce,
    PolicyDataError,
    PolicyEntry,
    PolicyTable,
    default_policy_path,
    load_tables,
)
from services.kit.regions import InvalidRegionCode, validate_region_code, validate_scope

POLICY_NAME = "relief_standards"
POLICY_ENV = "RELIEF_STANDARDS_FILE"


def _no_float(raw: Any) -> Any:
    # 1.3 as a YAML float is not exactly 13/10; ratios are written as quoted text ("2", "1210/700").
    if isinstance(raw, float):
        raise ValueError(f"write a ratio as quoted text such as '{raw}', not a bare number")
    return raw


class DibianRule(BaseModel):
    """The 低边 line as a multiple of the 低保 standard, and the fixed 低边 allowance if policy sets one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    multiplier: Fraction = Field(gt=1)
    allowance_monthly: Money | None = None

    _exact = field_validator("multiplier", mode="before")(_no_float)


class TekunRule(BaseModel):
    """The 特困 support standard: a figure, or a ratio to the 低保 standard in force (exactly one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    monthly: Money | None = None
    ratio_to_dibao: Fraction | None = Field(default=None, gt=0)

    _exact = field_validator("ratio_to_dibao", mode="before")(_no_float)

    @model_validator(mode="after")
    def _one_of(self) -> TekunRule:
        if (self.monthly is None) == (self.ratio_to_dibao is None):
            raise ValueError("give exactly one of monthly and ratio_to_dibao")
        return self


class AssessmentRule(BaseModel):
    """How income and assets are measured: the income window and the asset limit per person."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    income_window_months: int = Field(ge=1, le=36)
    asset_limit_months: int = Field(ge=0)


VALUE_TYPES: dict[str, Any] = {
    "dibao_monthly": Money,
    "dibian": DibianRule,
    "tekun": TekunRule,
    "tekun_minor_age_limit": int,
    "price_subsidy": Money | None,
    "assessment": AssessmentRule,
}


@dataclass(frozen=True)
class FigureSource:
    """Where one figure came from: its table, the region key that matched, its dates and source text."""

    table: str
    region_key: str
    span: str
    source: str | None


@dataclass(frozen=True)
class Standards:
    """The standards in force on ``day`` in ``region``; money in integer fen."""

    region: str
    day: date
    dibao_monthly_fen: int
    dibian_multiplier: Fraction
    dibian_allowance_monthly_fen: int | None  # None: policy sets no fixed 低边 amount
    tekun_monthly_fen: int
    tekun_basis: str  # how the 特困 figure was obtained (given, or derived from the 低保 standard)
    tekun_minor_age_limit: int  # a minor qualifies while younger than this
    price_subsidy_monthly_fen: int | None  # None: no price subsidy
    income_window_months: int
    asset_limit_months: int
    sources: tuple[FigureSource, ...]

    @property
    def asset_limit_per_person_fen(self) -> int:
        """Assets allowed per household member: ``asset_limit_months`` of the 低保 standard."""
        return self.asset_limit_months * self.dibao_monthly_fen

    def snapshot(self) -> dict[str, Any]:
        """The standards as plain JSON-ready data, for the payment record (figures in fen, ratios as text)."""
        return {
            "region": self.region,
            "day": self.day.isoformat(),
            "dibao_monthly_fen": self.dibao_monthly_fen,
            "dibian_multiplier": str(self.dibian_multiplier),
            "dibian_allowance_monthly_fen": self.dibian_allowance_monthly_fen,
            "tekun_monthly_fen": self.tekun_monthly_fen,
            "tekun_basis": self.tekun_basis,
            "tekun_minor_age_limit": self.tekun_minor_age_limit,
            "price_subsidy_monthly_fen": self.price_subsidy_monthly_fen,
            "income_window_months": self.income_window_months,
            "asset_limit_months": self.asset_limit_months,
            "sources": [
                {"table": s.table, "region_key": s.region_key, "span": s.span, "source": s.source}
                for s in self.sources
            ],
        }


def _fen(money: Money | None) -> int | None:
    return None if money is None else money.fen


class StandardsBook:
    """Every relief standards table; answers "which standards were in force on day D in region R"."""

    def __init__(self, tables: Mapping[str, PolicyTable[Any]]) -> None:
        missing = sorted(set(VALUE_TYPES) - set(tables))
        if missing:
            raise PolicyDataError(f"relief standards: missing table(s) {', '.join(missing)}")
        for table in tables.values():
            for key in table.keys():
                try:
                    validate_scope(key)
                except InvalidRegionCode as exc:
                    raise PolicyDataError(f"relief standards: table {table.name!r}: {exc}") from None
        self._tables = dict(tables)

    def _entry(self, name: str, region: str, day: date) -> PolicyEntry[Any]:
        table = self._tables[name]
        # Longest prefix first; 6 digits is the district, 4 and 2 the city and province.
        tried = [region[:n] for n in (12, 9, 6, 4, 2) if n <= len(region)]
        for key in tried:
            entry = table.find_on(key, day)
            if entry is not None:
                return entry
        raise NoPolicyInForce(
            f"no relief standard {name!r} in force on {day} for region {region} "
            f"(looked for {', '.join(tried)})"
        )

    def on(self, region: str, day: date) -> Standards:
        """The standards in force on ``day`` for ``region``; ``NoPolicyInForce`` if a figure is missing."""
        try:
            code = validate_region_code(region)
        except InvalidRegionCode as exc:
            raise InvalidArgument.field("region", str(exc)) from None
        entries = {name: self._entry(name, code, day) for name in VALUE_TYPES}
        dibao: Money = entries["dibao_monthly"].value
        dibian: DibianRule = entries["dibian"].value
        tekun: TekunRule = entries["tekun"].value
        assessment: AssessmentRule = entries["assessment"].value
        if tekun.monthly is not None:
            tekun_fen, basis = tekun.monthly.fen, "given"
        else:
            assert tekun.ratio_to_dibao is not None  # the model guarantees one of the two
            # Rounded up: a derived support standard never falls below the ratio it is derived by.
            tekun_fen = math.ceil(dibao.fen * tekun.ratio_to_dibao)
            basis = f"{dibao.fen} fen (低保) × {tekun.ratio_to_dibao}, rounded up to the fen"
        return Standards(
            region=code,
            day=day,
            dibao_monthly_fen=dibao.fen,
            dibian_multiplier=dibian.multiplier,
            dibian_allowance_monthly_fen=_fen(dibian.allowance_monthly),
            tekun_monthly_fen=tekun_fen,
            tekun_basis=basis,
            tekun_minor_age_limit=entries["tekun_minor_age_limit"].value,
            price_subsidy_monthly_fen=_fen(entries["price_subsidy"].value),
            income_window_months=assessment.income_window_months,
            asset_limit_months=assessment.asset_limit_months,
            sources=tuple(FigureSource(name, e.key, e.span, e.source) for name, e in sorted(entries.items())),
        )

    def for_month(self, region: str, month: Month) -> Standards:
        """The standards for assessing or paying ``month``: those in force on its first day."""
        return self.on(region, month.first)


@cache
def load_standards(path: str | Path | None = None) -> StandardsBook:
    """The standards from ``path``, ``$RELIEF_STANDARDS_FILE`` or the packaged ``relief_standards.yaml``."""
    chosen = path or os.environ.get(POLICY_ENV) or default_policy_path(POLICY_NAME)
    return StandardsBook(load_tables(chosen, VALUE_TYPES))
