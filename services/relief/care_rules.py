"""Care of relief households as pure rules: visit cadence per programme, list-item kinds, the rates.

Seed 004 line 51 (§二(二)): "推广应用'幸福码'开展探访关爱、'幸福清单'送达等服务 … 拓展探访照料、精神慰藉、
能力提升等服务项目"; its appendix (lines 186–196) sets three yearly indicators per town, 60% in 2021 to
100% in 2025. The cadence, escalation and targets are policy data (``relief_visits.yaml``) handed in as
a ``CarePolicy``; the cadence arithmetic is ``kit.visits``.

The rates of a town in a year are read on a REFERENCE DAY: 31 December, or today while the year runs.
The households counted are those holding a programme (特困 / 低保 / 低边: a grant started on or before
that day and not terminated by it; a suspended grant still counts, as the household is still a relief
household to care for). Of them:

- visited (探访关爱率): the household's visits are on time on the reference day — its last visit (or,
  before the first, its grant's start) is not older than its programme's cadence allows (``kit.visits``;
  with several programmes the strictest cadence is the household's);
- list delivered (幸福清单送达率): at least one happiness-list item delivered to it in the year;
- handled as one thing (一件事惠民联办率): its grant came from an application that asked for more than
  one relief item at once (the 14 items of ``relief_items.yaml``); a grant with no application (imported)
  does not count.

No I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.kit import visits
from services.kit.policy import PolicyTable
from services.kit.visits import Cadence, Escalation

ESCALATION_KEY = "default"
TARGET_KEY = "care"
MAX_NAME_LENGTH = 50
MAX_TEXT_LENGTH = 1000
PROGRAMMES = ("tekun", "dibao", "dibian")
# The separator of relief_application.items (application_rules keeps the codes in the order given).
ITEM_SEPARATOR = ","


class ListItemKind(StrEnum):
    """What was delivered to a household on its happiness list (幸福清单), after seed 004 line 51."""

    MATERIAL = "material"  # 物资: goods, food, clothing
    CARE = "care"  # 探访照料: help at home, personal care
    COMFORT = "comfort"  # 精神慰藉: company, counselling
    CAPABILITY = "capability"  # 能力提升: training, job placement, study help
    HEALTH = "health"  # 健康服务: check-ups, medicine delivery
    OTHER = "other"


@dataclass(frozen=True)
class CarePolicy:
    """The effective-dated visit cadence per programme, the escalation and the rate targets."""

    cadences: PolicyTable[Cadence]
    escalations: PolicyTable[Escalation]
    targets: PolicyTable[int]

    def cadence_on(self, programme: str, day: date) -> Cadence | None:
        """The programme's cadence on ``day``; None when it has no visit duty then."""
        entry = self.cadences.find_on(programme, day)
        return entry.value if entry is not None else None

    def cadences_on(self, day: date) -> dict[str, Cadence]:
        """Every programme's cadence on ``day`` (programmes without one are left out)."""
        return {p: c for p in PROGRAMMES if (c := self.cadence_on(p, day)) is not None}

    def escalation_on(self, day: date) -> Escalation:
        """After how many overdue days the town, then the district, is told (kit defaults if none)."""
        entry = self.escalations.find_on(ESCALATION_KEY, day)
        return entry.value if entry is not None else Escalation()

    def target_on(self, year: int) -> int | None:
        """The yearly target of the three rates, in percent (read on 31 December); None if none."""
        entry = self.targets.find_on(TARGET_KEY, date(year, 12, 31))
        return entry.value if entry is not None else None


def programme_order(cadences: dict[str, Cadence], day: date) -> tuple[str, ...]:
    """Every programme, strictest first: by how soon a visit falls due after one on ``day``; those with
    no cadence in force come last. A household holding several programmes is visited at the first's."""
    return tuple(
        sorted(
            PROGRAMMES,
            key=lambda p: (p not in cadences, cadences[p].next_due(day) if p in cadences else day, p),
        )
    )


def strictest(programmes: list[str], cadences: dict[str, Cadence], day: date) -> str | None:
    """The programme whose cadence applies to a household holding ``programmes``; None if it holds none."""
    held = [p for p in programme_order(cadences, day) if p in programmes]
    return held[0] if held else None


def reference_day(year: int, today: date) -> date | None:
    """The day a year's rates are read on: 31 December, or ``today`` in the running year; None if future."""
    if year > today.year:
        return None
    return min(date(year, 12, 31), today)


def on_time_since(cadence: Cadence, day: date) -> date:
    """The earliest visit clock (last visit, or grant start) that is not overdue on ``day``."""
    return visits.overdue_cutoff(day, cadence)


def is_one_thing(items: str) -> bool:
    """True when an application (its stored ``items``) asked for more than one relief item at once."""
    return len([code for code in items.split(ITEM_SEPARATOR) if code.strip()]) > 1


@dataclass(frozen=True)
class TownCare:
    """One town's care counts on the reference day."""

    town_code: str
    households: int
    visited: int
    list_delivered: int
    one_thing: int

    def __post_init__(self) -> None:
        for name in ("visited", "list_delivered", "one_thing"):
            if not 0 <= getattr(self, name) <= self.households:
                raise ValueError(f"{name} must lie between 0 and households ({self.households})")

    @property
    def visited_rate(self) -> float | None:
        """Share of the households visited on time; None when the town has none."""
        return visits.compliance_rate(self.visited, self.households)

    @property
    def list_delivered_rate(self) -> float | None:
        """Share of the households with a list item delivered in the year."""
        return visits.compliance_rate(self.list_delivered, self.households)

    @property
    def one_thing_rate(self) -> float | None:
        """Share of the households whose grant came from a many-item application."""
        return visits.compliance_rate(self.one_thing, self.households)


def total(towns: list[TownCare]) -> TownCare:
    """The towns' counts added up (town_code empty)."""
    return TownCare(
        town_code="",
        households=sum(t.households for t in towns),
        visited=sum(t.visited for t in towns),
        list_delivered=sum(t.list_delivered for t in towns),
        one_thing=sum(t.one_thing for t in towns),
    )
