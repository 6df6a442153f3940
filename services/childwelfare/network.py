"""The three-tier network: town supervisors (督导员) and village child directors (儿童主任).

A child belongs to a village and so to its current director; no child row names a director, so giving
the village a new director moves all its children at once. Tenures are kept as history (ended_on).
Functions take the session and keyword-only arguments and never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit
from services.childwelfare.models import Child, NetworkMember
from services.childwelfare.rules import NetworkRole
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition


def _current() -> sa.ColumnElement[bool]:
    return col(NetworkMember.ended_on).is_(None)


async def assign_member(
    session: AsyncSession,
    *,
    actor: str,
    role: NetworkRole,
    region_code: str,
    subject: str,
    name: str,
    contact: str,
    today: date,
    now: datetime,
) -> NetworkMember:
    """Make ``subject`` the region's current supervisor/director, ending the previous tenure (if another)."""
    held = (
        await session.exec(
            select(NetworkMember)
            .where(NetworkMember.region_code == region_code, _current())
            .with_for_update()
        )
    ).first()
    if held is not None and held.subject == subject and held.role == role.value:
        held.name, held.contact = name, contact  # the same person again: refresh the details only
        session.add(held)
        await session.flush()
        return held
    if held is not None:
        await session.exec(
            sa.update(NetworkMember)
            .where(col(NetworkMember.id) == held.id)
            .values(ended_on=today)
            .execution_options(synchronize_session=False)
        )
    member = NetworkMember(
        id=str(uuid.uuid4()),
        role=role.value,
        subject=subject,
        name=name,
        contact=contact,
        region_code=region_code,
        assigned_on=today,
        assigned_by=actor,
    )
    session.add(member)
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_network_member_current: a concurrent assignment won
        raise FailedPrecondition(f"{region_code} was assigned concurrently; try again") from exc
    detail = f"{role.value} {subject}" + (f" replaces {held.subject}" if held is not None else "")
    audit.record(
        session,
        actor=actor,
        action=f"network.{role.value}",
        target=member.id,
        region_code=region_code,
        now=now,
        detail=detail[:500],
    )
    return member


async def current_members(session: AsyncSession, *, region_codes: Sequence[str]) -> dict[str, NetworkMember]:
    """The current member (supervisor of a town, director of a village) of each region, by region code."""
    codes = list(dict.fromkeys(region_codes))
    if not codes:
        return {}
    stmt = select(NetworkMember).where(col(NetworkMember.region_code).in_(codes), _current())
    return {m.region_code: m for m in (await session.exec(stmt)).all()}


async def is_responsible(session: AsyncSession, *, child: Child, subject: str) -> bool:
    """Whether ``subject`` is the child's village director or the town supervisor today."""
    members = await current_members(session, region_codes=[child.region_code, child.region_code[:9]])
    return any(m.subject == subject for m in members.values())


async def list_network(
    session: AsyncSession, *, scopes: Sequence[str]
) -> tuple[list[NetworkMember], list[NetworkMember], dict[str, int]]:
    """Current supervisors and directors in the scopes, and children per region (village and town)."""
    stmt = (
        select(NetworkMember)
        .where(in_regions(col(NetworkMember.region_code), scopes), _current())
        .order_by(col(NetworkMember.region_code))
    )
    members = list((await session.exec(stmt)).all())
    counts = await children_per_village(session, scopes=scopes)
    per_region = dict(counts)
    for village, n in counts.items():
        per_region[village[:9]] = per_region.get(village[:9], 0) + n
    supervisors = [m for m in members if m.role == NetworkRole.SUPERVISOR.value]
    directors = [m for m in members if m.role == NetworkRole.DIRECTOR.value]
    return supervisors, directors, per_region


async def children_per_village(session: AsyncSession, *, scopes: Sequence[str]) -> dict[str, int]:
    """How many children each village in the scopes has registered (one grouped query)."""
    stmt = (
        select(Child.region_code, sa.func.count())
        .where(in_regions(col(Child.region_code), scopes))
        .group_by(col(Child.region_code))
    )
    return {code: int(n) for code, n in (await session.exec(stmt)).all()}


def has_no_director() -> sa.ColumnElement[bool]:
    """Children whose village has no current director (a correlated NOT EXISTS on the region index)."""
    director = (
        select(NetworkMember.id)
        .where(
            col(NetworkMember.region_code) == col(Child.region_code),
            col(NetworkMember.role) == NetworkRole.DIRECTOR.value,
            _current(),
        )
        .exists()
    )
    return sa.not_(director)


async def villages_without_director(session: AsyncSession, *, scopes: Sequence[str]) -> dict[str, int]:
    """Villages in the scopes with registered children but no current director, with their child counts."""
    stmt = (
        select(Child.region_code, sa.func.count())
        .where(in_regions(col(Child.region_code), scopes), has_no_director())
        .group_by(col(Child.region_code))
        .order_by(col(Child.region_code))
    )
    return {code: int(n) for code, n in (await session.exec(stmt)).all()}


async def villages_of_director(session: AsyncSession, *, subject: str, scopes: Sequence[str]) -> list[str]:
    """Villages in the scopes whose current director is ``subject``."""
    stmt = select(NetworkMember.region_code).where(
        NetworkMember.subject == subject,
        NetworkMember.role == NetworkRole.DIRECTOR.value,
        _current(),
        in_regions(col(NetworkMember.region_code), scopes),
    )
    return list((await session.exec(stmt)).all())
