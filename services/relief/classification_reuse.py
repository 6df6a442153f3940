"""Re-classifying a month again after a standard changed, from the previous run's aggregates.

The facts of a household do not change when a STANDARD changes. A month's run stores, on every row the
set-based twin decided, the exact aggregates it decided on (counted income as Q + F, assets, members,
the 特困 conditions other than income and the largest own income: ``classification_sql``). When the
month already has a FINISHED run, the next run decides each household of a chunk again from that run's
row under the new figures (``classification_sql.redecide_chunk``: one INSERT … SELECT, no persons,
incomes or assets read) when

- the row was made by the twin (the engine's rows keep no aggregates),
- its standards are comparable with the new ones (``comparable``: the same region, income window and
  minors' age limit; every other figure, 低保, 特困, 低边, price subsidy, asset limit, applies to the
  aggregates as they are),
- and the household's facts have not changed since that run started: every write of a member, a
  person's facts, an income or an asset bumps ``household.updated_at`` (households, memberships,
  people through them, finances, a death through ``memberships.remove_member``), and a household
  touched from ``FACTS_MARGIN`` before the run's start on is assessed in full.

Everyone else in the chunk (facts changed, a new household, a region whose window or age limit changed,
a row the engine made, a household the re-decision leaves too close to call) goes through the full twin
and, where it cannot decide, the pure engine, as in a first run. Both paths apply the same rules to the
same exact aggregates, so the rows are the same as a full run's (the contract tests compare every row).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.periods import Month
from services.relief import classification_sql as twin
from services.relief.models import ReliefAssessment, ReliefStandardsSnapshot
from services.relief.standards import Standards

# A write reads its clock when its request starts and commits later: a household whose facts were
# written by a transaction that read its clock before the previous run started may still have been
# read by that run as it was before. Such a household is assessed in full; no request lasts an hour.
FACTS_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class Previous:
    """The run to decide again from: its id, the households' cutoff and its comparable standards."""

    run_id: str
    facts_since: datetime  # households updated before this are unchanged since that run read them
    standards_ids: tuple[str, ...]  # its snapshots with the new standards' region, window and age limit


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
    run_id: str,
    started_at: datetime,
    month: Month,
    standards: Mapping[str, Standards],
) -> Previous | None:
    """What the month's finished run offers under the new ``standards`` (None: nothing comparable)."""
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
    return Previous(run_id, started_at - FACTS_MARGIN, tuple(sorted(ids)))


async def redecide(
    session: AsyncSession,
    *,
    previous: Previous,
    run_id: str,
    period: str,
    figures: list[twin.Figures],
    after: str,
    upper: str | None,
    now: datetime,
) -> int:
    """Decide the chunk's unchanged households again from ``previous``; the rows written."""
    dialect = (await session.connection()).dialect.name
    values, dates = twin.figure_params(figures)
    when = ReliefAssessment.__table__.c.assessed_at.type  # type: ignore[attr-defined]
    stmt = sa.text(twin.redecide_chunk(dialect, len(figures), upper=upper is not None)).bindparams(
        *dates,
        sa.bindparam("now", type_=when),
        sa.bindparam("facts_since", type_=when),
        sa.bindparam("previous_ids", expanding=True),
    )
    params = values | {
        "after": after,
        "run_id": run_id,
        "period": period,
        "now": now,
        "engine": twin.TWIN_VERSION,
        "previous": previous.run_id,
        "previous_ids": list(previous.standards_ids),
        "facts_since": previous.facts_since,
    }
    if upper is not None:
        params["upper"] = upper
    result = await session.execute(stmt, params)
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if count < 0:  # Python's sqlite3 counts no rows for a statement that starts with WITH
        count = int((await session.execute(sa.text("SELECT changes()"))).scalar_one())
    return count
