"""Proactive discovery from a re-classification run (issue 6 item 6), set-based per chunk.

After a chunk's assessments are written, one query finds the households whose new classification
disagrees with what they hold:

- ``reassess``: an ACTIVE grant of another programme than the household's new classification (a 低保
  household now classified 低边 or none, a 低边 household now 低保…);
- ``may_qualify``: no open grant (active or suspended) and newly classified 特困, 低保 or 低边.

Both carry the fact ``reclassified``. At most one open flag per household and fact (an officer has
not handled the last one: nothing new), and at most one per household, kind and month: the source
event id is ``relief-classification/<month>/<household>/<kind>`` and the flag (and event) id its
UUID5 (``discovery_flags.flag_id``), so re-running the month, or a run after a crash, adds nothing
already found. The flags go in with one insert and their ``household-flagged`` events with one
``stage_events``, in the chunk's transaction (both commit or neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import sqlite_bulk
from services.kit.outbox_bulk import Staged, stage_events
from services.relief.classification_sql import chunk_where
from services.relief.discovery_flags import flag_id
from services.relief.discovery_rules import Fact, FlagKind, FlagStatus
from services.relief.events import HOUSEHOLD_FLAGGED, HouseholdFlagged
from services.relief.models import HouseholdFlag

SOURCE_TYPE = "relief.classification-run"
NAMES = {"tekun": "特困", "dibao": "低保", "dibian": "低边", "none": "none"}


@dataclass(frozen=True)
class Finding:
    """A household whose new classification disagrees with what it holds."""

    household_id: str
    region_code: str
    classification: str
    kind: FlagKind
    held: str | None  # the differing active programme (reassess), else None


def source_event_id(period: str, household_id: str, kind: str) -> str:
    """The one source id a month's finding of ``kind`` about a household can have."""
    return f"relief-classification/{period}/{household_id}/{kind}"


def reason(finding: Finding, period: str) -> str:
    """What the officer reads."""
    now = NAMES[finding.classification]
    if finding.kind is FlagKind.REASSESS:
        held = NAMES.get(finding.held or "", finding.held)
        return (
            f"re-classified as {now} for {period} under the standards in force while the household holds "
            f"an active {held} grant: re-assess it"
        )
    return f"re-classified as {now} for {period} under the standards in force; it holds no grant: may qualify"


def _findings_sql(*, upper: bool) -> sa.TextClause:
    open_flag = FlagStatus.OPEN.value
    return sa.text(
        f"""
SELECT k.household_id, k.region_code, k.classification, k.kind, k.held FROM (
  SELECT c.*, CASE WHEN c.held IS NOT NULL THEN '{FlagKind.REASSESS.value}'
                   ELSE '{FlagKind.MAY_QUALIFY.value}' END AS kind
  FROM (
    SELECT a.household_id, a.region_code, a.classification,
           (SELECT MIN(g.programme) FROM assistance_grant g
             WHERE g.household_id = a.household_id AND g.status = 'active'
               AND g.programme <> a.classification) AS held
    FROM relief_assessment a
    WHERE a.run_id = :run_id AND {chunk_where("a.household_id", upper=upper)}
      -- Only a household classified as something, or holding an active grant, can be a finding: the
      -- chunk's active grants are listed once instead of looked up for every household.
      AND (a.classification <> 'none' OR a.household_id IN (
            SELECT g.household_id FROM assistance_grant g
            WHERE g.status = 'active' AND {chunk_where("g.household_id", upper=upper)}))
  ) c
  WHERE c.held IS NOT NULL
     OR (c.classification <> 'none' AND NOT EXISTS (
           SELECT 1 FROM assistance_grant g WHERE g.household_id = c.household_id
              AND g.status IN ('active', 'suspended')))
) k
WHERE NOT EXISTS (
    SELECT 1 FROM household_flag f WHERE f.household_id = k.household_id AND f.status = '{open_flag}'
       AND f.fact = :fact)
  AND NOT EXISTS (
    SELECT 1 FROM household_flag f
    WHERE f.source_event_id = 'relief-classification/' || :period || '/' || k.household_id || '/' || k.kind)
ORDER BY k.household_id
"""
    )


async def raise_flags(
    session: AsyncSession,
    *,
    run_id: str,
    period: str,
    after: str,
    upper: str | None,
    now: datetime,
) -> int:
    """Flag the chunk's households whose classification disagrees with their grants; how many flagged."""
    params: dict[str, object] = {"run_id": run_id, "after": after, "period": period}
    params["fact"] = Fact.RECLASSIFIED.value
    if upper is not None:
        params["upper"] = upper
    conn = await session.connection()
    rows = (await conn.execute(_findings_sql(upper=upper is not None), params)).all()
    findings = [Finding(r[0], r[1], r[2], FlagKind(r[3]), r[4]) for r in rows]
    return await _write(session, findings, period=period, now=now)


_COLUMNS = (
    "id",
    "household_id",
    "region_code",
    "kind",
    "fact",
    "person_id",
    "reason",
    "source_event_id",
    "source_type",
    "raised_at",
    "status",
    "handled_note",
)

# PostgreSQL: the flags as one array per column in one statement (see kit.overdue_notices).
_INSERT_PG = sa.text(
    f"INSERT INTO household_flag ({', '.join(_COLUMNS)}) "
    "SELECT f.id, f.household_id, f.region_code, f.kind, CAST(:fact AS varchar), NULL, f.reason, "
    "f.source_event_id, CAST(:source_type AS varchar), CAST(:raised_at AS timestamptz), "
    "CAST(:status AS varchar), '' "
    "FROM unnest(CAST(:id AS varchar[]), CAST(:household_id AS varchar[]), CAST(:region_code AS varchar[]), "
    "CAST(:kind AS varchar[]), CAST(:reason AS varchar[]), CAST(:source_event_id AS varchar[])) "
    "AS f(id, household_id, region_code, kind, reason, source_event_id) "
    "ON CONFLICT DO NOTHING RETURNING id"
)


async def _insert_new(session: AsyncSession, rows: Sequence[tuple[Any, ...]], now: datetime) -> set[str]:
    """Insert the flags (rows in ``_COLUMNS`` order), skipping any already there; the ids inserted.

    A concurrent run of the same month may have raised some: those are not staged twice.
    """
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        columns = {name: [row[i] for row in rows] for i, name in enumerate(_COLUMNS)}
        params = {
            name: columns[name]
            for name in ("id", "household_id", "region_code", "kind", "reason", "source_event_id")
        }
        params |= {
            "fact": Fact.RECLASSIFIED.value,
            "source_type": SOURCE_TYPE,
            "raised_at": now,
            "status": FlagStatus.OPEN.value,
        }
        return {row[0] for row in await conn.execute(_INSERT_PG, params)}
    table = HouseholdFlag.__table__  # type: ignore[attr-defined]
    inserted = await sqlite_bulk.insert_new_returning(
        conn, table, _COLUMNS, rows, conflict=("id",), returning="id"
    )
    return set(inserted)


async def _write(session: AsyncSession, findings: Sequence[Finding], *, period: str, now: datetime) -> int:
    if not findings:
        return 0
    rows = []
    for f in findings:
        source = source_event_id(period, f.household_id, f.kind.value)
        rows.append(
            (
                flag_id(source),
                f.household_id,
                f.region_code,
                f.kind.value,
                Fact.RECLASSIFIED.value,
                None,
                reason(f, period)[:500],
                source,
                SOURCE_TYPE,
                now,
                FlagStatus.OPEN.value,
                "",
            )
        )
    new = await _insert_new(session, rows, now)
    staged = [
        Staged(
            row[0],
            HouseholdFlagged(
                flag_id=row[0],
                household_id=row[1],
                region_code=row[2],
                town_code=row[2][:9],
                kind=row[3],
                fact=row[4],
                reason=row[6],
                at=now,
            ),
            subject=row[1],
            region=row[2],
        )
        for row in rows
        if row[0] in new
    ]
    return await stage_events(session, HOUSEHOLD_FLAGGED, staged, now=now)
