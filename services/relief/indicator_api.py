"""The relief indicator servicer: one region and year in, the plan's 精准保障 indicators out; no SQL here.

Every count is read in one read transaction, so the figures agree with each other. Anyone may read
indicators inside their own regions (a broader region is cut down to them, as everywhere). The care
rates are the ones GetCareRates gives (``care.care_rates``), against the same target.
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.relief.v1 import indicators_pb2 as pb
from minzheng.relief.v1 import indicators_pb2_grpc

from services.kit import protoconv
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.periods import china_today
from services.kit.service import ServiceContext
from services.relief import care, indicators
from services.relief import indicator_mapping as im
from services.relief.care_requests import FIRST_YEAR
from services.relief.care_rules import TARGET_KEY, CarePolicy, reference_day, total
from services.relief.clock import Clock
from services.relief.indicator_rules import DibaoTargets
from services.relief.standards import StandardsBook

Context = grpc.aio.ServicerContext
SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ReliefIndicatorService"].full_name
REGION_LEVELS = ("district", "town")


def parse_year(errors: Collector, raw: int, today: date) -> int:
    """The year asked for (default the current one): from the plan's first year, not in the future."""
    if raw == 0:
        return today.year
    if not FIRST_YEAR <= raw <= today.year:
        errors.add("year", f"must be between {FIRST_YEAR} (the plan's first year) and {today.year}")
    return raw


class ReliefIndicatorServicer(indicators_pb2_grpc.ReliefIndicatorServiceServicer):
    """minzheng.relief.v1.ReliefIndicatorService."""

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        clock: Clock,
        book: StandardsBook,
        policy: CarePolicy,
        targets: DibaoTargets,
    ) -> None:
        self._db = ctx.db
        self._clock = clock
        self._book = book
        self._policy = policy
        self._targets = targets

    async def GetReliefIndicators(
        self, request: pb.GetReliefIndicatorsRequest, context: Context
    ) -> pb.ReliefIndicators:
        """The indicators of one region (default: the caller's regions) for one year."""
        today = china_today(self._clock())
        errors = Collector()
        year = parse_year(errors, request.year, today)
        region = request.region_code.strip()
        if region:
            protoconv.region_code(errors, "region_code", region, levels=REGION_LEVELS)
        errors.raise_if_any()
        scopes = current_principal().narrow(region or None)
        as_of = reference_day(year, today)
        assert as_of is not None  # the year is not in the future
        async with self._db.read() as session:
            holdings = await indicators.holdings_on(session, scopes=scopes, day=as_of)
            paid = await indicators.money_paid(session, scopes=scopes, year=year, as_of=as_of)
            towns = await care.care_rates(session, scopes=scopes, policy=self._policy, reference=as_of)
        standards = [
            im.standard_to_pb(indicators.dibao_standard(self._book, scope=s, day=as_of), self._targets, year)
            for s in scopes
        ]
        # The care target is read on 31 December, as GetCareRates reads it (CarePolicy.target_on).
        entry = self._policy.targets.find_on(TARGET_KEY, date(year, 12, 31))
        return im.indicators_to_pb(
            region=region,
            year=year,
            as_of=as_of,
            standards=standards,
            holdings=holdings,
            paid=paid,
            care=total(towns),
            care_target=self._policy.target_on(year),
            care_source="" if entry is None else entry.source or "relief_visits.yaml rate_target",
        )


def register(
    server: grpc.aio.Server,
    ctx: ServiceContext,
    *,
    clock: Clock,
    book: StandardsBook,
    policy: CarePolicy,
) -> None:
    """Add the indicator servicer to the relief server (the 低保 targets read once, at start)."""
    servicer = ReliefIndicatorServicer(
        ctx, clock=clock, book=book, policy=policy, targets=indicators.load_reference()
    )
    indicators_pb2_grpc.add_ReliefIndicatorServiceServicer_to_server(servicer, server)
