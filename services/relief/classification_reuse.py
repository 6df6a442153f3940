"""Re-classifying a month again after a standard changed, from the month's stored household facts.

The facts of a household do not change when a STANDARD changes. Every run UPSERTS, for each household
it aggregates, the exact aggregates the set-based twin decides on (``relief_household_facts``: counted
income as Q + F, assets, members, the 特困 conditions other than income and the largest own income:
``classification_sql``). When the month has had a run already, the next run decides each household of
a chunk from its facts under the new figures (``classification_sql.decide_and_count``: no persons,
incomes or assets read) when

- its facts were read under a standard comparable with the new one (``comparable``: the same region,
  income window and minors' age limit; every other figure, 低保, 特困, 低边, price subsidy, asset limit,
  applies to the aggregates as they are),
- and the household's facts have not changed since they were computed: every write of a member, a
  person's facts, an income or an asset bumps ``household.updated_at`` (households, memberships,
  people through them, finances, a death through ``memberships.remove_member``), and a household
  touched from ``FACTS_MARGIN`` before the month's FIRST run started on is aggregated again (every
  facts row of the month was computed after that start: the cutoff is safe for all of them).

Everyone else in the chunk (facts changed or missing, a new household, a region whose window or age
limit changed) is aggregated in full, which upserts their facts; a household the rules leave too close
to call, or whose facts the twin cannot take (no single head, a bad fact), goes to the pure engine.
Both paths apply the same rules to the same exact aggregates, so the rows are the same as a full run's
(the contract tests compare every row and every facts row).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.periods import Month
from services.relief.models import ReliefStandardsSnapshot
from services.relief.standards import Standards

# A write reads its clock when its request starts and commits later: a household whose facts were
# written by a transaction that read its clock before the previous run started may still have been
# read by that run as it was before. Such a household is assessed in full; no request lasts an hour.
FACTS_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class Previous:
    """What the month's facts offer: the households' cutoff and the comparable standards."""

    facts_since: datetime  # households updated before this are unchanged since their facts were read
    standards_ids: tuple[str, ...]  # snapshots with the new standards' region, window and age limit


def comparable(previous: Mapping[str, Any], standards: Standards) -> bool:
    """Whether rows decided under the ``previous`` snapshot carry the aggregates ``standards`` need."""
    return (
        previous.get("region") == standards.region
        and previous.get("day") == standards.day.isoformat()
        and previous.get("income_window_months") == standards.income_window_months
        and previous.get("tekun_minor_age_limit") == standards.tekun_minor_age_limit
    )


async def previous_of(
    session: AsyncSession,
    first_started_at: datetime,
    month: Month,
    standards: Mapping[str, Standards],
) -> Previous | None:
    """What the facts of the month (its first run started at ``first_started_at``) offer under the new
    ``standards`` (None: nothing comparable)."""
    stmt = select(ReliefStandardsSnapshot.id, ReliefStandardsSnapshot.snapshot).where(
        col(ReliefStandardsSnapshot.day) == month.first,
        col(ReliefStandardsSnapshot.region_code).in_(list(standards)),
    )
    ids = []
    for sid, text in (await session.exec(stmt)).all():
        snapshot = json.loads(text)
        region = snapshot.get("region")
        if region in standards and comparable(snapshot, standards[region]):
            ids.append(sid)
    if not ids:
        return None
    return Previous(first_started_at - FACTS_MARGIN, tuple(sorted(ids)))
