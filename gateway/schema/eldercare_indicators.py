"""Eldercare indicators for the display centre: one region and year per query, against the plan.

The service counts, looks up the reference population and judges each figure against the plan's
target for the year (seed 004, appendix); the gateway only reshapes the reply.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from minzheng.eldercare.v1 import indicators_pb2 as pb

from gateway.context import Info


@strawberry.enum(description="How an indicator stands against the plan's target.")
class IndicatorStatus(Enum):
    MET = strawberry.enum_value(pb.INDICATOR_STATUS_MET, description="The value reaches the target.")
    NOT_MET = strawberry.enum_value(pb.INDICATOR_STATUS_NOT_MET, description="Below the target.")
    NO_TARGET = strawberry.enum_value(
        pb.INDICATOR_STATUS_NO_TARGET,
        description="The plan sets none for the year or the region's level (500 family-care beds is a "
        "district target).",
    )
    NO_DATA = strawberry.enum_value(
        pb.INDICATOR_STATUS_NO_DATA, description="Nothing to divide by (no caregivers, beds or villages)."
    )
    NO_REFERENCE_POPULATION = strawberry.enum_value(
        pb.INDICATOR_STATUS_NO_REFERENCE_POPULATION,
        description="No elderly population for the region and year in the reference data.",
    )


@strawberry.type(description="One indicator: its parts, value, the plan's target and baseline, the verdict.")
class EldercareIndicator:
    numerator: int
    denominator: int = strawberry.field(
        description="Elders (reference population), caregivers, institution beds or villages; 0 for a count."
    )
    value: float | None = strawberry.field(
        description="Per 10,000 elders, a share (0.65 = 65%) or a count; null when it cannot be computed."
    )
    target: float | None = strawberry.field(
        description="The plan's target for the year, in the value's unit."
    )
    baseline: float | None = strawberry.field(description="The plan's 2021 baseline (基期值), if given.")
    status: IndicatorStatus
    target_source: str = strawberry.field(description="Where the target comes from.")

    @classmethod
    def from_pb(cls, m: pb.Indicator) -> EldercareIndicator:
        return cls(
            numerator=m.numerator,
            denominator=m.denominator,
            value=m.value if m.HasField("value") else None,
            target=m.target if m.HasField("target") else None,
            baseline=m.baseline if m.HasField("baseline") else None,
            status=IndicatorStatus(m.status),
            target_source=m.target_source,
        )


@strawberry.type(description="Eldercare indicators (幸福颐养) of one region and year.")
class EldercareIndicators:
    region_code: str | None = strawberry.field(description="Null when the figures cover all your regions.")
    year: int
    as_of: date = strawberry.field(description="The year's last day, or today for the current year.")
    elderly_population: int | None = strawberry.field(
        description="Elders aged 60+ of the region and year in the reference data; null when it has none."
    )
    population_source: str | None
    certified_caregivers_per_10k: EldercareIndicator = strawberry.field(
        description="Certified caregivers (持证养老护理员) per 10,000 elders; 2025 target 28."
    )
    senior_caregiver_share: EldercareIndicator = strawberry.field(
        description="Share of caregivers at 高级 level or above; 2025 target 20%."
    )
    dementia_beds_per_10k: EldercareIndicator = strawberry.field(
        description="Dementia-care beds (认知障碍照护床位) per 10,000 elders; 2025 target 20."
    )
    family_care_beds: EldercareIndicator = strawberry.field(
        description="Family-care beds (家庭养老照护床位); 2025 target 500 for the district."
    )
    nursing_bed_share: EldercareIndicator = strawberry.field(
        description="Nursing beds (护理型床位) over institution beds; 2025 target 65%."
    )
    meal_village_coverage: EldercareIndicator = strawberry.field(
        description="Villages with meal service (助餐服务村社覆盖率) over the region's villages."
    )

    @classmethod
    def from_pb(cls, m: pb.EldercareIndicators) -> EldercareIndicators:
        return cls(
            region_code=m.region_code or None,
            year=m.year,
            as_of=date.fromisoformat(m.as_of),
            elderly_population=m.elderly_population if m.HasField("elderly_population") else None,
            population_source=m.population_source or None,
            certified_caregivers_per_10k=EldercareIndicator.from_pb(m.certified_caregivers_per_10k),
            senior_caregiver_share=EldercareIndicator.from_pb(m.senior_caregiver_share),
            dementia_beds_per_10k=EldercareIndicator.from_pb(m.dementia_beds_per_10k),
            family_care_beds=EldercareIndicator.from_pb(m.family_care_beds),
            nursing_bed_share=EldercareIndicator.from_pb(m.nursing_bed_share),
            meal_village_coverage=EldercareIndicator.from_pb(m.meal_village_coverage),
        )


@strawberry.type
class EldercareIndicatorQuery:
    @strawberry.field(
        description="Eldercare indicators of a district or town in your regions (default: all of them) "
        "for a year (default: the current one), against the plan's targets."
    )
    async def eldercare_indicators(
        self, info: Info, region_code: str | None = None, year: int | None = None
    ) -> EldercareIndicators:
        ctx = info.context
        request = pb.GetEldercareIndicatorsRequest(region_code=region_code or "", year=year or 0)
        reply = await ctx.call(ctx.clients.eldercare_indicators.GetEldercareIndicators, request)
        return EldercareIndicators.from_pb(reply)
