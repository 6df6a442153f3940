"""Pure rules of age-friendly renovation (适老化改造): plan totals, subsidy share, and the plan's steps.

The district's catalogue is organised in five areas (如厕洗澡安全, 室内行走便利, 居家环境改善, 智能安全监护,
辅助器具适配); its items are data managed through the API, not constants here. A plan (一户一策) moves
surveyed → approved → in progress → completed, and may be cancelled until work starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.kit.errors import Collector

MAX_LINES = 100
MAX_QUANTITY = 100
MAX_ITEM_PRICE_FEN = 10_000_000  # ¥100,000: above any single renovation item
MAX_ITEM_NAME_LENGTH = 100
MAX_UNIT_LENGTH = 10
MAX_NOTES_LENGTH = 1000
MAX_PERCENT = 100
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")


class RenovationArea(StrEnum):
    """The five areas of the catalogue."""

    TOILET_BATHING = "toilet_bathing"  # 如厕洗澡安全
    INDOOR_MOBILITY = "indoor_mobility"  # 室内行走便利
    LIVING_ENVIRONMENT = "living_environment"  # 居家环境改善
    SMART_MONITORING = "smart_monitoring"  # 智能安全监护
    ASSISTIVE_DEVICES = "assistive_devices"  # 辅助器具适配


class PlanStatus(StrEnum):
    """Where a household's plan stands."""

    SURVEYED = "surveyed"  # 入户评估, items chosen
    APPROVED = "approved"  # 审核通过
    IN_PROGRESS = "in_progress"  # 施工中
    COMPLETED = "completed"  # 竣工验收
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({PlanStatus.SURVEYED, PlanStatus.APPROVED, PlanStatus.IN_PROGRESS})
# The only steps a plan can take: from a status, to a status.
STEPS: frozenset[tuple[PlanStatus, PlanStatus]] = frozenset(
    {
        (PlanStatus.SURVEYED, PlanStatus.APPROVED),
        (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS),
        (PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED),
        (PlanStatus.SURVEYED, PlanStatus.CANCELLED),
        (PlanStatus.APPROVED, PlanStatus.CANCELLED),
    }
)


@dataclass(frozen=True)
class Line:
    """One chosen item: how many, at what unit price (fen)."""

    quantity: int
    unit_price_fen: int

    @property
    def total_fen(self) -> int:
        """quantity × unit price."""
        return self.quantity * self.unit_price_fen


@dataclass(frozen=True)
class PlanTotals:
    """A plan's cost, the subsidised part and what the household pays."""

    total_fen: int
    subsidy_fen: int

    @property
    def self_paid_fen(self) -> int:
        """total − subsidy."""
        return self.total_fen - self.subsidy_fen


def plan_totals(lines: Sequence[Line], subsidy_percent: int) -> PlanTotals:
    """The sum of the lines and ``subsidy_percent`` of it, rounded half up to the fen (integers only)."""
    total = sum(line.total_fen for line in lines)
    return PlanTotals(total, (total * subsidy_percent + 50) // 100)


def step_problem(current: PlanStatus, target: PlanStatus) -> str | None:
    """Why a plan in ``current`` cannot go to ``target``; None when it can."""
    if (current, target) in STEPS:
        return None
    if current not in OPEN_STATUSES:
        return f"the plan is already {current.value}"
    if target is PlanStatus.CANCELLED:
        return "a plan cannot be cancelled once work has started"
    return f"a {current.value} plan cannot become {target.value}"


def last_step_on(surveyed_on: date, approved_on: date | None, started_on: date | None) -> date:
    """The day of the plan's latest step so far (a next step may not be dated before it)."""
    return max(d for d in (surveyed_on, approved_on, started_on) if d is not None)


def check_code(errors: Collector, field: str, code: str) -> None:
    """Item codes: 1-20 letters, digits and '-', starting with a letter or digit (e.g. TB-03)."""
    errors.check(bool(_CODE.match(code)), field, "must be 1-20 letters, digits or '-' (e.g. TB-03)")


def check_line(errors: Collector, at: str, *, quantity: int, unit_price_fen: int) -> None:
    """A quantity of 1..100 and a unit price of 0..¥100,000 (0 means the reference price)."""
    errors.check(1 <= quantity <= MAX_QUANTITY, f"{at}.quantity", f"must be between 1 and {MAX_QUANTITY}")
    errors.check(
        0 <= unit_price_fen <= MAX_ITEM_PRICE_FEN,
        f"{at}.unit_price_fen",
        f"must be between 0 and {MAX_ITEM_PRICE_FEN} fen",
    )
