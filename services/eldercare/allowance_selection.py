"""Who a run pays, in SQL: the eligibility rules of ``allowance_rules`` as filters, and the walk in chunks.

``eligible`` says for a tier or group what ``allowance_rules.old_age_tier`` / ``voucher_group`` say for one
elder (age by the month's last day as a birth-date band, alive on the 1st, capability level, relief held on
the 1st). ``bound`` and ``chunk`` cut a band into keyset chunks: by ``ix_elder_birth (birth_date, id)``,
or — for a voucher group that requires relief status — by the few elders who hold it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.allowance_rules import VOUCHER, Band, VoucherGroup
from services.eldercare.models import Elder, ElderReliefPeriod
from services.kit.periods import Month

# Where a chunk ends: (birth_date, id) walking by age, (elder_id,) walking relief holders.
Keyset = tuple[Any, ...]


def in_band(band: Band) -> sa.ColumnElement[bool]:
    where = col(Elder.birth_date) <= band.born_on_or_before
    if band.born_after is not None:
        where = sa.and_(where, col(Elder.birth_date) > band.born_after)
    return where


def relief_of(programme: str, band: Band) -> tuple[str, ...]:
    """The relief programmes a voucher group requires (none: the band is walked by age)."""
    group = band.entry.value
    return group.relief if programme == VOUCHER and isinstance(group, VoucherGroup) else ()


def held(relief: tuple[str, ...], month: Month) -> sa.ColumnElement[bool]:
    """Relief periods of those programmes held on the month's 1st (``effective_to`` exclusive)."""
    first = month.first
    return sa.and_(
        col(ElderReliefPeriod.programme).in_(list(relief)),
        col(ElderReliefPeriod.effective_from) <= first,
        sa.or_(col(ElderReliefPeriod.effective_to).is_(None), col(ElderReliefPeriod.effective_to) > first),
    )


def eligible(programme: str, band: Band, month: Month) -> sa.ColumnElement[bool]:
    """The band's elders alive on the 1st, meeting a voucher group's capability and relief conditions."""
    first = month.first
    where = sa.and_(in_band(band), sa.or_(col(Elder.deceased_on).is_(None), col(Elder.deceased_on) > first))
    group = band.entry.value
    if programme == VOUCHER and isinstance(group, VoucherGroup) and group.capability_levels:
        where = sa.and_(where, col(Elder.capability_level).in_(list(group.capability_levels)))
    relief = relief_of(programme, band)
    if relief:
        holders = select(col(ElderReliefPeriod.elder_id)).where(held(relief, month))
        where = sa.and_(where, col(Elder.id).in_(holders))
    return where


def _key(values: Keyset) -> sa.Tuple:
    return sa.tuple_(*(sa.literal(v) for v in values))


async def bound(
    session: AsyncSession, programme: str, band: Band, month: Month, after: Keyset | None, chunk_size: int
) -> Keyset | None:
    """The keyset closing the chunk: the ``chunk_size``-th row of the band's walk after ``after``.

    A band is walked by ``ix_elder_birth (birth_date, id)``; a voucher group that requires relief
    status by the few elders holding it (``ix_elder_relief_period_elder``), so it never reads the
    million elders who hold none. Nothing about death or payments is read here, so a bound costs
    ``chunk_size`` index entries. None when fewer are left.
    """
    relief = relief_of(programme, band)
    if relief:
        ids = select(col(ElderReliefPeriod.elder_id)).where(held(relief, month)).distinct()
        if after is not None:
            ids = ids.where(col(ElderReliefPeriod.elder_id) > after[0])
        last_id = (
            await session.exec(ids.order_by(col(ElderReliefPeriod.elder_id)).offset(chunk_size - 1).limit(1))
        ).first()
        return (last_id,) if last_id is not None else None
    stmt = select(Elder.birth_date, Elder.id).where(in_band(band))
    if after is not None:
        stmt = stmt.where(sa.tuple_(col(Elder.birth_date), col(Elder.id)) > _key(after))
    row = (
        await session.exec(
            stmt.order_by(col(Elder.birth_date), col(Elder.id)).offset(chunk_size - 1).limit(1)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def chunk(
    programme: str, band: Band, month: Month, after: Keyset | None, upper: Keyset | None
) -> sa.ColumnElement[bool]:
    """The elders of one chunk: (after, upper] along the band's walk."""
    relief = relief_of(programme, band)
    if relief:
        ids = select(col(ElderReliefPeriod.elder_id)).where(held(relief, month))
        if after is not None:
            ids = ids.where(col(ElderReliefPeriod.elder_id) > after[0])
        if upper is not None:
            ids = ids.where(col(ElderReliefPeriod.elder_id) <= upper[0])
        # The range sits inside the subquery, so each chunk probes its own holders by primary key.
        return col(Elder.id).in_(ids)
    keys = sa.tuple_(col(Elder.birth_date), col(Elder.id))
    where = sa.true()
    if after is not None:
        where = sa.and_(where, keys > _key(after))
    if upper is not None:
        where = sa.and_(where, keys <= _key(upper))
    return where
