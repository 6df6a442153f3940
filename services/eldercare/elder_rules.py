"""Elder policy as pure functions: ages and turning 60, living situations, capability levels, who is
vulnerable, and the monthly visit cadence.

No I/O here: the servicer and the service functions call these with plain data. The visit cadence is
policy data (``services/kit/data/policy/eldercare_visits.yaml``, loaded by ``elder_policy``), handed in
as a ``VisitPolicy``; the cadence arithmetic is ``kit.visits``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.kit import visits
from services.kit.errors import Collector
from services.kit.fields import age_on as age_on
from services.kit.fields import check_not_future as check_not_future
from services.kit.fields import check_text as check_text
from services.kit.fields import parse_day as parse_day
from services.kit.periods import Clock as Clock  # re-exported: the eldercare modules import it from here
from services.kit.policy import PolicyTable
from services.kit.visits import Cadence, Escalation

ELDER_AGE = 60
MAX_NAME_LENGTH = 50
MAX_ADDRESS_LENGTH = 200
MAX_TEXT_LENGTH = 100
MAX_NOTES_LENGTH = 1000
MAX_CONTACTS = 5
# The one visit-programme key of the policy file: every vulnerable elder has the same cadence.
VISIT_KEY = "vulnerable"
ESCALATION_KEY = "default"
# Mobile or landline: digits with an optional leading + and inner '-' or spaces, 5–20 characters.
# Where "now" comes from (injected, so tests move it; DESIGN §3).
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{3,18}[0-9]$")


class LivingArrangement(StrEnum):
    """How an elder lives."""

    ALONE = "alone"  # 独居
    EMPTY_NEST = "empty_nest"  # 空巢: with a spouse, no child at home
    WITH_FAMILY = "with_family"
    IN_INSTITUTION = "in_institution"  # lives in a care institution


class CapabilityLevel(StrEnum):
    """老年人能力评估 levels of GB/T 42195-2022, from intact to completely disabled."""

    INTACT = "intact"  # 能力完好
    MILD = "mild"  # 轻度失能
    MODERATE = "moderate"  # 中度失能
    SEVERE = "severe"  # 重度失能
    COMPLETE = "complete"  # 完全失能

    @property
    def rank(self) -> int:
        """0 (intact) to 4 (completely disabled)."""
        return list(CapabilityLevel).index(self)


# "Disabled" (失能) for the visit programme and consumers: moderate or worse.
DISABLED_LEVELS = frozenset({CapabilityLevel.MODERATE, CapabilityLevel.SEVERE, CapabilityLevel.COMPLETE})


class ContactRelation(StrEnum):
    """Who a contact is to the elder."""

    CHILD = "child"
    SPOUSE = "spouse"
    RELATIVE = "relative"
    NEIGHBOUR = "neighbour"
    GRID_WORKER = "grid_worker"  # community grid member (网格员)
    OTHER = "other"


class RiskLevel(StrEnum):
    """The visitor's judgement of the elder's situation."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class VulnerabilityReason(StrEnum):
    """Why an elder is in the monthly visit programme (any one is enough)."""

    ALONE = "alone"  # 独居
    WIDOWED_CHILDLESS = "widowed_childless"  # 孤寡
    LEFT_BEHIND = "left_behind"  # 留守
    DISABLED = "disabled"  # 失能: latest assessment moderate or worse
    SPECIAL_FAMILY = "special_family"  # 计划生育特殊家庭


@dataclass(frozen=True)
class Situation:
    """The facts the vulnerability rule reads."""

    living_arrangement: LivingArrangement
    widowed_childless: bool = False
    left_behind: bool = False
    special_family: bool = False
    capability_level: CapabilityLevel | None = None
    deceased: bool = False


# --- ages -------------------------------------------------------------------------------------------


def sixtieth_birthday(birth_date: date) -> date:
    """The day someone becomes an elder: 1 March for a 29 February birth when that year is not leap."""
    try:
        return birth_date.replace(year=birth_date.year + ELDER_AGE)
    except ValueError:  # 29 February in a common year
        return date(birth_date.year + ELDER_AGE, 3, 1)


def is_elder(birth_date: date, day: date) -> bool:
    """True when the person is 60 or older on ``day``."""
    return day >= sixtieth_birthday(birth_date)


# --- vulnerability ----------------------------------------------------------------------------------


def is_disabled(level: CapabilityLevel | None) -> bool:
    """Moderately disabled or worse (an unassessed elder is not counted as disabled)."""
    return level in DISABLED_LEVELS


def vulnerability_reasons(situation: Situation) -> tuple[VulnerabilityReason, ...]:
    """Every reason the elder needs monthly visits; empty when none.

    An elder living in an institution is looked after there and the deceased are out of every
    programme, so neither is in the home-visit programme whatever else is true of them.
    """
    s = situation
    if s.deceased or s.living_arrangement is LivingArrangement.IN_INSTITUTION:
        return ()
    found = [
        (s.living_arrangement is LivingArrangement.ALONE, VulnerabilityReason.ALONE),
        (s.widowed_childless, VulnerabilityReason.WIDOWED_CHILDLESS),
        (s.left_behind, VulnerabilityReason.LEFT_BEHIND),
        (is_disabled(s.capability_level), VulnerabilityReason.DISABLED),
        (s.special_family, VulnerabilityReason.SPECIAL_FAMILY),
    ]
    return tuple(reason for applies, reason in found if applies)


def is_vulnerable(situation: Situation) -> bool:
    """True when the elder is in the monthly visit programme."""
    return bool(vulnerability_reasons(situation))


@dataclass(frozen=True)
class VisitClock:
    """Where an elder's visit clock stands: since when in the programme, and the day it runs from."""

    vulnerable_since: date | None
    anchor: date | None


def visit_clock(
    *, vulnerable: bool, vulnerable_since: date | None, last_visit_on: date | None, today: date
) -> VisitClock:
    """The clock after a change on ``today``: started when the elder becomes vulnerable, kept while they
    stay so, cleared when they leave the programme (a later return starts it afresh)."""
    if not vulnerable:
        return VisitClock(None, None)
    since = vulnerable_since or today
    return VisitClock(since, visits.visit_anchor(last_visit_on, since))


def supersedes(assessed_on: date, current_on: date | None) -> bool:
    """Whether a new assessment becomes the elder's current level: not when a newer one is on file.

    On the same day the one recorded last wins (a correction of that day's assessment).
    """
    return current_on is None or assessed_on >= current_on


# --- visit policy -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitPolicy:
    """The effective-dated visit cadence and escalation for vulnerable elders (eldercare_visits.yaml)."""

    cadences: PolicyTable[Cadence]
    escalations: PolicyTable[Escalation] | None = None

    def cadence_on(self, day: date) -> Cadence | None:
        """The cadence on ``day``; None when no programme is in force."""
        entry = self.cadences.find_on(VISIT_KEY, day)
        return entry.value if entry is not None else None

    def escalation_on(self, day: date) -> Escalation:
        """After how many overdue days the town, then the district, is told."""
        entry = self.escalations.find_on(ESCALATION_KEY, day) if self.escalations else None
        return entry.value if entry is not None else Escalation()


# The scan's bounds per level; the mechanism is shared (kit.visits), these names are the service's.
OverdueCutoffs = visits.OverdueCutoffs
overdue_cutoffs = visits.overdue_cutoffs


# --- input checks -----------------------------------------------------------------------------------


def check_phone(errors: Collector, field: str, value: str, *, required: bool) -> None:
    """A phone number: digits with an optional leading +, inner spaces or '-'."""
    text = value.strip()
    if not text:
        errors.check(not required, field, "is required")
    elif not _PHONE.match(text):
        errors.add(field, "must be a phone number: 5 to 20 digits, optional leading +, '-' or spaces")
