"""Child-welfare policy as pure functions: ages and the 18th birthday, categories, visit cadence, compliance.

No I/O here: the servicer and the service functions call these with plain data. The visit cadence per
category is policy data (``services/kit/data/policy/childwelfare.yaml``, loaded by
``services.childwelfare.policy``), handed in as a ``VisitPolicy``; the cadence arithmetic is kit.visits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from services.kit import visits
from services.kit.errors import Collector
from services.kit.fields import age_on as age_on
from services.kit.fields import check_not_future as check_not_future
from services.kit.fields import check_text as check_text
from services.kit.fields import parse_day as parse_day
from services.kit.periods import Clock as Clock  # re-exported: childwelfare's modules import it from here
from services.kit.policy import PolicyTable
from services.kit.visits import Cadence, Escalation

ADULT_AGE = 18
MAX_NAME_LENGTH = 50
MAX_CONTACT_LENGTH = 50
MAX_FINDING_LENGTH = 1000
MAX_REASON_LENGTH = 200
MAX_SUBJECT_LENGTH = 200
MAX_GUARDIANS = 10
ESCALATION_DEFAULT_KEY = "default"
# Where "now" comes from (injected, so tests move it; DESIGN §3).
# Calendar days are counted in China; it has no daylight saving, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class ProtectionCategory(StrEnum):
    """Why a child is in the registry (the categories of 萧芽护 and the 2023 未保 work plan)."""

    ORPHAN_INSTITUTION = "orphan_institution"  # 机构养育孤儿
    ORPHAN_SCATTERED = "orphan_scattered"  # 社会散居孤儿
    DE_FACTO_UNATTENDED = "de_facto_unattended"  # 事实无人抚养儿童
    DIBAO_FAMILY = "dibao_family"  # 低保家庭儿童
    DIBIAN_FAMILY = "dibian_family"  # 低边家庭儿童
    LEFT_BEHIND = "left_behind"  # 留守儿童
    DISABLED_IN_DIFFICULTY = "disabled_in_difficulty"  # 困境残疾儿童
    PARENT_DEPRIVED_OF_LIBERTY = "parent_deprived_of_liberty"  # 服刑/强制隔离戒毒等 > 6 个月
    PARENT_LOST_GUARDIANSHIP = "parent_lost_guardianship"  # 父母被撤销监护资格
    PARENT_DEPORTED = "parent_deported"  # 父母被遣送出境
    STREET_CHILD = "street_child"  # 流浪儿童
    OTHER = "other"


class GuardianRelation(StrEnum):
    """How a guardian is related to the child."""

    FATHER = "father"
    MOTHER = "mother"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    INSTITUTION = "institution"
    OTHER = "other"


class RiskLevel(StrEnum):
    """The director's assessment of the child's situation at a visit."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class NetworkRole(StrEnum):
    """The two front-line tiers of the three-tier network (the district is the third)."""

    SUPERVISOR = "supervisor"  # 儿童督导员, per town
    DIRECTOR = "director"  # 儿童主任, per village


@dataclass(frozen=True)
class VisitPolicy:
    """The effective-dated visit cadence and escalation per category (kit/data/policy/childwelfare.yaml)."""

    cadences: PolicyTable[Cadence]
    # Keyed by category, or "default" for all; None means the kit's Escalation() defaults.
    escalations: PolicyTable[Escalation] | None = None

    def cadences_on(self, day: date) -> dict[ProtectionCategory, Cadence]:
        """Categories in the visit programme on ``day`` and their cadence (unknown keys are ignored)."""
        known = {c.value: c for c in ProtectionCategory}
        return {known[k]: v for k, v in self.cadences.in_force_on(day).items() if k in known}

    def cadence(self, category: ProtectionCategory, day: date) -> Cadence | None:
        """The cadence for the category on ``day``; None when it needs no visits."""
        entry = self.cadences.find_on(category.value, day)
        return entry.value if entry is not None else None

    def escalation(self, category: ProtectionCategory, day: date) -> Escalation:
        """After how many overdue days the town, then the district, is told (category entry, else default)."""
        if self.escalations is None:
            return Escalation()
        entry = self.escalations.find_on(category.value, day)
        if entry is None:
            return self.escalations.value_on(ESCALATION_DEFAULT_KEY, day)
        return entry.value


def china_today(now: datetime) -> date:
    """The calendar day in China at ``now``."""
    return now.astimezone(CHINA_TZ).date()


def eighteenth_birthday(birth_date: date) -> date:
    """The day the child turns 18 and leaves programmes (1 March for a 29 February birth, common years)."""
    try:
        return birth_date.replace(year=birth_date.year + ADULT_AGE)
    except ValueError:  # 29 February, and the 18th year is a common year
        return date(birth_date.year + ADULT_AGE, 3, 1)


def is_minor(birth_date: date, day: date) -> bool:
    """Under 18 on ``day`` (the 18th birthday itself is no longer a minor's day)."""
    return day < eighteenth_birthday(birth_date)


def adult_cutoff(day: date) -> date:
    """The latest birth date of someone already 18 on ``day``: minors are those born after it (for SQL)."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:  # day is 29 February; 18 years earlier was a common year
        return date(day.year - ADULT_AGE, 2, 28)


def visit_due_on(anchor: date, cadence: Cadence) -> date:
    """The last day the next visit is on time (kit.visits: by the end of the next calendar month)."""
    return cadence.next_due(anchor)


def is_overdue(anchor: date, cadence: Cadence, today: date) -> bool:
    """Overdue once ``today`` is past the due day; computed every time, never stored."""
    return visits.is_overdue(cadence.next_due(anchor), today)


def overdue_anchor_cutoff(today: date, cadence: Cadence) -> date:
    """Anchors strictly before this day are overdue today (``is_overdue`` as a column bound for SQL)."""
    return visits.overdue_cutoff(today, cadence)


# The scan's bounds per level; the mechanism is shared (kit.visits), these names are the service's.
OverdueCutoffs = visits.OverdueCutoffs
overdue_cutoffs = visits.overdue_cutoffs


def visit_anchor(last_visit_on: date | None, category_since: date) -> date:
    """Where the visit clock runs from: the later of the last visit and the start of the current category."""
    return visits.visit_anchor(last_visit_on, category_since)


def compliance_rate(up_to_date: int, in_programme: int) -> float | None:
    """Share of children in the visit programme whose visit is on time; None when nobody is in it."""
    return visits.compliance_rate(up_to_date, in_programme)


def check_category_start(
    errors: Collector, field: str, effective_from: date | None, *, current_since: date, today: date
) -> None:
    """A category change starts on or after the current period's start and not in the future."""
    if effective_from is None:
        return
    if effective_from < current_since:
        errors.add(field, f"must not be before the current category began ({current_since.isoformat()})")
    check_not_future(errors, field, effective_from, today)


def check_guardian_count(errors: Collector, field: str, count: int) -> None:
    """At most ``MAX_GUARDIANS`` guardians per child."""
    errors.check(count <= MAX_GUARDIANS, field, f"give at most {MAX_GUARDIANS} guardians")


@dataclass(frozen=True)
class Tally:
    """Visit-programme counts of one group (village, town or director)."""

    in_programme: int = 0
    overdue: int = 0

    @property
    def up_to_date(self) -> int:
        """Children in the programme whose visit is on time."""
        return self.in_programme - self.overdue

    @property
    def rate(self) -> float | None:
        """Compliance rate of the group."""
        return compliance_rate(self.up_to_date, self.in_programme)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.in_programme + other.in_programme, self.overdue + other.overdue)


def roll_up(tallies: Mapping[str, Tally], key_of: Mapping[str, str | None]) -> dict[str, Tally]:
    """Sum village tallies into groups (towns, directors); villages whose key is None are left out."""
    grouped: dict[str, Tally] = {}
    for village, tally in tallies.items():
        key = key_of.get(village)
        if key is not None:
            grouped[key] = grouped.get(key, Tally()) + tally
    return grouped


def total(tallies: Sequence[Tally]) -> Tally:
    """The sum of several tallies."""
    summed = Tally()
    for tally in tallies:
        summed = summed + tally
    return summed


@dataclass(frozen=True)
class ChildStatus:
    """What a child's file says today: age, whether 18 has been reached, and the visit clock."""

    age: int
    adult: bool
    in_programme: bool
    due_on: date | None
    overdue: bool


def child_status(
    *,
    birth_date: date,
    category: ProtectionCategory,
    visit_anchor_on: date,
    policy: VisitPolicy,
    today: date,
) -> ChildStatus:
    """The child's standing on ``today``; a child of 18 has left the programmes (nothing is due)."""
    adult = not is_minor(birth_date, today)
    cadence = policy.cadence(category, today)
    if adult or cadence is None:
        return ChildStatus(age_on(birth_date, today), adult, False, None, False)
    return ChildStatus(
        age=age_on(birth_date, today),
        adult=False,
        in_programme=True,
        due_on=visit_due_on(visit_anchor_on, cadence),
        overdue=is_overdue(visit_anchor_on, cadence, today),
    )
