"""The eligibility engine's inputs (a household's facts) and output (classification, amount, reasons).

Plain frozen dataclasses, no I/O: the household service builds them from its tables, the engine in
``eligibility`` reads them, and ``Assessment.snapshot`` is what a payment record keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from services.kit.periods import Month


class Relation(StrEnum):
    """A member's relation to the head of the household (户主)."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class LabourCapacity(StrEnum):
    """Labour capacity as assessed (劳动能力): 特困 needs NONE."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class Classification(StrEnum):
    """The programme a household falls in (codes shared with eldercare's ``ReliefProgramme``)."""

    TEKUN = "tekun"  # 特困人员救助供养
    DIBAO = "dibao"  # 最低生活保障
    DIBIAN = "dibian"  # 低保边缘家庭
    NONE = "none"


@dataclass(frozen=True)
class Income:
    """An income of one member: ``amount_fen`` earned over ``start``..``end`` (both days inclusive)."""

    kind: str  # e.g. wages, pension, farming, transfer; shown in the reasons
    start: date
    end: date
    amount_fen: int


@dataclass(frozen=True)
class Asset:
    """An asset counted by the asset rule (deposits, securities, vehicles at assessed value…)."""

    kind: str
    value_fen: int


@dataclass(frozen=True)
class Member:
    """One household member as the rules see them; ``member_id`` is opaque (no ID number here)."""

    member_id: str
    birth_date: date
    relation: Relation
    labour_capacity: LabourCapacity
    disability_grade: int | None = None  # 残疾等级 1–4; grades 1 and 2 are severe (重度)
    employed: bool = False
    incomes: tuple[Income, ...] = ()
    assets: tuple[Asset, ...] = ()

    def snapshot(self) -> dict[str, Any]:
        """The member as plain JSON-ready data (dates as ISO text, money in fen)."""
        return {
            "member_id": self.member_id,
            "birth_date": self.birth_date.isoformat(),
            "relation": self.relation.value,
            "labour_capacity": self.labour_capacity.value,
            "disability_grade": self.disability_grade,
            "employed": self.employed,
            "incomes": [
                {
                    "kind": i.kind,
                    "start": i.start.isoformat(),
                    "end": i.end.isoformat(),
                    "amount_fen": i.amount_fen,
                }
                for i in self.incomes
            ],
            "assets": [{"kind": a.kind, "value_fen": a.value_fen} for a in self.assets],
        }


@dataclass(frozen=True)
class Household:
    """A household (户) in a region, with its members."""

    household_id: str
    region: str
    members: tuple[Member, ...]

    def snapshot(self) -> dict[str, Any]:
        """The household as plain JSON-ready data."""
        members = [m.snapshot() for m in self.members]
        return {"household_id": self.household_id, "region": self.region, "members": members}


@dataclass(frozen=True)
class Reason:
    """One step of the decision: the rule applied, a readable sentence, and the figures it used."""

    rule: str  # stable code, e.g. "dibao.below_standard"
    text: str
    figures: dict[str, Any] = field(default_factory=dict)  # JSON-ready: fen as int, ratios as text


@dataclass(frozen=True)
class AmountLine:
    """One part of the monthly amount (the 低保 gap, a 特困 person's support, a price subsidy)."""

    item: str
    amount_fen: int
    member_id: str | None = None  # set when the line is for one person


@dataclass(frozen=True)
class Assessment:
    """The engine's answer for one household and month."""

    household_id: str
    month: Month
    classification: Classification
    amount_fen: int  # per month, the sum of ``lines``
    lines: tuple[AmountLine, ...]
    reasons: tuple[Reason, ...]
    snapshot: dict[str, Any]  # inputs + standards + result, JSON-serialisable, for the payment record
