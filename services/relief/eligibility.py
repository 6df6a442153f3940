"""The eligibility engine: a household's facts + the standards in force → 特困 / 低保 / 低边 / none.

PURE: no I/O, no clock. The caller passes the month assessed and the standards resolved for it
(``StandardsBook.for_month``: those in force on the month's first day, so a standard changing mid-year
applies from the month it takes effect, never to earlier months).

The rules, in the order they are applied:

1. **Bad input** is refused with ``InvalidArgument`` naming every bad field (a domain error that the
   gRPC layer maps to INVALID_ARGUMENT): no members, not exactly one head, a negative income or asset,
   an income ending before it starts, a birth after the month, standards for another region or day.
2. **Income** is what the members earned over the window: the ``income_window_months`` whole months
   before the month assessed. An income whose period only partly overlaps the window counts in
   proportion to the days that overlap (``amount × overlap days / period days``). All members' incomes
   add up; per-capita monthly income = total / window months / members. Sums and comparisons are exact
   fractions; figures in the reasons are rounded to the fen for reading only.
3. **Assets**: total assets above ``members × asset_limit_months × 低保 standard`` → none (exactly at
   the limit is within it).
4. **特困** per member: no labour capacity and not employed; own monthly income below the 低保 standard;
   and aged 60 or more, or severely disabled (grade 1 or 2), or a minor younger than the age limit in
   force. An age condition met on ANY day of the month counts for the month (60 by its last day, still
   a minor on its first), as eldercare and childwelfare count months. The household is 特困 only when
   EVERY member qualifies (nobody in it can support the others); each is paid the 特困 standard.
   Members who qualify in a mixed household are named in a reason for the officer; the household is
   then assessed for 低保 like any other.
5. **低保** when per-capita monthly income is BELOW the standard (exactly at it → not 低保). The amount
   is the gap times the members, ``ceil(standard × members − household monthly income)``: rounded up
   to the fen in the household's favour.
6. **低边** when per-capita income is below ``multiplier × standard`` (exactly at it → not 低边). The
   amount is the fixed 低边 allowance per member if policy sets one, else 0 with a reason saying so.
7. **Price subsidy**: when policy sets one, it is added per member to every classification but none.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from typing import Any

from services.kit.errors import Collector
from services.kit.fields import age_on as age_on
from services.kit.periods import Month
from services.relief.eligibility_models import (
    AmountLine,
    Assessment,
    Classification,
    Household,
    Income,
    LabourCapacity,
    Member,
    Reason,
    Relation,
)
from services.relief.standards import Standards

ENGINE_VERSION = "relief-eligibility/1"  # stored in the snapshot: which rule set produced a payment
ELDER_AGE = 60
SEVERE_DISABILITY_GRADES = frozenset({1, 2})


def income_window(month: Month, months: int) -> tuple[date, date]:
    """First and last day of the ``months`` whole months before ``month``."""
    return month.shift(-months).first, month.shift(-1).last


def counted_amount(income: Income, start: date, end: date) -> Fraction:
    """The part of ``income`` earned within ``start``..``end``, prorated by days (exact)."""
    overlap = (min(income.end, end) - max(income.start, start)).days + 1
    if overlap <= 0:
        return Fraction(0)
    period = (income.end - income.start).days + 1
    return Fraction(income.amount_fen * overlap, period)


def _fen(amount: Fraction) -> int:
    """An exact amount as whole fen, half up, for the reasons only."""
    return math.floor(amount + Fraction(1, 2))


def _validate(household: Household, standards: Standards, month: Month) -> None:
    errors = Collector()
    errors.check(
        standards.region == household.region,
        "standards.region",
        f"standards are for region {standards.region}, the household is in {household.region}",
    )
    errors.check(
        standards.day == month.first,
        "standards.day",
        f"standards were resolved for {standards.day}; month {month} is assessed on {month.first}",
    )
    members = household.members
    errors.check(bool(members), "members", "a household needs at least one member")
    heads = sum(1 for m in members if m.relation is Relation.HEAD)
    if members and heads != 1:
        errors.add("members", f"exactly one member must be the head (户主), found {heads}")
    seen: set[str] = set()
    for i, member in enumerate(members):
        where = f"members[{i}]"
        errors.check(member.member_id not in seen, f"{where}.member_id", f"{member.member_id!r} repeated")
        seen.add(member.member_id)
        errors.check(member.birth_date <= month.last, f"{where}.birth_date", f"born after {month}")
        errors.check(
            member.disability_grade is None or member.disability_grade in (1, 2, 3, 4),
            f"{where}.disability_grade",
            "must be 1, 2, 3 or 4 (or absent)",
        )
        for j, income in enumerate(member.incomes):
            at = f"{where}.incomes[{j}]"
            ok = type(income.amount_fen) is int and income.amount_fen >= 0
            errors.check(
                ok, f"{at}.amount_fen", f"must be a whole number of fen ≥ 0, not {income.amount_fen!r}"
            )
            errors.check(income.end >= income.start, f"{at}.end", f"{income.end} is before {income.start}")
        for j, asset in enumerate(member.assets):
            ok = type(asset.value_fen) is int and asset.value_fen >= 0
            errors.check(ok, f"{where}.assets[{j}].value_fen", f"must be fen ≥ 0, not {asset.value_fen!r}")
    errors.raise_if_any()


def _member_income(member: Member, start: date, end: date) -> tuple[Fraction, list[Reason]]:
    total, reasons = Fraction(0), []
    for income in member.incomes:
        counted = counted_amount(income, start, end)
        total += counted
        figures = {
            "member_id": member.member_id,
            "kind": income.kind,
            "period": f"{income.start}..{income.end}",
            "amount_fen": income.amount_fen,
            "counted_fen": _fen(counted),
        }
        if income.start <= end and income.end >= start:  # a zero income in the window still "counts"
            text = (
                f"{member.member_id}: {income.kind} {income.start}..{income.end} counts {_fen(counted)} fen"
            )
            reasons.append(Reason("income.counted", text, figures))
        else:
            text = f"{member.member_id}: {income.kind} {income.start}..{income.end} is outside the window"
            reasons.append(Reason("income.outside_window", text, figures))
    return total, reasons


def _tekun_reason(member: Member, monthly_income: Fraction, standards: Standards, month: Month) -> Reason:
    age_first, age_last = age_on(member.birth_date, month.first), age_on(member.birth_date, month.last)
    limit = standards.tekun_minor_age_limit
    unmet = []
    if member.labour_capacity is not LabourCapacity.NONE or member.employed:
        unmet.append("has labour capacity or is employed")
    if monthly_income >= standards.dibao_monthly_fen:
        unmet.append("own monthly income not below the 低保 standard")
    severe = member.disability_grade in SEVERE_DISABILITY_GRADES
    if not (age_last >= ELDER_AGE or severe or age_first < limit):
        unmet.append(f"not {ELDER_AGE}+, not severely disabled, not a minor under {limit}")
    figures = {
        "member_id": member.member_id,
        "age_on_first_day": age_first,
        "age_on_last_day": age_last,
        "minor_age_limit": limit,
        "disability_grade": member.disability_grade,
        "labour_capacity": member.labour_capacity.value,
        "employed": member.employed,
        "monthly_income_fen": _fen(monthly_income),
        "unmet": unmet,
    }
    if unmet:
        return Reason("tekun.member_not_eligible", f"{member.member_id}: {'; '.join(unmet)}", figures)
    return Reason("tekun.member_eligible", f"{member.member_id} meets every 特困 condition", figures)


def assess(household: Household, standards: Standards, month: Month) -> Assessment:
    """Classify ``household`` for ``month`` under ``standards``, with reasons, amount and snapshot."""
    _validate(household, standards, month)
    members, n = household.members, len(household.members)
    months, dibao = standards.income_window_months, standards.dibao_monthly_fen
    start, end = income_window(month, months)
    reasons: list[Reason] = []
    own: dict[str, Fraction] = {}
    for member in members:
        member_total, member_reasons = _member_income(member, start, end)
        own[member.member_id] = member_total / months
        reasons += member_reasons
    total = sum(own.values(), Fraction(0))  # household income per month
    per_capita = total / n
    text = f"{n} member(s), income {start}..{end} ({months} months): {_fen(per_capita)} fen per person-month"
    figures = {
        "window": f"{start}..{end}",
        "members": n,
        "household_monthly_fen": _fen(total),
        "per_capita_monthly_fen": _fen(per_capita),
        "dibao_monthly_fen": dibao,
    }
    reasons.append(Reason("income.per_capita", text, figures))
    classification, lines = _classify(household, standards, month, total, own, reasons)
    if classification is not Classification.NONE and standards.price_subsidy_monthly_fen is not None:
        fen = standards.price_subsidy_monthly_fen
        lines += [AmountLine("price_subsidy", fen, m.member_id) for m in members]
        reasons.append(
            Reason("price_subsidy.added", f"price subsidy {fen} fen × {n}", {"per_person_fen": fen})
        )
    amount = sum(line.amount_fen for line in lines)
    outcome = {
        "classification": classification.value,
        "amount_fen": amount,
        "lines": [{"item": x.item, "amount_fen": x.amount_fen, "member_id": x.member_id} for x in lines],
        "reasons": [{"rule": r.rule, "text": r.text, "figures": r.figures} for r in reasons],
    }
    snapshot = _snapshot(household, standards, month) | {"result": outcome}
    return Assessment(
        household.household_id, month, classification, amount, tuple(lines), tuple(reasons), snapshot
    )


def _classify(
    household: Household,
    standards: Standards,
    month: Month,
    total: Fraction,
    own: dict[str, Fraction],
    reasons: list[Reason],
) -> tuple[Classification, list[AmountLine]]:
    members, n, dibao = household.members, len(household.members), standards.dibao_monthly_fen
    assets = sum(a.value_fen for m in members for a in m.assets)
    limit = standards.asset_limit_per_person_fen * n
    asset_figures = {
        "assets_fen": assets,
        "limit_fen": limit,
        "months_of_standard": standards.asset_limit_months,
    }
    if assets > limit:
        reasons.append(
            Reason("assets.over_limit", f"assets {assets} fen exceed the limit {limit}", asset_figures)
        )
        return Classification.NONE, []
    reasons.append(
        Reason("assets.within_limit", f"assets {assets} fen within the limit {limit}", asset_figures)
    )

    checks = [_tekun_reason(m, own[m.member_id], standards, month) for m in members]
    reasons += checks
    eligible = [c.figures["member_id"] for c in checks if c.rule == "tekun.member_eligible"]
    if len(eligible) == n:
        fen = standards.tekun_monthly_fen
        text = f"every member meets the 特困 conditions: {fen} fen each ({standards.tekun_basis})"
        reasons.append(Reason("tekun.household", text, {"tekun_monthly_fen": fen, "members": n}))
        return Classification.TEKUN, [AmountLine("tekun_support", fen, m.member_id) for m in members]
    if eligible:
        text = f"{', '.join(eligible)} meet the 特困 conditions alone; the household is assessed as a whole"
        reasons.append(Reason("tekun.some_members", text, {"member_ids": eligible}))

    figures = {"household_monthly_fen": _fen(total), "dibao_monthly_fen": dibao, "members": n}
    if total < dibao * n:
        gap = math.ceil(dibao * n - total)
        text = f"per-capita income below the 低保 standard {dibao} fen: gap × members = {gap} fen"
        reasons.append(Reason("dibao.below_standard", text, {**figures, "amount_fen": gap}))
        return Classification.DIBAO, [AmountLine("dibao_gap", gap)]
    line = standards.dibian_multiplier * dibao
    figures |= {"dibian_multiplier": str(standards.dibian_multiplier), "dibian_line_fen": _fen(line)}
    if total >= line * n:
        text = f"per-capita income at or above the 低边 line ({standards.dibian_multiplier} × {dibao} fen)"
        reasons.append(Reason("dibian.not_below_line", text, figures))
        return Classification.NONE, []
    text = f"per-capita income at or above the 低保 standard, below the 低边 line {_fen(line)} fen"
    reasons.append(Reason("dibian.below_line", text, figures))
    allowance = standards.dibian_allowance_monthly_fen
    if allowance is None:
        reasons.append(Reason("dibian.no_allowance", "policy sets no fixed 低边 allowance: amount 0", {}))
        return Classification.DIBIAN, []
    return Classification.DIBIAN, [AmountLine("dibian_allowance", allowance, m.member_id) for m in members]


def _snapshot(household: Household, standards: Standards, month: Month) -> dict[str, Any]:
    """The inputs and the standards as plain JSON-ready data (what a payment record keeps)."""
    return {
        "engine": ENGINE_VERSION,
        "month": month.key,
        "household": household.snapshot(),
        "standards": standards.snapshot(),
    }
