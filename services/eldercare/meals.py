"""Meal assistance: registering canteens and meal points, recording meals served, coverage of villages.

Functions take the session and keyword-only arguments and never commit: the caller's unit of work
commits the change and its audit row together. Rows outside ``scopes`` are reported as not found.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.community_lookup import visible_elder
from services.eldercare.community_requests import Listing, after_keyset
from services.eldercare.meals_rules import (
    TOWN_LENGTH,
    VILLAGE_LENGTH,
    MealKind,
    Placement,
    ProviderKind,
    TownCoverage,
)
from services.eldercare.meals_rules import coverage as coverage_rule
from services.eldercare.models import MealProvider, MealProviderVillage, MealServed
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.kit.regions import RegionTree, within_any

Provider = tuple[MealProvider, list[str]]


@dataclass(frozen=True)
class NewProvider:
    """A validated provider registration."""

    kind: ProviderKind
    name: str
    region_code: str
    operator: str
    villages_served: tuple[str, ...]
    opened_on: date


@dataclass(frozen=True)
class NewMeal:
    """A validated meal."""

    provider_id: str
    elder_id: str
    served_on: date
    meal: MealKind
    price_fen: int
    subsidy_fen: int


@dataclass(frozen=True)
class MealFilter:
    """Optional filters of a meal listing."""

    provider_id: str | None
    elder_id: str | None
    served_from: date | None
    served_to: date | None


async def _villages(session: AsyncSession, provider_ids: Sequence[str]) -> dict[str, list[str]]:
    rows = await session.exec(
        select(MealProviderVillage)
        .where(col(MealProviderVillage.provider_id).in_(provider_ids))
        .order_by(col(MealProviderVillage.village_code))
    )
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows.all():
        found[row.provider_id].append(row.village_code)
    return found


async def register_provider(
    session: AsyncSession, *, actor: str, new: NewProvider, now: datetime
) -> Provider:
    """Register a canteen or meal point; AlreadyExists when its region has one of that name."""
    clash = select(MealProvider.id).where(
        MealProvider.region_code == new.region_code, MealProvider.name == new.name
    )
    message = f"name: a meal provider named {new.name!r} is already registered in {new.region_code}"
    if (await session.exec(clash)).first() is not None:
        raise AlreadyExists(message)
    provider = MealProvider(
        id=str(uuid.uuid4()),
        kind=new.kind.value,
        name=new.name,
        region_code=new.region_code,
        operator=new.operator,
        opened_on=new.opened_on,
        created_at=now,
        created_by=actor,
    )
    session.add(provider)
    try:
        await session.flush()  # the provider first: its villages refer to it
    except IntegrityError as exc:  # a concurrent registration of the same name won the race
        raise AlreadyExists(message) from exc
    session.add_all(MealProviderVillage(provider_id=provider.id, village_code=v) for v in new.villages_served)
    audit.record(
        session,
        actor=actor,
        action="meal-provider.register",
        target=provider.id,
        region_code=provider.region_code,
        now=now,
        detail=f"{new.kind.value} {new.name}"[:500],
    )
    await session.flush()
    return provider, sorted(new.villages_served)


async def list_providers(
    session: AsyncSession, *, listing: Listing, kind: ProviderKind | None
) -> tuple[list[Provider], int, bool]:
    """A page of providers in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(MealProvider.region_code), listing.scopes)]
    if kind is not None:
        where.append(col(MealProvider.kind) == kind.value)
    total = (await session.exec(select(func.count()).select_from(MealProvider).where(*where))).one()
    stmt = select(MealProvider).where(*where)
    if listing.after is not None:
        stmt = stmt.where(after_keyset(col(MealProvider.region_code), col(MealProvider.id), listing.after))
    stmt = stmt.order_by(col(MealProvider.region_code), col(MealProvider.id)).limit(listing.limit + 1)
    rows = list((await session.exec(stmt)).all())
    more = len(rows) > listing.limit
    rows = rows[: listing.limit]
    villages = await _villages(session, [r.id for r in rows])
    return [(r, villages.get(r.id, [])) for r in rows], int(total), more


async def record_meal(
    session: AsyncSession, *, actor: str, new: NewMeal, scopes: Sequence[str], now: datetime
) -> MealServed:
    """Record a meal; NotFound for an unknown provider or elder, AlreadyExists for the same meal twice."""
    provider = (
        await session.exec(
            select(MealProvider).where(
                MealProvider.id == new.provider_id, in_regions(col(MealProvider.region_code), scopes)
            )
        )
    ).first()
    if provider is None:
        raise NotFound(f"provider_id: meal provider {new.provider_id} not found")
    elder = await visible_elder(session, elder_id=new.elder_id, scopes=scopes)
    if new.served_on < provider.opened_on:
        raise InvalidArgument.field(
            "served_on", f"must not be before the provider opened ({provider.opened_on.isoformat()})"
        )
    if elder.deceased_on is not None and new.served_on >= elder.deceased_on:
        raise FailedPrecondition(f"elder {elder.id} died on {elder.deceased_on.isoformat()}")
    duplicate = f"elder {elder.id} already has {new.meal.value} on {new.served_on.isoformat()}"
    clash = select(MealServed.id).where(
        MealServed.elder_id == elder.id,
        MealServed.served_on == new.served_on,
        MealServed.meal == new.meal.value,
    )
    if (await session.exec(clash)).first() is not None:
        raise AlreadyExists(duplicate)
    meal = MealServed(
        id=str(uuid.uuid4()),
        provider_id=provider.id,
        region_code=provider.region_code,
        elder_id=elder.id,
        elder_name=elder.name,
        served_on=new.served_on,
        meal=new.meal.value,
        price_fen=new.price_fen,
        subsidy_fen=new.subsidy_fen,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(meal)
    audit.record(
        session,
        actor=actor,
        action="meal.record",
        target=meal.id,
        region_code=meal.region_code,
        now=now,
        detail=f"{new.meal.value} {new.served_on.isoformat()} {new.price_fen}/{new.subsidy_fen}",
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_meal_served_elder_day_meal: a concurrent record won the race
        raise AlreadyExists(duplicate) from exc
    return meal


def _meal_where(listing: Listing, where: MealFilter) -> list[sa.ColumnElement[bool]]:
    found = [in_regions(col(MealServed.region_code), listing.scopes)]
    if where.provider_id:
        found.append(col(MealServed.provider_id) == where.provider_id)
    if where.elder_id:
        found.append(col(MealServed.elder_id) == where.elder_id)
    if where.served_from:
        found.append(col(MealServed.served_on) >= where.served_from)
    if where.served_to:
        found.append(col(MealServed.served_on) <= where.served_to)
    return found


async def list_meals(
    session: AsyncSession, *, listing: Listing, where: MealFilter
) -> tuple[list[MealServed], tuple[int, int, int], bool]:
    """A page of meals by (region_code, id), (count, price, subsidy) of all pages, and if more follow."""
    conditions = _meal_where(listing, where)
    count, price, subsidy = (
        await session.exec(
            select(
                func.count(),
                func.coalesce(func.sum(MealServed.price_fen), 0),
                func.coalesce(func.sum(MealServed.subsidy_fen), 0),
            ).where(*conditions)
        )
    ).one()
    stmt = select(MealServed).where(*conditions)
    if listing.after is not None:
        stmt = stmt.where(after_keyset(col(MealServed.region_code), col(MealServed.id), listing.after))
    stmt = stmt.order_by(col(MealServed.region_code), col(MealServed.id)).limit(listing.limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[: listing.limit], (int(count), int(price), int(subsidy)), len(rows) > listing.limit


def _villages_in_scope(tree: RegionTree, scopes: Sequence[str]) -> dict[str, set[str]]:
    """Villages of the packaged tree inside the scopes, by town, plus towns and villages named by a scope."""
    found: dict[str, set[str]] = defaultdict(set)
    for town in tree.towns():
        inside = {v.code for v in tree.villages(town.code) if within_any(v.code, scopes)}
        if inside or within_any(town.code, scopes):
            found[town.code] |= inside
    for scope in scopes:
        if len(scope) >= TOWN_LENGTH:
            found[scope[:TOWN_LENGTH]].update({scope} if len(scope) == VILLAGE_LENGTH else set())
    return found


async def coverage(
    session: AsyncSession, *, scopes: Sequence[str], today: date
) -> list[tuple[str, TownCoverage]]:
    """Per town touching the scopes: (town name, its meal coverage today)."""
    tree = RegionTree.xiaoshan()
    villages = _villages_in_scope(tree, scopes)
    # Providers in scope, and providers elsewhere that deliver into a village in scope.
    delivering = select(MealProviderVillage.provider_id).where(
        in_regions(col(MealProviderVillage.village_code), scopes)
    )
    providers = list(
        (
            await session.exec(
                select(MealProvider).where(
                    sa.or_(
                        in_regions(col(MealProvider.region_code), scopes),
                        col(MealProvider.id).in_(delivering),
                    )
                )
            )
        ).all()
    )
    served = await _villages(session, [p.id for p in providers])
    placements = []
    for provider in providers:
        if within_any(provider.region_code, scopes) and len(provider.region_code) == VILLAGE_LENGTH:
            # A village with a provider is a village of its town even when the packaged tree lacks it.
            villages[provider.region_code[:TOWN_LENGTH]].add(provider.region_code)
        placements.append(
            Placement(
                provider.region_code,
                ProviderKind(provider.kind),
                provider.opened_on,
                frozenset(served.get(provider.id, [])),
            )
        )
    rows = coverage_rule(villages, placements, on=today)
    return [(tree.get(r.town_code).name if tree.contains(r.town_code) else "", r) for r in rows]
