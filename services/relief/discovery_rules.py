"""Proactive discovery (主动发现) as a table: which fact about a person, in a household holding which
programmes, raises which flag with which reason. Pure: data in, decision out (no I/O, no clock).

The facts come from other services' events (``discovery`` turns each event into one fact):

| fact                    | from (event, condition)                         | household holds | flag        |
|-------------------------|-------------------------------------------------|-----------------|-------------|
| elder_severely_disabled | elder-assessed, current level DISABLED_LEVELS   | no 低保 / 特困  | may_qualify |
| child_without_support   | child-registered, UNSUPPORTED_CATEGORIES        | no 低保 / 特困  | may_qualify |
| member_died             | death-registered, other members stay            | any programme   | reassess    |
| head_died               | death-registered of the head, others stay       | any programme   | reassess    |
| head_died               | (the same, holding nothing: confirm the head)   | nothing         | reassess    |
| last_member_died        | death-registered, no one stays                  | any programme   | ended       |
| death_before_joining    | death-registered, before the member joined      | anything        | reassess    |
| reclassified            | a classification run (``classification_flags``) | active other    | reassess    |
| reclassified            | (the same, classified 特困 / 低保 / 低边)        | nothing open    | may_qualify |

A fact that matches no row raises nothing (an elder in a 低保 household is covered already; a death in
a household holding nothing changes no payment). The first matching row wins.

Assumptions to confirm with the bureau: which capability levels count as "disabled" for relief
(eldercare's ``disabled`` flag also covers moderate 中度失能; we flag severe 重度 and complete 完全 only,
the levels Zhejiang's 重残重病 single-person coverage speaks of), and which child categories suggest
特困 (de-facto unattended 事实无人抚养 and scattered orphans 散居孤儿: minors without support).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Fact(StrEnum):
    """What discovery learned about a person."""

    ELDER_SEVERELY_DISABLED = "elder_severely_disabled"
    CHILD_WITHOUT_SUPPORT = "child_without_support"
    MEMBER_DIED = "member_died"
    HEAD_DIED = "head_died"  # others stay; one of them heads the household provisionally
    LAST_MEMBER_DIED = "last_member_died"
    DEATH_BEFORE_JOINING = "death_before_joining"
    # A re-classification run (``classification_flags``) classified the household differently from the
    # active grant it holds (reassess), or into a programme while it holds none (may_qualify).
    RECLASSIFIED = "reclassified"


class FlagKind(StrEnum):
    """What the officer is asked to do."""

    MAY_QUALIFY = "may_qualify"  # the household may now qualify for a programme it does not hold
    REASSESS = "reassess"  # it holds a programme and its circumstances changed
    ENDED = "ended"  # its grants were ended automatically; check and recover overpayments


class FlagStatus(StrEnum):
    """A flag is open until an officer handles it."""

    OPEN = "open"
    HANDLED = "handled"


# Assumptions to confirm (see the module docstring): eldercare levels (GB/T 42195-2022) and
# childwelfare categories that make a person "without support" for relief.
DISABLED_LEVELS = frozenset({"severe", "complete"})
UNSUPPORTED_CATEGORIES = frozenset({"de_facto_unattended", "orphan_scattered"})
COVERING = frozenset({"dibao", "tekun"})  # programmes that already cover a person without support

Holding = Callable[[frozenset[str]], bool]


def holds_none_of_covering(held: frozenset[str]) -> bool:
    """Neither 低保 nor 特困 (nothing, or only 低边)."""
    return not (held & COVERING)


def holds_any(held: frozenset[str]) -> bool:
    """At least one open programme."""
    return bool(held)


def always(_held: frozenset[str]) -> bool:
    """Whatever the household holds."""
    return True


@dataclass(frozen=True)
class Rule:
    """One row of the table: the fact, the condition on the programmes held, the flag and its reason."""

    fact: Fact
    holding: Holding
    kind: FlagKind
    reason: str  # str.format template over ``Details`` fields


RULES: tuple[Rule, ...] = (
    Rule(
        Fact.ELDER_SEVERELY_DISABLED,
        holds_none_of_covering,
        FlagKind.MAY_QUALIFY,
        "an elder member was assessed {detail} on {on}: the household may qualify for 低保 "
        "(a severely disabled member may be covered alone) or the elder for 特困",
    ),
    Rule(
        Fact.CHILD_WITHOUT_SUPPORT,
        holds_none_of_covering,
        FlagKind.MAY_QUALIFY,
        "a child member was registered as {detail} on {on}: the child may qualify for 特困 "
        "(minors up to 18) or the household for 低保",
    ),
    Rule(
        Fact.MEMBER_DIED,
        holds_any,
        FlagKind.REASSESS,
        "a member died on {on}: re-assess the household from the next month; the deceased's share "
        "paid for any time after {on} is an overpayment",
    ),
    Rule(
        Fact.HEAD_DIED,
        holds_any,
        FlagKind.REASSESS,
        "the head died on {on}: re-assess the household from the next month; the deceased's share "
        "paid for any time after {on} is an overpayment; member {detail} heads it provisionally: confirm",
    ),
    Rule(
        Fact.HEAD_DIED,
        always,
        FlagKind.REASSESS,
        "the head died on {on}: member {detail} heads the household provisionally: confirm",
    ),
    Rule(
        Fact.LAST_MEMBER_DIED,
        holds_any,
        FlagKind.ENDED,
        "the only member died on {on}: its grants were terminated from the next day; any amount "
        "paid for time after {on} is an overpayment to recover",
    ),
    Rule(
        Fact.DEATH_BEFORE_JOINING,
        always,
        FlagKind.REASSESS,
        "a death on {on} was registered for a member recorded as joining on {detail}: check the "
        "record (the membership was left open)",
    ),
)


@dataclass(frozen=True)
class Details:
    """What a reason names: the day of the fact and one detail (a level, a category, a day)."""

    on: date
    detail: str = ""


@dataclass(frozen=True)
class Flag:
    """The decision: the flag to raise and its reason in words."""

    fact: Fact
    kind: FlagKind
    reason: str


def decide(fact: Fact, held: Iterable[str], details: Details, rules: tuple[Rule, ...] = RULES) -> Flag | None:
    """The flag the first matching rule raises for ``fact`` given the programmes held, or None."""
    programmes = frozenset(held)
    for rule in rules:
        if rule.fact is fact and rule.holding(programmes):
            text = rule.reason.format(on=details.on.isoformat(), detail=details.detail)
            return Flag(fact, rule.kind, text)
    return None


def elder_fact(level: str, *, current: bool) -> Fact | None:
    """An elder's assessment as a fact: only the elder's current level, only the levels in the table."""
    return Fact.ELDER_SEVERELY_DISABLED if current and level in DISABLED_LEVELS else None


def child_fact(category: str) -> Fact | None:
    """A child's registry category as a fact, when it means the child lacks support."""
    return Fact.CHILD_WITHOUT_SUPPORT if category in UNSUPPORTED_CATEGORIES else None


def death_fact(*, died_on: date, joined_on: date, others_stay: bool, was_head: bool = False) -> Fact:
    """A member's death as a fact: a conflict when dated before they joined, else who remains."""
    if died_on < joined_on:
        return Fact.DEATH_BEFORE_JOINING
    if not others_stay:
        return Fact.LAST_MEMBER_DIED
    return Fact.HEAD_DIED if was_head else Fact.MEMBER_DIED


# --- matching a masked ID number (330109********123X) ---------------------------------------------


def masked_parts(masked: str) -> tuple[str, str] | None:
    """The visible area code (6) and last four characters of a masked number, or None when malformed."""
    if len(masked) != 18 or masked[6:14] != "*" * 8 or not masked[:6].isdigit():
        return None
    return masked[:6], masked[14:].upper()


def birth_window(age: int, on: date) -> tuple[date, date]:
    """The first and last birth dates of someone ``age`` full years old on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1)
    return date.fromordinal(earliest.toordinal() + 1), latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def unique(candidates: Iterable[str]) -> str | None:
    """The one candidate, or None when there are none or several (a masked number is not an identity)."""
    found = sorted(set(candidates))
    return found[0] if len(found) == 1 else None


# --- who heads a household when the head dies -----------------------------------------------------


@dataclass(frozen=True)
class Staying:
    """A member who stays: their id, relation to the head and birth date."""

    person_id: str
    relation: str
    birth_date: date


def provisional_head(staying: Iterable[Staying]) -> str | None:
    """Who heads the household when the head died: the spouse, else the eldest member (to confirm)."""
    members = sorted(staying, key=lambda s: (s.relation != "spouse", s.birth_date, s.person_id))
    return members[0].person_id if members else None
