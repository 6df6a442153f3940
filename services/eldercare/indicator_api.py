"""The eldercare indicator servicer: one region and year in, the plan's six 幸福颐养 indicators out.

Every count is read in one read transaction, so the figures agree with each other. Anyone may read
indicators inside their own regions (a broader region is cut down to them, as everywhere).
"""

from __future__ import annotations

from datetime import date

import grpc
from minzheng.eldercare.v1 import indicators_pb2 as pb
from minzheng.eldercare.v1 import indicators_pb2_grpc

from services.eldercare import indicator_rules as ir
from services.eldercare import indicators
from services.eldercare.community_requests import Clock, china_today
from services.eldercare.indicator_rules import Figure, IndicatorKey, IndicatorReference, Status
from services.eldercare.rules import BedType
from services.kit import protoconv
from services.kit.errors import Collector
from services.kit.grpc_server import current_principal
from services.kit.service import ServiceContext

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EldercareIndicatorService"].full_name
FIRST_YEAR = 2000
REGION_LEVELS = ("district", "town")

STATUS_TO_PB = {
    Status.MET: pb.INDICATOR_STATUS_MET,
    Status.NOT_MET: pb.INDICATOR_STATUS_NOT_MET,
    Status.NO_TARGET: pb.INDICATOR_STATUS_NO_TARGET,
    Status.NO_DATA: pb.INDICATOR_STATUS_NO_DATA,
    Status.NO_REFERENCE_POPULATION: pb.INDICATOR_STATUS_NO_REFERENCE_POPULATION,
}


def parse_year(errors: Collector, raw: int, today: date) -> int:
    """The year asked for (default the current one): not before 2000, not in the future."""
    if raw == 0:
        return today.year
    if not FIRST_YEAR <= raw <= today.year:
        errors.add("year", f"must be between {FIRST_YEAR} and {today.year}")
    return raw


def figure_to_pb(figure: Figure) -> pb.Indicator:
    """Decimals become doubles only here, for display: "met" was decided on the exact values."""
    return pb.Indicator(
        numerator=figure.numerator,
        denominator=figure.denominator,
        value=None if figure.value is None else float(figure.value),
        target=None if figure.target is None else float(figure.target),
        baseline=None if figure.baseline is None else float(figure.baseline),
        status=STATUS_TO_PB[figure.status],
        target_source=figure.source,
    )


class IndicatorServicer(indicators_pb2_grpc.EldercareIndicatorServiceServicer):
    """minzheng.eldercare.v1.EldercareIndicatorService."""

    def __init__(self, ctx: ServiceContext, *, clock: Clock, reference: IndicatorReference) -> None:
        self._db = ctx.db
        self._clock = clock
        self._reference = reference

    async def GetEldercareIndicators(
        self, request: pb.GetEldercareIndicatorsRequest, context: grpc.aio.ServicerContext
    ) -> pb.EldercareIndicators:
        """The indicators of one region (default: the caller's regions) for one year."""
        today = china_today(self._clock())
        errors = Collector()
        year = parse_year(errors, request.year, today)
        region = request.region_code.strip()
        if region:
            protoconv.region_code(errors, "region_code", region, levels=REGION_LEVELS)
        errors.raise_if_any()
        scopes = current_principal().narrow(region or None)
        as_of = indicators.year_as_of(year, today)
        async with self._db.read() as session:
            caregivers = await indicators.caregivers_on(session, scopes=scopes, day=as_of)
            beds = await indicators.beds_on(session, scopes=scopes, day=as_of)
            covered, villages = await indicators.meal_villages_on(session, scopes=scopes, day=as_of)
        elders = self._reference.elders(scopes, year)
        targets = self._reference.targets
        district = ir.is_district(scopes)
        level = {"year": year, "district": district}
        return pb.EldercareIndicators(
            region_code=region,
            year=year,
            as_of=as_of.isoformat(),
            elderly_population=None if elders is None else elders.count,
            population_source="" if elders is None else elders.source,
            certified_caregivers_per_10k=figure_to_pb(
                ir.per_10k(caregivers.active, elders, targets[IndicatorKey.CAREGIVERS_PER_10K], **level)
            ),
            senior_caregiver_share=figure_to_pb(
                ir.share(
                    caregivers.senior,
                    caregivers.active,
                    targets[IndicatorKey.SENIOR_CAREGIVER_SHARE],
                    **level,
                )
            ),
            dementia_beds_per_10k=figure_to_pb(
                ir.per_10k(
                    beds[BedType.DEMENTIA_CARE], elders, targets[IndicatorKey.DEMENTIA_BEDS_PER_10K], **level
                )
            ),
            family_care_beds=figure_to_pb(
                ir.count(beds[BedType.FAMILY_CARE], targets[IndicatorKey.FAMILY_CARE_BEDS], **level)
            ),
            nursing_bed_share=figure_to_pb(
                ir.share(
                    beds[BedType.NURSING],
                    indicators.institution_beds(beds),
                    targets[IndicatorKey.NURSING_BED_SHARE],
                    **level,
                )
            ),
            meal_village_coverage=figure_to_pb(
                ir.share(covered, villages, targets[IndicatorKey.MEAL_VILLAGE_COVERAGE], **level)
            ),
        )


def register(server: grpc.aio.Server, ctx: ServiceContext, *, clock: Clock) -> None:
    """Add the indicator service to the eldercare server (reference data read once, at start)."""
    indicators_pb2_grpc.add_EldercareIndicatorServiceServicer_to_server(
        IndicatorServicer(ctx, clock=clock, reference=indicators.load_reference()), server
    )
