"""Pure rules for adoptions (收养), children's homes (儿童之家) and town protection stations (未保工作站).

No I/O: callers hand in plain values and today's date. The adoption rules are the clear ones of the
Civil Code (民法典 第五编 第五章 收养), kept deliberately conservative:

* the adoptee is a minor on the application date (第1093条: 下列未成年人，可以被收养);
* every adopter is an adult, and at least 30 (第1098条 年满三十周岁) unless adopting a stepchild —
  第1103条 exempts step-parents from 第1098条, so they only need to be adults;
* one or two adopters; two adopt as a couple (第1101条 有配偶者收养子女，应当夫妻共同收养);
* a single adopter of a child of the opposite sex must be at least 40 years older (第1102条), except a
  relative adopting a collateral relative's child of the same generation within three generations
  (第1099条) or a step-parent (第1103条).

The rest of 第1098条 (no or one child, means to raise the child, no disqualifying illness or record)
needs facts this service does not hold: the assessment (收养评估) decides those and is recorded as its
result. A children's home carries a demonstration tier (市级/省级示范) only at level demonstration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.childwelfare.rules import ADULT_AGE, age_on
from services.kit.errors import Collector

MIN_ADOPTER_AGE = 30
SINGLE_OPPOSITE_SEX_GAP = 40
MAX_ADOPTERS = 2
MAX_FACILITY_NAME_LENGTH = 100
MAX_ASSESSOR_LENGTH = 100
MAX_NOTES_LENGTH = 2000
MAX_CERTIFICATE_LENGTH = 40
MAX_STAFF = 500


class AdoptionStatus(StrEnum):
    """Where an adoption registration stands."""

    APPLIED = "applied"  # 申请
    ASSESSED = "assessed"  # 收养评估 done (suitable or not)
    REGISTERED = "registered"  # 登记, certificate issued
    REFUSED = "refused"  # 不予登记
    WITHDRAWN = "withdrawn"  # 撤回申请


class AssessmentResult(StrEnum):
    """The outcome of the adoption assessment (收养评估)."""

    SUITABLE = "suitable"
    UNSUITABLE = "unsuitable"


class AdopterRelation(StrEnum):
    """How an adopter is related to the child (which Civil Code exemptions apply)."""

    STEP_PARENT = "step_parent"  # 继父母 (第1103条)
    RELATIVE = "relative"  # 三代以内旁系同辈血亲的子女 (第1099条)
    OTHER = "other"  # no family relation


class CompletionOutcome(StrEnum):
    """How an adoption registration ends."""

    REGISTER = "register"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


class HomeLevel(StrEnum):
    """A children's home's level (儿童之家: 基础型 / 示范型)."""

    BASIC = "basic"
    DEMONSTRATION = "demonstration"


class DemonstrationTier(StrEnum):
    """Who recognised a demonstration home beyond the district (市级 / 省级示范型儿童之家)."""

    CITY = "city"
    PROVINCE = "province"


OPEN_STATUSES = frozenset({AdoptionStatus.APPLIED, AdoptionStatus.ASSESSED})
# Which outcome takes an adoption from which status; REGISTER needs a suitable assessment besides.
_OUTCOME_FROM: dict[CompletionOutcome, frozenset[AdoptionStatus]] = {
    CompletionOutcome.REGISTER: frozenset({AdoptionStatus.ASSESSED}),
    CompletionOutcome.REFUSE: OPEN_STATUSES,
    CompletionOutcome.WITHDRAW: OPEN_STATUSES,
}
OUTCOME_STATUS = {
    CompletionOutcome.REGISTER: AdoptionStatus.REGISTERED,
    CompletionOutcome.REFUSE: AdoptionStatus.REFUSED,
    CompletionOutcome.WITHDRAW: AdoptionStatus.WITHDRAWN,
}


@dataclass(frozen=True)
class Person:
    """What the rules need of a person: birth date and sex (both from the ID number)."""

    birth_date: date
    sex: str


@dataclass(frozen=True)
class AdopterFacts(Person):
    """An adopter as the rules see them."""

    relation: AdopterRelation


def check_adoption(
    errors: Collector, *, child: Person, adopters: Sequence[AdopterFacts], applied_on: date
) -> None:
    """Record every Civil Code age rule the application breaks, naming the field (adopters[i].id_number)."""
    if child.birth_date > applied_on:
        errors.add("applied_on", "must not be before the child was born")
        return
    if age_on(child.birth_date, applied_on) >= ADULT_AGE:
        errors.add("child_id_number", "the child must be under 18 on the application date (民法典 第1093条)")
    errors.check(1 <= len(adopters) <= MAX_ADOPTERS, "adopters", "give one adopter or a couple (two)")
    for i, adopter in enumerate(adopters):
        field = f"adopters[{i}].id_number"
        if adopter.birth_date > applied_on:
            errors.add(field, "the adopter is born after the application date")
            continue
        age = age_on(adopter.birth_date, applied_on)
        minimum = ADULT_AGE if adopter.relation is AdopterRelation.STEP_PARENT else MIN_ADOPTER_AGE
        if age < minimum:
            errors.add(
                field, f"the adopter must be at least {minimum} on the application date (民法典 第1098条)"
            )
        if (
            len(adopters) == 1
            and needs_age_gap(adopter, child)
            and age_gap(adopter, child) < SINGLE_OPPOSITE_SEX_GAP
        ):
            errors.add(
                field,
                f"a single adopter of a child of the other sex must be at least {SINGLE_OPPOSITE_SEX_GAP} "
                "years older (民法典 第1102条)",
            )


def needs_age_gap(adopter: AdopterFacts, child: Person) -> bool:
    """Whether 第1102条's 40-year gap applies to a single adopter (other sex, no exemption)."""
    exempt = adopter.relation in (AdopterRelation.STEP_PARENT, AdopterRelation.RELATIVE)
    return adopter.sex != child.sex and not exempt


def age_gap(older: Person, younger: Person) -> int:
    """Full years between two birth dates (the elder's age on the younger's birth date)."""
    if younger.birth_date < older.birth_date:
        return 0
    return age_on(older.birth_date, younger.birth_date)


def can_assess(status: AdoptionStatus) -> bool:
    """An assessment is recorded once, on an application."""
    return status is AdoptionStatus.APPLIED


def completion_problem(
    status: AdoptionStatus, outcome: CompletionOutcome, assessment: AssessmentResult | None
) -> str | None:
    """Why ``outcome`` cannot end an adoption in ``status`` with ``assessment``; None when it can."""
    if status not in OPEN_STATUSES:
        return f"the adoption is already {status.value}"
    if status not in _OUTCOME_FROM[outcome]:
        return "cannot register an adoption that has not been assessed (收养评估)"
    if outcome is CompletionOutcome.REGISTER and assessment is not AssessmentResult.SUITABLE:
        return "cannot register: the assessment found the adopters unsuitable"
    return None


def check_tier(
    errors: Collector, field: str, level: HomeLevel | None, tier: DemonstrationTier | None
) -> None:
    """A demonstration tier (city / province) only on a demonstration home."""
    if tier is not None and level is not HomeLevel.DEMONSTRATION:
        errors.add(field, "a city or province tier needs level demonstration")


def is_open_on(opened_on: date, closed_on: date | None, day: date) -> bool:
    """Whether a facility is operating on ``day`` (open from opened_on, closed from closed_on)."""
    return opened_on <= day and (closed_on is None or day < closed_on)


def coverage_rate(covered: int, total: int) -> float | None:
    """covered / total, or None when there is nothing to cover (no rate, not 100%)."""
    return covered / total if total else None
