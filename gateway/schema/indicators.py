"""Child-welfare indicators for the display centre: one region and year per query.

The service computes every figure from its data at call time and scopes it to the caller's regions;
the gateway only reshapes the reply (money stays exact: integer fen and a yuan string, never a float).
"""

from __future__ import annotations

from datetime import date

import strawberry
from minzheng.childwelfare.v1 import indicators_pb2 as pb

from gateway.context import Info
from gateway.schema.childwelfare_types import ProtectionCategory


@strawberry.type(description="A share with what it is made of.")
class IndicatorRate:
    numerator: int
    denominator: int
    rate: float | None = strawberry.field(
        description="numerator / denominator; null when the denominator is 0."
    )
    target: float | None = strawberry.field(
        description="The plan's target for the year (1.0 = 100%), if any."
    )

    @classmethod
    def from_pb(cls, m: pb.Rate) -> IndicatorRate:
        return cls(
            numerator=m.numerator,
            denominator=m.denominator,
            rate=m.rate if m.HasField("rate") else None,
            target=m.target if m.HasField("target") else None,
        )


@strawberry.type(description="Visit compliance on a month's last day (today for the month under way).")
class MonthlyVisitRate:
    month: str = strawberry.field(description='"YYYY-MM".')
    as_of: date
    rate: IndicatorRate


@strawberry.type(description="Children and allowance money of one protection category.")
class CategoryIndicator:
    category: ProtectionCategory
    registered: int = strawberry.field(description="Children under 18 in the category on asOf.")
    paid_children: int = strawberry.field(
        description="Distinct children paid the living allowance in the year."
    )
    paid_fen: str = strawberry.field(
        description="Money paid in the year, in fen (a decimal string: no float)."
    )
    paid_yuan: str = strawberry.field(description='Money paid in the year, in yuan ("2571.00").')


@strawberry.type(description="Child-welfare indicators of one region and year.")
class ChildWelfareIndicators:
    region_code: str | None = strawberry.field(description="Null when the figures cover all your regions.")
    year: int
    as_of: date = strawberry.field(description="The year's last day, or today for the current year.")
    visit_rate: IndicatorRate = strawberry.field(
        description="Home-visit rate (走访率) over the month ends of the year; target 100%."
    )
    visit_rate_by_month: list[MonthlyVisitRate]
    categories: list[CategoryIndicator]
    registered_children: int
    paid_children: int
    paid_fen: str
    paid_yuan: str
    temporary_guardianships: int = strawberry.field(
        description="Temporary guardianships (临时监护) started in the year."
    )
    children_home_town_coverage: IndicatorRate = strawberry.field(
        description="Share of towns/streets with a children's home (儿童之家); target 100% by 2025."
    )
    children_home_village_coverage: IndicatorRate = strawberry.field(
        description="Villages/communities with a children's home of the villages in the region."
    )

    @classmethod
    def from_pb(cls, m: pb.Indicators) -> ChildWelfareIndicators:
        return cls(
            region_code=m.region_code or None,
            year=m.year,
            as_of=date.fromisoformat(m.as_of),
            visit_rate=IndicatorRate.from_pb(m.visit_rate),
            visit_rate_by_month=[
                MonthlyVisitRate(
                    month=r.month, as_of=date.fromisoformat(r.as_of), rate=IndicatorRate.from_pb(r.rate)
                )
                for r in m.visit_rate_by_month
            ],
            categories=[
                CategoryIndicator(
                    category=ProtectionCategory(c.category),
                    registered=c.registered,
                    paid_children=c.paid_children,
                    paid_fen=str(c.paid_fen),
                    paid_yuan=c.paid_yuan,
                )
                for c in m.categories
            ],
            registered_children=m.registered_children,
            paid_children=m.paid_children,
            paid_fen=str(m.paid_fen),
            paid_yuan=m.paid_yuan,
            temporary_guardianships=m.temporary_guardianships,
            children_home_town_coverage=IndicatorRate.from_pb(m.children_home_town_coverage),
            children_home_village_coverage=IndicatorRate.from_pb(m.children_home_village_coverage),
        )


@strawberry.type
class IndicatorQuery:
    @strawberry.field(
        description="Child-welfare indicators of a region in your regions (default: all of them) for a year "
        "(default: the current one)."
    )
    async def child_welfare_indicators(
        self, info: Info, region_code: str | None = None, year: int | None = None
    ) -> ChildWelfareIndicators:
        ctx = info.context
        request = pb.GetIndicatorsRequest(region_code=region_code or "", year=year or 0)
        return ChildWelfareIndicators.from_pb(await ctx.call(ctx.clients.indicators.GetIndicators, request))
