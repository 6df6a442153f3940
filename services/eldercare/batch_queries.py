"""Many elders' lists at once: what a page of elders shows, in a constant number of queries.

The gateway shows a page of elders with each one's assessments, visits, devices and alarms; asking one
elder at a time would cost a call per elder and field. Every read is inside the caller's regions: the
elders are looked up there first and rows are read for the visible ones only (devices and alarms also
by their own region, as ``ListDevices`` and ``ListAlarms`` scope them). Each elder's first rows are cut
with a window function (``row_number`` per elder, ``count`` per elder for the total), so a page of 100
elders is one query whatever their sizes; the order is that of the single-elder listings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.alarm_files import AlarmFile, assemble
from services.eldercare.devices import DeviceRow
from services.eldercare.elder_assessments import ASSESSMENT_ORDER
from services.eldercare.elder_visits import VISIT_ORDER
from services.eldercare.models import CapabilityAssessment, Elder, ElderVisit, SafetyAlarm, SafetyDevice
from services.eldercare.safety_rules import AlarmStatus, DeviceStatus
from services.kit.columns import in_regions

T = TypeVar("T")


@dataclass(frozen=True)
class ElderRows(Generic[T]):
    """The first rows of one elder's list and the elder's total."""

    rows: list[T]
    total: int


async def visible_elders(session: AsyncSession, *, scopes: Sequence[str], ids: Sequence[str]) -> list[Elder]:
    """The elders among ``ids`` inside the scopes, in the order of ``ids``."""
    stmt = select(Elder).where(col(Elder.id).in_(list(ids)), in_regions(col(Elder.region_code), scopes))
    found = {e.id: e for e in (await session.exec(stmt)).all()}
    return [found[i] for i in ids if i in found]


async def _first_rows(
    session: AsyncSession,
    entity: type[T],
    *,
    elder: sa.ColumnElement[str],
    where: sa.ColumnElement[bool],
    order: Sequence[sa.ColumnElement[object]],
    elder_ids: Sequence[str],
    limit: int,
) -> dict[str, ElderRows[T]]:
    """Per elder, the first ``limit`` rows in ``order`` and how many there are in all."""
    ranked = (
        select(
            entity,
            sa.func.row_number().over(partition_by=elder, order_by=order).label("row_no"),
            sa.func.count().over(partition_by=elder).label("total"),
        )
        .where(where)
        .subquery()
    )
    row = aliased(entity, ranked)
    stmt = (
        select(row, ranked.c.total)
        .where(ranked.c.row_no <= limit)
        .order_by(ranked.c.elder_id, ranked.c.row_no)
    )
    grouped: dict[str, list[T]] = {e: [] for e in elder_ids}
    totals: dict[str, int] = {}
    for item, total in (await session.exec(stmt)).all():
        key: str = item.elder_id  # type: ignore[attr-defined]
        grouped[key].append(item)
        totals[key] = int(total)
    return {e: ElderRows(rows, totals.get(e, 0)) for e, rows in grouped.items()}


async def first_assessments(
    session: AsyncSession, *, elder_ids: Sequence[str], limit: int
) -> dict[str, ElderRows[CapabilityAssessment]]:
    """Each elder's newest assessments; the first of each is the elder's current one."""
    elder = col(CapabilityAssessment.elder_id)
    return await _first_rows(
        session,
        CapabilityAssessment,
        elder=elder,
        where=elder.in_(list(elder_ids)),
        order=list(ASSESSMENT_ORDER),
        elder_ids=elder_ids,
        limit=limit,
    )


async def first_visits(
    session: AsyncSession, *, elder_ids: Sequence[str], limit: int
) -> dict[str, ElderRows[ElderVisit]]:
    """Each elder's newest home visits."""
    elder = col(ElderVisit.elder_id)
    return await _first_rows(
        session,
        ElderVisit,
        elder=elder,
        where=elder.in_(list(elder_ids)),
        order=list(VISIT_ORDER),
        elder_ids=elder_ids,
        limit=limit,
    )


async def first_devices(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    elders: Sequence[Elder],
    status: DeviceStatus | None,
    limit: int,
) -> dict[str, ElderRows[DeviceRow]]:
    """Each elder's devices (of one status), oldest installation first, with the elder's name."""
    elder = col(SafetyDevice.elder_id)
    where = sa.and_(elder.in_([e.id for e in elders]), in_regions(col(SafetyDevice.region_code), scopes))
    if status is not None:
        where = sa.and_(where, col(SafetyDevice.status) == status.value)
    found = await _first_rows(
        session,
        SafetyDevice,
        elder=elder,
        where=where,
        order=[col(SafetyDevice.created_at), col(SafetyDevice.id)],
        elder_ids=[e.id for e in elders],
        limit=limit,
    )
    names = {e.id: e.name for e in elders}
    return {
        e: ElderRows([DeviceRow(d, names[e]) for d in rows.rows], rows.total) for e, rows in found.items()
    }


async def first_alarms(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    elder_ids: Sequence[str],
    status: AlarmStatus | None,
    limit: int,
) -> dict[str, ElderRows[AlarmFile]]:
    """Each elder's newest alarms (of one status), as files (device, elder, steps) in two more queries."""
    elder = col(SafetyAlarm.elder_id)
    where = sa.and_(elder.in_(list(elder_ids)), in_regions(col(SafetyAlarm.region_code), scopes))
    if status is not None:
        where = sa.and_(where, col(SafetyAlarm.status) == status.value)
    found = await _first_rows(
        session,
        SafetyAlarm,
        elder=elder,
        where=where,
        order=[col(SafetyAlarm.received_at).desc(), col(SafetyAlarm.id).desc()],
        elder_ids=elder_ids,
        limit=limit,
    )
    files = iter(await assemble(session, [a for rows in found.values() for a in rows.rows]))
    # ``assemble`` keeps the order it was given, so the files split back per elder in turn.
    return {e: ElderRows([next(files) for _ in rows.rows], rows.total) for e, rows in found.items()}
