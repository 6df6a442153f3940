"""Payment runs shared by the services (DESIGN §3): money in fen, once per (person, programme, period).

A service keeps its own payments table with ``UNIQUE (person, programme, period)`` and pays with one
set-based ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per chunk (``insert_for``): however often a run
is repeated, crashes or races another replica, the database holds one payment per person, programme
and period. What is generic lives here:

- ``period_key`` — the period a monthly run pays (``"YYYY-MM"``, from ``kit.periods.Month``);
- ``standard_for`` — the policy entry a period uses: the one in force on the period's FIRST day, so
  a standard changing mid-month applies from the next month's run and past payments keep theirs;
- ``payment_key`` / ``run_id`` — deterministic ids (UUID5) of one payment and of the n-th run of a
  programme and period (the run id doubles as the id of its summary event, so staging it twice
  conflicts in the outbox and JetStream drops a republished copy);
- ``PaymentRunSummary`` — what a run did, per group (category, tier, programme…), in fen.

Pure apart from ``insert_for`` choosing a SQL dialect; no tables here (each service owns its own).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite

from services.kit.money import Money
from services.kit.periods import Month
from services.kit.policy import PolicyEntry, PolicyTable

__all__ = [
    "GroupTotal",
    "PaymentRunSummary",
    "add_totals",
    "insert_for",
    "payment_key",
    "period_key",
    "run_id",
    "standard_for",
    "standards_for",
]

T = TypeVar("T")
# A fixed namespace: ids must be the same on every replica and after every restart.
_PAYMENT_NAMESPACE = uuid.UUID("5b0c7f4e-2f6d-4c55-9a57-3f1c0f6a8e21")


def period_key(month: Month) -> str:
    """The period of a monthly payment, as stored and published: ``"YYYY-MM"``."""
    return month.key


def standard_for(table: PolicyTable[T], key: str, month: Month) -> PolicyEntry[T] | None:
    """The entry of ``key`` that a payment for ``month`` uses: the one in force on its first day, or None."""
    return table.find_on(key, month.first)


def standards_for(
    table: PolicyTable[T], keys: Iterable[str], month: Month
) -> dict[str, PolicyEntry[T] | None]:
    """``standard_for`` for several keys (None where nothing is in force: skipped, never paid 0)."""
    return {key: standard_for(table, key, month) for key in keys}


def payment_key(person_ref: str, programme: str, period: str) -> str:
    """A deterministic id (UUID5) of one payment; ``person_ref`` is a record id, never an ID number."""
    for name, value in (("person_ref", person_ref), ("programme", programme), ("period", period)):
        if not value or "|" in value:
            raise ValueError(f"{name} must be non-empty and must not contain '|', got {value!r}")
    return str(uuid.uuid5(_PAYMENT_NAMESPACE, f"payment|{person_ref}|{programme}|{period}"))


def run_id(programme: str, period: str, sequence: int) -> str:
    """A deterministic id (UUID5) of the ``sequence``-th run (1, 2, …) of a programme for a period."""
    if sequence < 1:
        raise ValueError(f"sequence must be 1 or more, got {sequence}")
    if not programme or not period or "|" in programme + period:
        raise ValueError("programme and period must be non-empty and must not contain '|'")
    return str(uuid.uuid5(_PAYMENT_NAMESPACE, f"run|{programme}|{period}|{sequence}"))


def insert_for(dialect_name: str) -> Callable[..., Any]:
    """The dialect's ``insert`` (it has ``on_conflict_do_nothing``): PostgreSQL or SQLite."""
    if dialect_name == "postgresql":
        return postgresql.insert
    if dialect_name == "sqlite":
        return sqlite.insert
    raise ValueError(f"payment runs need PostgreSQL or SQLite, not {dialect_name!r}")


@dataclass(frozen=True)
class GroupTotal:
    """Persons paid and money, in fen, for one group of a run (e.g. one protection category)."""

    persons: int = 0
    total_fen: int = 0

    def __post_init__(self) -> None:
        if type(self.persons) is not int or type(self.total_fen) is not int:
            raise TypeError("persons and total_fen must be ints (money is integer fen)")
        if self.persons < 0:
            raise ValueError("persons must not be negative")

    @property
    def total(self) -> Money:
        """The money as ``Money``."""
        return Money(self.total_fen)

    def __add__(self, other: GroupTotal) -> GroupTotal:
        return GroupTotal(self.persons + other.persons, self.total_fen + other.total_fen)


@dataclass(frozen=True)
class PaymentRunSummary:
    """What one run of a programme for a period did.

    ``paid`` counts the payments this run inserted, per group; ``skipped`` counts eligible persons of
    groups with no standard in force (not paid ¥0); ``event_id`` is the summary event staged, or None
    when the run had nothing new to report.
    """

    programme: str
    period: str
    run_id: str
    paid: Mapping[str, GroupTotal] = field(default_factory=dict)
    skipped: Mapping[str, int] = field(default_factory=dict)
    chunks: int = 0
    event_id: str | None = None

    @property
    def persons_paid(self) -> int:
        """Payments this run made."""
        return sum(t.persons for t in self.paid.values())

    @property
    def total_fen(self) -> int:
        """Money this run paid, in fen."""
        return sum(t.total_fen for t in self.paid.values())

    @property
    def persons_skipped(self) -> int:
        """Eligible persons left unpaid because their group had no standard in force."""
        return sum(self.skipped.values())


def add_totals(
    totals: Mapping[str, GroupTotal], group: str, persons: int, amount_fen: int
) -> dict[str, GroupTotal]:
    """``totals`` with ``persons`` payments of ``amount_fen`` each added to ``group`` (zero is left out)."""
    result = dict(totals)
    if persons:
        result[group] = result.get(group, GroupTotal()) + GroupTotal(persons, persons * amount_fen)
    return result
