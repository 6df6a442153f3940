"""Who is paid the old-age allowance (高龄津贴) and the e-voucher (重阳分) for a month, and how much.

Pure: data in, decision out (no db, grpc or nats). The monthly run (allowances.py) does the same in
SQL, over a million elders at once; these functions say what that SQL must mean and are what the unit
tests check, with a moved clock.

When a month is decided (Asia/Shanghai calendar days, paid without application — 主动发放):

- **age** counts on the month's LAST day: someone turning 80 at any time in the month is paid for the
  whole month ("turning 80 this month is paid this month"). Someone born on 29 February turns a year
  older on 1 March in common years (``kit.idcard.IdNumber.age_on``), so in a common-year February they
  have not yet reached the new age;
- **death** stops payment from the next month: a month is paid when the elder was alive on its first
  day (``deceased_on`` after the 1st, or none). Dying on the 1st itself is not paid for that month;
- **capability level** is the elder's current one (``elder.capability_level``, the latest assessment);
- **relief status** (低保 / 低边 / 特困, learned from ``civic.relief.*`` events) is the one held on the
  month's first day: a grant from the 10th counts from the next month, as the bureau's "次月" practice;
- **standards** are the policy entries in force on the month's first day (``kit.payments``), each
  payment records the entry it used.

Old-age allowance tiers are policy data: each entry is a tier ``{min_age, monthly}``; an elder is in
the tier with the highest ``min_age`` they have reached. E-voucher groups are policy data too:
``{min_age, capability_levels, relief, monthly}``; an elder matching several groups is credited the
highest ``monthly`` of them (one credit per elder and month). An entry whose ``monthly`` is null has
no standard (the seeds give no figure): its elders are counted as skipped, never paid ¥0.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.kit.fields import age_on as age_on
from services.kit.money import Money
from services.kit.periods import Month
from services.kit.policy import PolicyEntry, PolicyTable

OLD_AGE = "old_age_allowance"
VOUCHER = "eldercare_voucher"
PROGRAMMES = (OLD_AGE, VOUCHER)
MIN_ELDER_AGE = 60
MAX_TIER_AGE = 130
# The levels of 老年人能力评估 (H1's elder rules name the same strings).
CAPABILITY_LEVELS = ("intact", "mild", "moderate", "severe", "complete")
ReliefProgramme = Literal["dibao", "dibian", "tekun"]


class AgeTier(BaseModel):
    """One old-age allowance tier: from ``min_age`` (reached by the month's last day), ``monthly`` yuan."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_age: int = Field(ge=MIN_ELDER_AGE, le=MAX_TIER_AGE)
    monthly: Money | None = Field(description="Null: no figure in the seeds (counted as skipped).")


class VoucherGroup(BaseModel):
    """One e-voucher eligibility group: age, capability levels (any if empty), relief (any if empty)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_age: int = Field(ge=MIN_ELDER_AGE, le=MAX_TIER_AGE)
    capability_levels: tuple[Literal["intact", "mild", "moderate", "severe", "complete"], ...] = ()
    relief: tuple[ReliefProgramme, ...] = ()
    monthly: Money | None = Field(description="Null: no figure in the seeds (counted as skipped).")


@dataclass(frozen=True)
class Band:
    """The elders one policy entry covers for a month, as a birth-date range (``born_after`` exclusive)."""

    entry: PolicyEntry[AgeTier] | PolicyEntry[VoucherGroup]
    born_on_or_before: date
    born_after: date | None

    @property
    def key(self) -> str:
        """The policy key (tier or group name) payments record."""
        return self.entry.key

    @property
    def monthly(self) -> Money | None:
        """The monthly amount, or None when the entry has no standard."""
        return self.entry.value.monthly

    def covers(self, birth_date: date) -> bool:
        """True when someone born on ``birth_date`` falls in the band."""
        after = self.born_after is None or birth_date > self.born_after
        return birth_date <= self.born_on_or_before and after


def birth_cutoff(day: date, age: int) -> date:
    """The latest birth date of someone already ``age`` on ``day`` (those born on or before it are)."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:  # ``day`` is 29 February and ``age`` years earlier was a common year
        return date(day.year - age, 2, 28)


def paid_for(month: Month, deceased_on: date | None) -> bool:
    """Whether an elder is paid for ``month`` as far as death goes: alive on its first day."""
    return deceased_on is None or deceased_on > month.first


def first_unpaid_month(died_on: date) -> Month:
    """The first month not owed to someone who died on ``died_on`` (later payments are to recover)."""
    month = Month.containing(died_on)
    return month if died_on == month.first else month.shift(1)


def age_bands(table: PolicyTable[AgeTier], month: Month) -> list[Band]:
    """The old-age tiers in force on the month's 1st as disjoint birth-date bands, oldest tier first."""
    entries = [e for e in (table.find_on(k, month.first) for k in table.keys()) if e is not None]
    entries.sort(key=lambda e: e.value.min_age, reverse=True)
    bands: list[Band] = []
    younger_limit: date | None = None
    for entry in entries:
        cutoff = birth_cutoff(month.last, entry.value.min_age)
        # Everyone old enough for a higher tier is in that tier, not this one.
        bands.append(Band(entry, cutoff, younger_limit))
        younger_limit = cutoff
    return bands


def voucher_bands(table: PolicyTable[VoucherGroup], month: Month) -> list[Band]:
    """The e-voucher groups in force on the 1st, highest amount first (the first a person matches wins).

    Groups overlap (a 90-year-old on 低保 matches an age group and a relief group), so each band is
    only an age bound; ``born_after`` is None. Groups without a standard come last.
    """
    entries = [e for e in (table.find_on(k, month.first) for k in table.keys()) if e is not None]
    entries.sort(
        key=lambda e: (e.value.monthly is None, -(e.value.monthly.fen if e.value.monthly else 0), e.key)
    )
    return [Band(e, birth_cutoff(month.last, e.value.min_age), None) for e in entries]


def old_age_tier(
    bands: Sequence[Band], *, birth_date: date, deceased_on: date | None, month: Month
) -> Band | None:
    """The old-age tier an elder is in for ``month`` (None: not paid — too young or died before)."""
    if not paid_for(month, deceased_on):
        return None
    return next((b for b in bands if b.covers(birth_date)), None)


def matches_group(group: VoucherGroup, *, capability_level: str | None, relief_held: Collection[str]) -> bool:
    """Whether an elder's capability level and relief status meet a group's conditions (age aside)."""
    if group.capability_levels and capability_level not in group.capability_levels:
        return False
    return not group.relief or any(p in relief_held for p in group.relief)


def voucher_group(
    bands: Sequence[Band],
    *,
    birth_date: date,
    deceased_on: date | None,
    capability_level: str | None,
    relief_held: Collection[str],
    month: Month,
) -> Band | None:
    """The e-voucher group an elder is credited under for ``month`` (the highest amount matched)."""
    if not paid_for(month, deceased_on):
        return None
    for band in bands:
        group = band.entry.value
        assert isinstance(group, VoucherGroup)
        if band.covers(birth_date) and matches_group(
            group, capability_level=capability_level, relief_held=relief_held
        ):
            return band
    return None


def relief_held_on(periods: Sequence[tuple[str, date, date | None]], day: date) -> set[str]:
    """Relief programmes held on ``day``, from (programme, effective_from, effective_to exclusive) periods."""
    return {p for p, start, end in periods if start <= day and (end is None or end > day)}


def check_spend(balance_fen: int, amount_fen: int) -> str | None:
    """Why a voucher spend is refused (a message naming the balance), or None when it may go ahead."""
    if amount_fen > balance_fen:
        return (
            f"the e-voucher balance is {Money(balance_fen).text} yuan; "
            f"a spend of {Money(amount_fen).text} yuan would make it negative"
        )
    return None
