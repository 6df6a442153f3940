"""Relief indicators (精准保障) for the display centre: one region and year per query, against the plan.

The service counts, looks up the 低保 standard in force and judges each figure against the plan's
target for the year (seed 004 appendix); the gateway only reshapes the reply. Money stays exact: fen
as a decimal string, yuan as text. Money paid is the year's monthly payments (per programme too); it
would be null with a reason were the figure not available, never a made-up 0.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry
from google.protobuf.message import Message
from minzheng.relief.v1 import indicators_pb2 as pb

from gateway.context import Info
from gateway.schema.relief_application_types import ReliefProgramme
from gateway.schema.relief_eligibility_types import yuan


@strawberry.enum(description="How a relief indicator stands against the plan's target (a floor).")
class ReliefIndicatorStatus(Enum):
    MET = strawberry.enum_value(pb.RELIEF_INDICATOR_STATUS_MET, description="Reaches the target.")
    NOT_MET = strawberry.enum_value(pb.RELIEF_INDICATOR_STATUS_NOT_MET, description="Below the target.")
    NO_TARGET = strawberry.enum_value(
        pb.RELIEF_INDICATOR_STATUS_NO_TARGET, description="The plan sets none for the year."
    )
    NO_DATA = strawberry.enum_value(
        pb.RELIEF_INDICATOR_STATUS_NO_DATA,
        description="No value: no households to divide by, or no standard in force for the region.",
    )


def _fen(m: Message, name: str) -> str | None:
    return str(getattr(m, name)) if m.HasField(name) else None


def _yuan(m: Message, name: str) -> str | None:
    return yuan(getattr(m, name)) if m.HasField(name) else None


@strawberry.type(description="A care rate: households counted over households holding a programme.")
class ReliefRate:
    numerator: int
    denominator: int
    value: float | None = strawberry.field(description="A share 0..1; null when there are no households.")
    target: float | None = strawberry.field(description="The plan's target share for the year.")
    status: ReliefIndicatorStatus
    target_source: str | None

    @classmethod
    def from_pb(cls, m: pb.ReliefRate) -> ReliefRate:
        """The GraphQL rate of a reply."""
        return cls(
            numerator=m.numerator,
            denominator=m.denominator,
            value=m.value if m.HasField("value") else None,
            target=m.target if m.HasField("target") else None,
            status=ReliefIndicatorStatus(m.status),
            target_source=m.target_source or None,
        )


@strawberry.type(
    description="The 低保 standard in force in one region, per person and year, against the plan."
)
class DibaoStandardIndicator:
    region_code: str
    monthly_fen: str | None = strawberry.field(description="Null when no standard is in force.")
    annual_fen: str | None = strawberry.field(description="Twelve months of the standard, in fen.")
    annual_yuan: str | None
    target_annual_yuan: str | None = strawberry.field(description="The plan's floor for the year.")
    baseline_annual_yuan: str | None = strawberry.field(description="The plan's 2021 figure (13224).")
    status: ReliefIndicatorStatus
    target_source: str | None
    standard_source: str | None
    unavailable_reason: str | None

    @classmethod
    def from_pb(cls, m: pb.DibaoStandard) -> DibaoStandardIndicator:
        """The GraphQL standard of a reply."""
        return cls(
            region_code=m.region_code,
            monthly_fen=_fen(m, "monthly_fen"),
            annual_fen=_fen(m, "annual_fen"),
            annual_yuan=_yuan(m, "annual_fen"),
            target_annual_yuan=_yuan(m, "target_annual_fen"),
            baseline_annual_yuan=_yuan(m, "baseline_annual_fen"),
            status=ReliefIndicatorStatus(m.status),
            target_source=m.target_source or None,
            standard_source=m.standard_source or None,
            unavailable_reason=m.unavailable_reason or None,
        )


@strawberry.type(description="Households holding one programme on the day, and their members.")
class ReliefProgrammeCount:
    programme: ReliefProgramme
    households: int
    persons: int
    suspended_households: int = strawberry.field(description="Of the households, those suspended that day.")


@strawberry.type(description="One programme's monthly payments for the year's months so far.")
class ReliefProgrammePaid:
    programme: ReliefProgramme
    households: int = strawberry.field(description="Distinct households paid at least once.")
    paid_fen: str = strawberry.field(description="In fen, as a decimal string (exact; no float).")
    paid_yuan: str
    payments: int = strawberry.field(description="Monthly payments (one per household and month).")


@strawberry.type(
    description="Money paid for the year's months so far (the monthly payment runs), per programme and in "
    "all; paidFen null with a reason only when the figure is not available."
)
class ReliefMoneyPaid:
    paid_fen: str | None
    paid_yuan: str | None
    unavailable_reason: str | None
    households: int = strawberry.field(description="Distinct households paid at least once, all programmes.")
    programmes: list[ReliefProgrammePaid] = strawberry.field(description="特困, 低保, 低边, zeros included.")

    @classmethod
    def from_pb(cls, m: pb.MoneyPaid) -> ReliefMoneyPaid:
        """The GraphQL money paid of a reply."""
        return cls(
            paid_fen=_fen(m, "paid_fen"),
            paid_yuan=_yuan(m, "paid_fen"),
            unavailable_reason=m.unavailable_reason or None,
            households=m.households,
            programmes=[
                ReliefProgrammePaid(
                    programme=ReliefProgramme(p.programme),
                    households=p.households,
                    paid_fen=str(p.paid_fen),
                    paid_yuan=yuan(p.paid_fen),
                    payments=p.payments,
                )
                for p in m.programmes
            ],
        )


@strawberry.type(description="Relief indicators (精准保障) of one region and year.")
class ReliefIndicators:
    region_code: str | None = strawberry.field(description="Null when the figures cover all your regions.")
    year: int
    as_of: date = strawberry.field(description="The year's last day, or today for the current year.")
    dibao_standards: list[DibaoStandardIndicator] = strawberry.field(
        description="One per region of the query; 2025 target ≥ 14000 yuan a person-year."
    )
    programmes: list[ReliefProgrammeCount] = strawberry.field(description="特困, 低保, 低边, zeros included.")
    households: int = strawberry.field(description="Distinct households over all programmes.")
    persons: int
    money_paid: ReliefMoneyPaid
    visited: ReliefRate = strawberry.field(description="救助家庭探访关爱率.")
    list_delivered: ReliefRate = strawberry.field(description="幸福清单送达率.")
    one_thing: ReliefRate = strawberry.field(description="救助“一件事”惠民联办率.")

    @classmethod
    def from_pb(cls, m: pb.ReliefIndicators) -> ReliefIndicators:
        """The GraphQL indicators of a reply."""
        return cls(
            region_code=m.region_code or None,
            year=m.year,
            as_of=date.fromisoformat(m.as_of),
            dibao_standards=[DibaoStandardIndicator.from_pb(s) for s in m.dibao_standards],
            programmes=[
                ReliefProgrammeCount(
                    programme=ReliefProgramme(p.programme),
                    households=p.households,
                    persons=p.persons,
                    suspended_households=p.suspended_households,
                )
                for p in m.programmes
            ],
            households=m.households,
            persons=m.persons,
            money_paid=ReliefMoneyPaid.from_pb(m.money_paid),
            visited=ReliefRate.from_pb(m.visited),
            list_delivered=ReliefRate.from_pb(m.list_delivered),
            one_thing=ReliefRate.from_pb(m.one_thing),
        )


@strawberry.type
class ReliefIndicatorQuery:
    @strawberry.field(
        description="Relief indicators of a district or town in your regions (default: all of them) for "
        "a year from 2021 (default: the current one), against the plan's targets."
    )
    async def relief_indicators(
        self, info: Info, region_code: str | None = None, year: int | None = None
    ) -> ReliefIndicators:
        ctx = info.context
        request = pb.GetReliefIndicatorsRequest(region_code=region_code or "", year=year or 0)
        reply = await ctx.call(ctx.clients.relief_indicators.GetReliefIndicators, request)
        return ReliefIndicators.from_pb(reply)
