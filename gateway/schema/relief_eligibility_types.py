"""Relief standards and eligibility results, built from EligibilityService replies.

Money is fen as a decimal string plus yuan as text, as everywhere in the graph; ratios stay exact
fractions as text ("2", "1210/700"). A reason's figures arrive as a JSON object and are passed on as
one, so a client can show which income and which standard a rule used.
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from typing import Any

import strawberry
from minzheng.relief.v1 import eligibility_pb2 as pb
from strawberry.relay.utils import to_base64
from strawberry.scalars import JSON

from gateway.schema.common import day
from services.kit.money import Money

# A member's person id is stable across households (MoveMember takes it), so it is its own node kind.
PERSON = "ReliefPerson"


def yuan(fen: int) -> str:
    """Fen as plain yuan text with two decimals ("1166.67")."""
    return Money(fen).text


def person_gid(person_id: str) -> strawberry.ID:
    """The global ID of a relief person (a household member's ``personId``)."""
    return strawberry.ID(to_base64(PERSON, person_id))


def _optional_fen(message: pb.Standards, name: str) -> str | None:
    return str(getattr(message, name)) if message.HasField(name) else None


@strawberry.enum(description="What a household qualifies for.")
class ReliefClassification(Enum):
    TEKUN = strawberry.enum_value(pb.CLASSIFICATION_TEKUN, description="特困人员救助供养")
    DIBAO = strawberry.enum_value(pb.CLASSIFICATION_DIBAO, description="最低生活保障")
    DIBIAN = strawberry.enum_value(pb.CLASSIFICATION_DIBIAN, description="低保边缘家庭")
    NONE = strawberry.enum_value(pb.CLASSIFICATION_NONE, description="None of the three.")


@strawberry.type(description="Where a standard's figure comes from.")
class StandardSource:
    table: str = strawberry.field(description="The policy table (dibao_monthly, dibian, tekun, …).")
    region_key: str = strawberry.field(
        description="The region whose entry applied (the district when a town has none of its own)."
    )
    span: str = strawberry.field(description='The entry\'s dates, e.g. "2021-01-01..2024-12-31".')
    source: str | None


@strawberry.type(description="The relief standards in force on a day in a region (policy data).")
class ReliefStandards:
    region_code: str
    day: date | None = strawberry.field(description="The day the figures are in force.")
    dibao_monthly_fen: str = strawberry.field(description="低保 standard per person per month, in fen.")
    dibao_monthly_yuan: str
    dibian_multiplier: str = strawberry.field(description="低边 line as a multiple of the 低保 standard.")
    dibian_line_monthly_fen: str
    dibian_allowance_monthly_fen: str | None = strawberry.field(
        description="Null: policy sets no fixed 低边 allowance."
    )
    tekun_monthly_fen: str
    tekun_basis: str = strawberry.field(description="Given, or derived from the 低保 standard.")
    tekun_minor_age_limit: int = strawberry.field(description="A minor qualifies for 特困 while younger.")
    price_subsidy_monthly_fen: str | None = strawberry.field(description="Null: no price subsidy.")
    income_window_months: int
    asset_limit_months: int
    sources: list[StandardSource]

    @classmethod
    def from_pb(cls, m: pb.Standards) -> ReliefStandards:
        """The GraphQL standards of a reply."""
        return cls(
            region_code=m.region_code,
            day=day(m.day),
            dibao_monthly_fen=str(m.dibao_monthly_fen),
            dibao_monthly_yuan=yuan(m.dibao_monthly_fen),
            dibian_multiplier=m.dibian_multiplier,
            dibian_line_monthly_fen=str(m.dibian_line_monthly_fen),
            dibian_allowance_monthly_fen=_optional_fen(m, "dibian_allowance_monthly_fen"),
            tekun_monthly_fen=str(m.tekun_monthly_fen),
            tekun_basis=m.tekun_basis,
            tekun_minor_age_limit=m.tekun_minor_age_limit,
            price_subsidy_monthly_fen=_optional_fen(m, "price_subsidy_monthly_fen"),
            income_window_months=m.income_window_months,
            asset_limit_months=m.asset_limit_months,
            sources=[
                StandardSource(table=s.table, region_key=s.region_key, span=s.span, source=s.source or None)
                for s in m.sources
            ],
        )


@strawberry.type(description="One line of a monthly amount.")
class AssessmentLine:
    item: str = strawberry.field(description="dibao_gap, tekun_support, dibian_allowance, price_subsidy.")
    amount_fen: str
    amount_yuan: str
    person_id: strawberry.ID | None = strawberry.field(description="Set when the line is for one person.")


@strawberry.type(description="Why the engine decided as it did.")
class AssessmentReason:
    rule: str = strawberry.field(description='Stable rule code, e.g. "dibao.below_standard".')
    text: str
    figures: JSON = strawberry.field(description="The figures the rule used (fen as integers).")


@strawberry.type(description="A household assessed for a month: classification, reasons and amount.")
class HouseholdAssessment:
    household_id: strawberry.ID
    month: str = strawberry.field(description="YYYY-MM.")
    classification: ReliefClassification | None
    amount_fen: str = strawberry.field(description="Per month, the sum of the lines.")
    amount_yuan: str
    lines: list[AssessmentLine]
    reasons: list[AssessmentReason]
    standards: ReliefStandards = strawberry.field(
        description="The standards used (in force on the month's first day in the household's village)."
    )
    engine_version: str

    @classmethod
    def from_pb(cls, m: pb.Assessment) -> HouseholdAssessment:
        """The GraphQL assessment of a reply."""
        return cls(
            household_id=strawberry.ID(to_base64("Household", m.household_id)),
            month=m.month,
            classification=ReliefClassification(m.classification) if m.classification else None,
            amount_fen=str(m.amount_fen),
            amount_yuan=yuan(m.amount_fen),
            lines=[
                AssessmentLine(
                    item=x.item,
                    amount_fen=str(x.amount_fen),
                    amount_yuan=yuan(x.amount_fen),
                    person_id=person_gid(x.person_id) if x.person_id else None,
                )
                for x in m.lines
            ],
            reasons=[
                AssessmentReason(rule=r.rule, text=r.text, figures=_figures(r.figures_json))
                for r in m.reasons
            ],
            standards=ReliefStandards.from_pb(m.standards),
            engine_version=m.engine_version,
        )


def _figures(text: str) -> Any:
    return json.loads(text) if text else {}
