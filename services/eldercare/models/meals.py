"""Meal assistance (助餐): canteens and meal points, the villages they serve, and the meals served.

Providers and meals carry their region code (a meal copies its provider's), indexed, so region scoping
is a range scan on the row itself. A meal is unique per (elder, day, meal), enforced by the database.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class MealProvider(EldercareTable, table=True):
    """A 老年食堂 (canteen) or 助餐点 (meal point) in a town or village, and who runs it."""

    __tablename__ = "meal_provider"
    __table_args__ = (
        # Also the region index (region_code leads): listings page by (region_code, id).
        sa.UniqueConstraint("region_code", "name", name="uq_meal_provider_region_name"),
    )

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=20)
    name: str = Field(max_length=100)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    operator: str = Field(max_length=100)
    opened_on: date
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class MealProviderVillage(EldercareTable, table=True):
    """A village a provider serves besides the one it stands in (delivery, 助餐配送)."""

    __tablename__ = "meal_provider_village"
    __table_args__ = (sa.Index("ix_meal_provider_village_region", "village_code"),)

    provider_id: str = Field(foreign_key="meal_provider.id", primary_key=True, max_length=36)
    village_code: str = Field(sa_column=sa.Column(region_code_type(), primary_key=True))


class MealServed(EldercareTable, table=True):
    """One meal an elder was served, its price and the subsidy applied to it."""

    __tablename__ = "meal_served"
    __table_args__ = (
        sa.UniqueConstraint("elder_id", "served_on", "meal", name="uq_meal_served_elder_day_meal"),
        sa.Index("ix_meal_served_region", "region_code", "served_on", "id"),
        sa.Index("ix_meal_served_provider", "provider_id", "served_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    provider_id: str = Field(foreign_key="meal_provider.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    elder_name: str = Field(max_length=50)
    served_on: date
    meal: str = Field(max_length=10)
    price_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    subsidy_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)
