"""Visit compliance per village, town or director: counted per village by the database, then rolled up.

The village tallies are one grouped query (``visits.village_tallies``); towns and directors are sums of
those few hundred rows, with the region names from the region tree and the directors' names from the
network. Villages without a director are grouped under the empty key, so they are never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import network, rules, visits
from services.childwelfare.requests import ComplianceGrouping
from services.childwelfare.rules import Tally, VisitPolicy
from services.kit.regions import RegionTree

NO_DIRECTOR = "(no director)"


@dataclass(frozen=True)
class ComplianceRow:
    """One group's tally: a region code (or a director's login) and its name."""

    key: str
    name: str
    tally: Tally


@dataclass(frozen=True)
class ComplianceReport:
    """The rows of one grouping and the total over every village in scope."""

    rows: list[ComplianceRow]
    total: Tally


async def visit_compliance(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    policy: VisitPolicy,
    today: date,
    group_by: ComplianceGrouping,
) -> ComplianceReport:
    """Visit compliance on ``today`` in the scopes, grouped by village, town or director."""
    tallies = await visits.village_tallies(session, scopes=scopes, policy=policy, today=today)
    members = await network.current_members(session, region_codes=list(tallies))
    directors = {village: (m.subject, m.name) for village, m in members.items()}
    tree = RegionTree.xiaoshan()
    names = {code: tree.get(code).name for code in {*tallies, *(c[:9] for c in tallies)} if code in tree}
    if group_by == "town":
        grouped = rules.roll_up(tallies, {v: v[:9] for v in tallies})
    elif group_by == "director":
        grouped = rules.roll_up(tallies, {v: directors[v][0] if v in directors else "" for v in tallies})
        names = dict(directors.values()) | {"": NO_DIRECTOR}
    else:
        grouped = tallies
    rows = [ComplianceRow(key, names.get(key, ""), tally) for key, tally in sorted(grouped.items())]
    return ComplianceReport(rows=rows, total=rules.total(list(tallies.values())))
