"""The shared visit-cadence and overdue mechanism (child directors' monthly visits, elder and relief visits).

Overdue is COMPUTED from the last visit and the cadence, never stored as a status (DESIGN §6: DHIS2
kept fighting a stored OVERDUE that drifted). Everything here is a pure function of dates; ``today``
is always a parameter and is an Asia/Shanghai calendar day (``periods.china_today(now)``).

The rule for monthly cadences. The seeds describe a monthly visit system (月探访制度: "每月入户探访
儿童家庭", seed 000; elders' 月探访, seed 004): the duty is a visit in every calendar month, and the
visit rate (入户探访率, target 100%) is counted per month. So the default rule is **calendar**: after
a visit in month M the next one is due by the LAST DAY OF MONTH M+1 ("by the end of the next calendar
month"). A child visited on 1 Jan and 28 Feb has had a visit every month and is never overdue, which
the stricter **same_day** rule ("same day next month, clamped to the month's last day": 1 Jan → 1 Feb,
31 Jan → 29 Feb 2024, 29 Feb 2024 → 29 Mar 2024) would contradict. ``same_day`` stays available for
texts that count from a date (a yearly re-check from the approval day); ``days`` for "every N days".

Worked examples (calendar rule, every 1 month): visit 31 Jan 2024 → due 29 Feb 2024; 31 Jan 2023 →
28 Feb 2023; 29 Feb 2024 → 31 Mar 2024; 15 Dec 2025 → 31 Jan 2026.

The clock starts at the later of the last visit and the enrolment ("anchor"): a first visit is due one
cadence after enrolment, and a visit from an earlier spell in the programme does not make a newly
re-enrolled person overdue at once.

In SQL (services, not here): keep ``visit_anchor_on = max(last_visit_on, enrolled_on)`` on the row,
indexed with the region code; "due = anchor + cadence" is monotone in the anchor, so instead of
computing a due date per row ask ``overdue_cutoff(today, cadence)`` once and select
``WHERE visit_anchor_on < :cutoff`` — an index range scan, the same on SQLite and PostgreSQL. (Per-row
date arithmetic would also disagree between them: SQLite's ``date('2024-01-31', '+1 month')`` is
2024-03-02, PostgreSQL's ``+ interval '1 month'`` gives 2024-02-29.) Escalation levels are the same
query with ``min_days_overdue`` set to the level's threshold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar, Literal

from pydantic import ConfigDict

from services.kit.periods import add_months, end_of_month, first_of_month

__all__ = [
    "Cadence",
    "CadenceUnit",
    "Escalation",
    "EscalationLevel",
    "MonthRule",
    "VisitStatus",
    "compliance_rate",
    "days_overdue",
    "due_date",
    "escalation_level",
    "is_overdue",
    "overdue_cutoff",
    "overdue_event_id",
    "period_key",
    "visit_anchor",
    "visit_status",
]

CadenceUnit = Literal["days", "months"]
MonthRule = Literal["calendar", "same_day"]
EscalationLevel = Literal["village", "town", "district"]

# Fixed forever: changing it would give every already-published overdue event a new id.
_EVENT_NAMESPACE = uuid.UUID("5b0c3f1e-8a8f-5d2a-9f3e-6d1c2b7a4e90")


@dataclass(frozen=True)
class Cadence:
    """How often someone must be visited: every ``every`` days, or calendar months under ``month_rule``."""

    # Policy files are typed by this dataclass (pydantic validates it); a misspelt field must fail.
    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    every: int
    unit: CadenceUnit = "months"
    month_rule: MonthRule = "calendar"  # only for unit="months"; see the module docstring

    def __post_init__(self) -> None:
        if type(self.every) is not int or self.every < 1:
            raise ValueError(
                f"a cadence must be a whole number of at least 1 {self.unit}, got {self.every!r}"
            )
        if self.unit not in ("days", "months"):
            raise ValueError(f"cadence unit must be 'days' or 'months', got {self.unit!r}")
        if self.month_rule not in ("calendar", "same_day"):
            raise ValueError(f"month_rule must be 'calendar' or 'same_day', got {self.month_rule!r}")

    @classmethod
    def monthly(cls) -> Cadence:
        """A visit every calendar month (月探访), the default for child and elder visits."""
        return cls(1, "months", "calendar")

    @classmethod
    def days(cls, n: int) -> Cadence:
        """A visit at most ``n`` days after the previous one."""
        return cls(n, "days")

    def next_due(self, anchor: date) -> date:
        """The last day on which the next visit is on time, after a visit (or enrolment) on ``anchor``."""
        if self.unit == "days":
            return anchor + timedelta(days=self.every)
        if self.month_rule == "calendar":
            return end_of_month(add_months(first_of_month(anchor), self.every))
        return add_months(anchor, self.every)


@dataclass(frozen=True)
class Escalation:
    """Who hears of an overdue visit: the village first, the town from day N, the district from day M."""

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    town_after_days: int = 7
    district_after_days: int = 14

    def __post_init__(self) -> None:
        if type(self.town_after_days) is not int or self.town_after_days < 1:
            raise ValueError(f"town_after_days must be a whole number ≥ 1, got {self.town_after_days!r}")
        if type(self.district_after_days) is not int or self.district_after_days <= self.town_after_days:
            raise ValueError(
                f"district_after_days ({self.district_after_days!r}) must be a whole number greater than "
                f"town_after_days ({self.town_after_days})"
            )


def visit_anchor(last_visit: date | None, enrolled_on: date) -> date:
    """The day the cadence counts from: the later of the last visit and the enrolment."""
    return enrolled_on if last_visit is None or last_visit < enrolled_on else last_visit


def due_date(last_visit: date | None, enrolled_on: date, cadence: Cadence) -> date:
    """The last day the next visit is on time (a first visit is due one cadence after enrolment)."""
    return cadence.next_due(visit_anchor(last_visit, enrolled_on))


def is_overdue(due: date, today: date) -> bool:
    """True once ``today`` (a Shanghai calendar day) is past the due date; a visit on it is on time."""
    return today > due


def days_overdue(due: date, today: date) -> int:
    """Whole days past the due date: 0 on or before it, 1 the day after."""
    return max(0, (today - due).days)


def escalation_level(days_late: int, policy: Escalation) -> EscalationLevel:
    """Who must act on a visit ``days_late`` days overdue: village, then town, then district."""
    if days_late < 1:
        raise ValueError(f"not overdue ({days_late} days): only overdue visits escalate")
    if days_late >= policy.district_after_days:
        return "district"
    if days_late >= policy.town_after_days:
        return "town"
    return "village"


def period_key(due: date, cadence: Cadence) -> str:
    """The overdue period as a stable key: ``"2026-11"`` for calendar months, else the due date.

    Use it (with the person and the level) as a unique key / ``Nats-Msg-Id`` so each overdue period
    is published once across restarts and replicas. A calendar-month due date is always a month's
    last day, so the month names it exactly (the month that had no visit). Other rules use the full
    date: a late-recorded visit can move a same-day or day-count due date within one month, and a
    month key would then swallow the second, genuine overdue period.
    """
    if cadence.unit == "months" and cadence.month_rule == "calendar":
        return f"{due.year:04d}-{due.month:02d}"
    return due.isoformat()


def overdue_cutoff(today: date, cadence: Cadence, *, min_days_overdue: int = 1) -> date:
    """The anchor date below which someone is at least ``min_days_overdue`` days overdue on ``today``.

    ``anchor < overdue_cutoff(today, c, min_days_overdue=k)`` exactly when
    ``days_overdue(c.next_due(anchor), today) >= k``, so a scan is ``WHERE visit_anchor_on < :cutoff``
    over an index (see the module docstring).
    """
    if min_days_overdue < 1:
        raise ValueError("min_days_overdue must be at least 1")
    latest_late_due = today - timedelta(days=min_days_overdue)
    # next_due is non-decreasing in the anchor; start near the answer and walk to the boundary
    # (at most about a month of steps, because month lengths and clamping differ by ≤ 3 days).
    if cadence.unit == "days":
        return latest_late_due - timedelta(days=cadence.every - 1)
    guess = add_months(latest_late_due, -cadence.every)
    while cadence.next_due(guess) > latest_late_due:
        guess -= timedelta(days=1)
    while cadence.next_due(guess) <= latest_late_due:
        guess += timedelta(days=1)
    return guess


@dataclass(frozen=True)
class OverdueCutoffs:
    """Anchor bounds of one cadence on one day: an anchor before ``village`` is overdue, before ``town``
    escalated to the town, before ``district`` to the district (``district <= town <= village``)."""

    village: date
    town: date
    district: date

    def level(self, anchor: date) -> EscalationLevel | None:
        """The escalation level of someone whose visit clock runs from ``anchor``; None when on time."""
        if anchor < self.district:
            return "district"
        if anchor < self.town:
            return "town"
        return "village" if anchor < self.village else None


def overdue_cutoffs(today: date, cadence: Cadence, escalation: Escalation) -> OverdueCutoffs:
    """An overdue scan's bounds for one cadence: ``overdue_cutoff`` at each level's threshold."""
    return OverdueCutoffs(
        village=overdue_cutoff(today, cadence),
        town=overdue_cutoff(today, cadence, min_days_overdue=escalation.town_after_days),
        district=overdue_cutoff(today, cadence, min_days_overdue=escalation.district_after_days),
    )


@dataclass(frozen=True)
class VisitStatus:
    """Where one person stands on ``today``: when the next visit is due and how late it is."""

    anchor: date
    due: date
    days_overdue: int
    level: EscalationLevel | None  # None while not overdue
    period_key: str

    @property
    def overdue(self) -> bool:
        """True when the due date has passed."""
        return self.days_overdue > 0


def visit_status(
    last_visit: date | None, enrolled_on: date, cadence: Cadence, escalation: Escalation, *, today: date
) -> VisitStatus:
    """Due date, lateness, escalation level and period key for one person on ``today``."""
    anchor = visit_anchor(last_visit, enrolled_on)
    due = cadence.next_due(anchor)
    late = days_overdue(due, today)
    return VisitStatus(
        anchor=anchor,
        due=due,
        days_overdue=late,
        level=escalation_level(late, escalation) if late else None,
        period_key=period_key(due, cadence),
    )


def overdue_event_id(event_type: str, subject_ref: str, period: str, level: EscalationLevel) -> str:
    """A deterministic event id (UUID5) for one overdue period and level of one person.

    Used as the outbox primary key and so as ``Nats-Msg-Id``: a second replica or a re-run computes the
    same id, so the insert conflicts and JetStream de-duplicates. ``subject_ref`` should be the
    service's own record id, not an ID number (a hash of an ID number can be brute-forced).
    """
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{event_type}|{subject_ref}|{period}|{level}"))


def compliance_rate(visited: int, due: int) -> float | None:
    """Share of visits due that were made (0.0-1.0); None when nothing was due (no rate, not 100%)."""
    if visited < 0 or due < 0:
        raise ValueError("counts must not be negative")
    if visited > due:
        raise ValueError(f"visited ({visited}) cannot exceed due ({due})")
    return None if due == 0 else visited / due
