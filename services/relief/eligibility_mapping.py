"""Between the eligibility proto messages and the engine's standards and assessments."""

from __future__ import annotations

import json
import math
from fractions import Fraction

from minzheng.relief.v1 import eligibility_pb2 as pb

from services.relief.eligibility import ENGINE_VERSION
from services.relief.eligibility_models import Assessment, Classification
from services.relief.standards import Standards

CLASSIFICATION_TO_PB: dict[Classification, pb.Classification.ValueType] = {
    Classification.TEKUN: pb.CLASSIFICATION_TEKUN,
    Classification.DIBAO: pb.CLASSIFICATION_DIBAO,
    Classification.DIBIAN: pb.CLASSIFICATION_DIBIAN,
    Classification.NONE: pb.CLASSIFICATION_NONE,
}


def _half_up(amount: Fraction) -> int:
    return math.floor(amount + Fraction(1, 2))


def standards_to_pb(s: Standards) -> pb.Standards:
    """The wire form of the standards in force, with the source of each figure."""
    return pb.Standards(
        region_code=s.region,
        day=s.day.isoformat(),
        dibao_monthly_fen=s.dibao_monthly_fen,
        dibian_multiplier=str(s.dibian_multiplier),
        dibian_line_monthly_fen=_half_up(s.dibian_multiplier * s.dibao_monthly_fen),
        dibian_allowance_monthly_fen=s.dibian_allowance_monthly_fen,
        tekun_monthly_fen=s.tekun_monthly_fen,
        tekun_basis=s.tekun_basis,
        tekun_minor_age_limit=s.tekun_minor_age_limit,
        price_subsidy_monthly_fen=s.price_subsidy_monthly_fen,
        income_window_months=s.income_window_months,
        asset_limit_months=s.asset_limit_months,
        sources=[
            pb.FigureSource(table=f.table, region_key=f.region_key, span=f.span, source=f.source or "")
            for f in s.sources
        ],
    )


def assessment_to_pb(a: Assessment, standards: Standards) -> pb.Assessment:
    """The wire form of an assessment; each reason's figures as a JSON object (fen stay integers)."""
    return pb.Assessment(
        household_id=a.household_id,
        month=a.month.key,
        classification=CLASSIFICATION_TO_PB[a.classification],
        amount_fen=a.amount_fen,
        lines=[
            pb.AmountLine(item=x.item, amount_fen=x.amount_fen, person_id=x.member_id or "") for x in a.lines
        ],
        reasons=[
            pb.Reason(
                rule=r.rule,
                text=r.text,
                figures_json=json.dumps(r.figures, ensure_ascii=False, sort_keys=True),
            )
            for r in a.reasons
        ],
        standards=standards_to_pb(standards),
        engine_version=ENGINE_VERSION,
    )
