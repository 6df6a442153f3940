"""Indicators for the display centre, per region and year, computed from the data at call time.

Nothing here is stored: a rate kept in a table drifts from the rows it summarises (DESIGN §6). The
visit rate of a past month is recomputed from the category history and the visits: on the month's
last day a child in the programme was up to date when the anchor (the later of the last visit up to
that day and the start of the category then in force) was not older than the cadence allows, the
same rule ``queries.overdue`` applies today to ``child.visit_anchor_on``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import rules
from services.childwelfare.case_rules import InterventionKind
from services.childwelfare.facilities_coverage import TownCoverage
from services.childwelfare.models import AllowancePayment, CaseStep, CategoryPeriod, Child, Visit
from services.childwelfare.rules import VisitPolicy
from services.kit.columns import in_regions
from services.kit.periods import Month

# The district plan's targets (seed 004, appendix): 走访率 100%; 镇街基础型儿童之家服务覆盖率 85% in
# 2020 → 100% in 2025. Plan figures, not effective-dated policy: the plan ends in 2025 and later
# years keep its last target until a new plan says otherwise.
VISIT_RATE_TARGET = 1.0
TOWN_COVERAGE_TARGETS = {2020: 0.85, 2025: 1.0}


@dataclass(frozen=True)
class Share:
    """A numerator over a denominator; no rate when the denominator is 0 (not 100%)."""

    numerator: int
    denominator: int
    target: float | None = None

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def __add__(self, other: Share) -> Share:
        return Share(self.numerator + other.numerator, self.denominator + other.denominator, self.target)


@dataclass(frozen=True)
class MonthRate:
    """Visit compliance on one day of a month (its last day, or today for the month under way)."""

    month: Month
    as_of: date
    share: Share


@dataclass(frozen=True)
class CategoryFigures:
    """Children registered in a category on the as-of day, and the allowance paid to it in the year."""

    category: str
    registered: int = 0
    paid_children: int = 0
    paid_fen: int = 0


def year_as_of(year: int, today: date) -> date:
    """The day a year's figures are for: its last day, or today while it is under way."""
    return min(date(year, 12, 31), today)


def month_ends(year: int, today: date) -> list[tuple[Month, date]]:
    """Each month of the year that has begun, with the day its visit figure is taken on."""
    as_of = year_as_of(year, today)
    months = [Month(year, m) for m in range(1, as_of.month + 1)]
    return [(m, min(m.last, as_of)) for m in months]


def town_coverage_target(year: int) -> float | None:
    """The plan's town coverage target for a year: the latest target set at or before it."""
    set_by = [y for y in TOWN_COVERAGE_TARGETS if y <= year]
    return TOWN_COVERAGE_TARGETS[max(set_by)] if set_by else None


def _covering(day: date) -> sa.ColumnElement[bool]:
    """Category periods in force on ``day`` held by a child still under 18 that day."""
    return sa.and_(
        col(CategoryPeriod.effective_from) <= day,
        sa.or_(col(CategoryPeriod.effective_to).is_(None), col(CategoryPeriod.effective_to) > day),
        col(Child.birth_date) > rules.adult_cutoff(day),
    )


def _joined() -> sa.Join:
    return sa.join(CategoryPeriod, Child, col(Child.id) == col(CategoryPeriod.child_id))


async def visit_share_on(
    session: AsyncSession, *, scopes: Sequence[str], policy: VisitPolicy, day: date
) -> Share:
    """Children in the visit programme on ``day`` and how many of them were up to date that day."""
    cadences = policy.cadences_on(day)
    if not cadences:
        return Share(0, 0, VISIT_RATE_TARGET)
    up_to_date = []
    for category, cadence in cadences.items():
        cutoff = rules.overdue_anchor_cutoff(day, cadence)
        visited = (
            select(Visit.id)
            .where(
                col(Visit.child_id) == col(CategoryPeriod.child_id),
                col(Visit.visited_on) >= cutoff,
                col(Visit.visited_on) <= day,
            )
            .exists()
        )
        started_since = col(CategoryPeriod.effective_from) >= cutoff
        up_to_date.append(
            sa.and_(col(CategoryPeriod.category) == category.value, sa.or_(started_since, visited))
        )
    query = (
        select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((sa.or_(*up_to_date), 1), else_=0)), 0))
        .select_from(_joined())
        .where(
            col(CategoryPeriod.category).in_([c.value for c in cadences]),
            _covering(day),
            in_regions(col(Child.region_code), scopes),
        )
    )
    total, current = (await session.exec(query)).one()  # type: ignore[call-overload]
    return Share(int(current), int(total), VISIT_RATE_TARGET)


async def registered_by_category(
    session: AsyncSession, *, scopes: Sequence[str], day: date
) -> dict[str, int]:
    """Children under 18 per category in force on ``day``."""
    query = (
        select(CategoryPeriod.category, sa.func.count())
        .select_from(_joined())
        .where(_covering(day), in_regions(col(Child.region_code), scopes))
        .group_by(col(CategoryPeriod.category))
    )
    return {str(c): int(n) for c, n in (await session.exec(query)).all()}  # type: ignore[call-overload]


async def paid_by_category(
    session: AsyncSession, *, scopes: Sequence[str], year: int
) -> dict[str, tuple[int, int]]:
    """Per category: distinct children paid in the year and the fen paid (by the payments' own region)."""
    query = (
        select(
            AllowancePayment.category,
            sa.func.count(sa.distinct(col(AllowancePayment.child_id))),
            sa.func.coalesce(sa.func.sum(col(AllowancePayment.amount_fen)), 0),
        )
        .where(
            col(AllowancePayment.period) >= Month(year, 1).key,
            col(AllowancePayment.period) <= Month(year, 12).key,
            in_regions(col(AllowancePayment.region_code), scopes),
        )
        .group_by(col(AllowancePayment.category))
    )
    rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return {str(c): (int(n), int(fen)) for c, n, fen in rows}


async def paid_children(session: AsyncSession, *, scopes: Sequence[str], year: int) -> int:
    """Distinct children paid in the year (a child paid in two categories counts once)."""
    query = select(sa.func.count(sa.distinct(col(AllowancePayment.child_id)))).where(
        col(AllowancePayment.period) >= Month(year, 1).key,
        col(AllowancePayment.period) <= Month(year, 12).key,
        in_regions(col(AllowancePayment.region_code), scopes),
    )
    return int((await session.exec(query)).one())  # type: ignore[call-overload]


async def temporary_guardianships(session: AsyncSession, *, scopes: Sequence[str], year: int) -> int:
    """Cases whose temporary guardianship (临时监护) placement started in the year, each counted once."""
    query = select(sa.func.count(sa.distinct(col(CaseStep.case_id)))).where(
        col(CaseStep.intervention) == InterventionKind.TEMPORARY_GUARDIANSHIP.value,
        col(CaseStep.placement_start_on) >= date(year, 1, 1),
        col(CaseStep.placement_start_on) <= date(year, 12, 31),
        in_regions(col(CaseStep.region_code), scopes),
    )
    return int((await session.exec(query)).one())  # type: ignore[call-overload]


def home_coverage(towns: Sequence[TownCoverage], year: int) -> tuple[Share, Share]:
    """(towns with at least one open children's home, villages with one), over the towns given."""
    with_home = sum(1 for t in towns if t.villages_with_home)
    villages = Share(sum(t.villages_with_home for t in towns), sum(t.village_count for t in towns))
    return Share(with_home, len(towns), town_coverage_target(year)), villages


def category_figures(registered: dict[str, int], paid: dict[str, tuple[int, int]]) -> list[CategoryFigures]:
    """One row per category that has children or payments, in category order."""
    order = [c.value for c in rules.ProtectionCategory]
    present = sorted({*registered, *paid}, key=lambda c: order.index(c) if c in order else len(order))
    return [
        CategoryFigures(c, registered.get(c, 0), paid.get(c, (0, 0))[0], paid.get(c, (0, 0))[1])
        for c in present
    ]
