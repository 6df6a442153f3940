"""Between the relief indicator messages and the figures of ``indicators`` and ``indicator_rules``."""

from __future__ import annotations

from datetime import date

from minzheng.relief.v1 import indicators_pb2 as pb

from services.relief import indicator_rules as ir
from services.relief.care_rules import TownCare
from services.relief.eligibility_mapping import CLASSIFICATION_TO_PB
from services.relief.eligibility_models import Classification
from services.relief.indicators import Holdings, MoneyPaid, StandardInForce

STATUS_TO_PB = {
    ir.Status.MET: pb.RELIEF_INDICATOR_STATUS_MET,
    ir.Status.NOT_MET: pb.RELIEF_INDICATOR_STATUS_NOT_MET,
    ir.Status.NO_TARGET: pb.RELIEF_INDICATOR_STATUS_NO_TARGET,
    ir.Status.NO_DATA: pb.RELIEF_INDICATOR_STATUS_NO_DATA,
}


def rate_to_pb(rate: ir.Rate) -> pb.ReliefRate:
    """Fractions become doubles only here, for display: "met" was decided on the exact values."""
    return pb.ReliefRate(
        numerator=rate.numerator,
        denominator=rate.denominator,
        value=None if rate.value is None else float(rate.value),
        target=None if rate.target is None else float(rate.target),
        status=STATUS_TO_PB[rate.status],
        target_source=rate.source,
    )


def standard_to_pb(found: StandardInForce, targets: ir.DibaoTargets, year: int) -> pb.DibaoStandard:
    """One scope's 低保 standard per person-year against the plan's floor for the year."""
    target, baseline = targets.target(year), targets.baseline
    annual = None if found.monthly_fen is None else ir.annual_fen(found.monthly_fen)
    return pb.DibaoStandard(
        region_code=found.scope,
        monthly_fen=found.monthly_fen,
        annual_fen=annual,
        target_annual_fen=None if target is None else target.fen,
        baseline_annual_fen=None if baseline is None else baseline.fen,
        status=STATUS_TO_PB[ir.judge(annual, None if target is None else target.fen)],
        target_source="" if target is None else target.source,
        standard_source=found.source,
        unavailable_reason=found.unavailable_reason,
    )


def indicators_to_pb(
    *,
    region: str,
    year: int,
    as_of: date,
    standards: list[pb.DibaoStandard],
    holdings: Holdings,
    paid: MoneyPaid,
    care: TownCare,
    care_target: int | None,
    care_source: str,
) -> pb.ReliefIndicators:
    """The whole reply."""
    return pb.ReliefIndicators(
        region_code=region,
        year=year,
        as_of=as_of.isoformat(),
        dibao_standards=standards,
        programmes=[
            pb.ProgrammeCount(
                programme=CLASSIFICATION_TO_PB[Classification(t.programme)],
                households=t.households,
                persons=t.persons,
                suspended_households=t.suspended,
            )
            for t in holdings.programmes
        ],
        households=holdings.households,
        persons=holdings.persons,
        money_paid=pb.MoneyPaid(
            paid_fen=paid.paid_fen,
            households=paid.households,
            programmes=[
                pb.ProgrammePaid(
                    programme=CLASSIFICATION_TO_PB[Classification(t.programme)],
                    households=t.households,
                    paid_fen=t.paid_fen,
                    payments=t.payments,
                )
                for t in paid.programmes
            ],
        ),
        visited=rate_to_pb(ir.rate(care.visited, care.households, care_target, care_source)),
        list_delivered=rate_to_pb(ir.rate(care.list_delivered, care.households, care_target, care_source)),
        one_thing=rate_to_pb(ir.rate(care.one_thing, care.households, care_target, care_source)),
    )
