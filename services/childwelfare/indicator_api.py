"""The child-welfare indicator servicer: one region and year in, the display centre's figures out.

Every figure is read in one read transaction, so they agree with each other (a payment run committing
half-way through the call cannot make the money and the children disagree).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import grpc
from minzheng.childwelfare.v1 import indicators_pb2 as pb
from minzheng.childwelfare.v1 import indicators_pb2_grpc
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import facilities_coverage, indicators, mapping, requests, rules
from services.childwelfare.indicators import CategoryFigures, MonthRate, Share
from services.childwelfare.rules import Clock, VisitPolicy
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.money import Money
from services.kit.service import ServiceContext

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ChildWelfareIndicatorService"].full_name
FIRST_YEAR = 2000


def parse_year(errors: Collector, raw: int, today: date) -> int:
    """The year asked for (default the current one): not before 2000, not in the future."""
    if raw == 0:
        return today.year
    if not FIRST_YEAR <= raw <= today.year:
        errors.add("year", f"must be between {FIRST_YEAR} and {today.year}")
    return raw


def share_to_pb(share: Share) -> pb.Rate:
    return pb.Rate(
        numerator=share.numerator, denominator=share.denominator, rate=share.rate, target=share.target
    )


def category_to_pb(row: CategoryFigures) -> pb.CategoryFigures:
    return pb.CategoryFigures(
        category=mapping.CATEGORY_TO_PB[rules.ProtectionCategory(row.category)],
        registered=row.registered,
        paid_children=row.paid_children,
        paid_fen=row.paid_fen,
        paid_yuan=Money(row.paid_fen).text,
    )


async def visit_months(
    session: AsyncSession, *, scopes: Sequence[str], policy: VisitPolicy, year: int, today: date
) -> list[MonthRate]:
    """The visit share of each month of the year that has begun."""
    return [
        MonthRate(month, day, await indicators.visit_share_on(session, scopes=scopes, policy=policy, day=day))
        for month, day in indicators.month_ends(year, today)
    ]


class IndicatorServicer(indicators_pb2_grpc.ChildWelfareIndicatorServiceServicer):
    """minzheng.childwelfare.v1.ChildWelfareIndicatorService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
        self._db = ctx.db
        self._clock = clock
        self._policy = policy

    async def GetIndicators(
        self, request: pb.GetIndicatorsRequest, context: grpc.aio.ServicerContext
    ) -> pb.Indicators:
        """The indicators of one region (default: the caller's regions) for one year."""
        today = rules.china_today(self._clock())
        errors = Collector()
        year = parse_year(errors, request.year, today)
        scopes = requests.scope_of(current_principal(), errors, request.region_code)
        as_of = indicators.year_as_of(year, today)
        async with self._db.read() as session:
            months = await visit_months(session, scopes=scopes, policy=self._policy, year=year, today=today)
            registered = await indicators.registered_by_category(session, scopes=scopes, day=as_of)
            paid = await indicators.paid_by_category(session, scopes=scopes, year=year)
            paid_children = await indicators.paid_children(session, scopes=scopes, year=year)
            guardianships = await indicators.temporary_guardianships(session, scopes=scopes, year=year)
            towns = await facilities_coverage.coverage(session, scopes=scopes, today=as_of)
        town_coverage, village_coverage = indicators.home_coverage(towns, year)
        visit_total = sum((m.share for m in months), Share(0, 0, indicators.VISIT_RATE_TARGET))
        paid_fen = sum(fen for _, fen in paid.values())
        return pb.Indicators(
            region_code=request.region_code.strip(),
            year=year,
            as_of=as_of.isoformat(),
            visit_rate=share_to_pb(visit_total),
            visit_rate_by_month=[
                pb.MonthlyVisitRate(month=m.month.key, as_of=m.as_of.isoformat(), rate=share_to_pb(m.share))
                for m in months
            ],
            categories=[category_to_pb(r) for r in indicators.category_figures(registered, paid)],
            registered_children=sum(registered.values()),
            paid_children=paid_children,
            paid_fen=paid_fen,
            paid_yuan=Money(paid_fen).text,
            temporary_guardianships=guardianships,
            children_home_town_coverage=share_to_pb(town_coverage),
            children_home_village_coverage=share_to_pb(village_coverage),
        )


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock, policy: VisitPolicy) -> None:
    """Add the indicator service to the service's gRPC server."""
    indicators_pb2_grpc.add_ChildWelfareIndicatorServiceServicer_to_server(
        IndicatorServicer(ctx, clock=clock, policy=policy), server
    )
