"""Age-friendly renovation (适老化改造): the item catalogue and one plan per household (一户一策).

A plan line copies its item's code, name and area when the plan is made, so a later change of the
catalogue never rewrites a plan. At most one open plan per elder, enforced by a partial unique index.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime

OPEN_PLAN = "status IN ('surveyed', 'approved', 'in_progress')"


class RenovationItem(EldercareTable, table=True):
    """One catalogue item in one of the five areas, with a reference price; inactive ones stay."""

    __tablename__ = "renovation_item"
    __table_args__ = (
        sa.UniqueConstraint("code", name="uq_renovation_item_code"),
        sa.Index("ix_renovation_item_area", "area", "code"),
    )

    id: str = Field(primary_key=True, max_length=36)
    code: str = Field(max_length=20)
    name: str = Field(max_length=100)
    area: str = Field(max_length=30)
    unit: str = Field(max_length=10)
    reference_price_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    active: bool = Field(default=True)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class RenovationPlan(EldercareTable, table=True):
    """A household's plan: chosen items, cost and subsidy, and where it stands (surveyed … completed)."""

    __tablename__ = "renovation_plan"
    __table_args__ = (
        sa.Index("ix_renovation_plan_region", "region_code", "id"),
        sa.Index(
            "uq_renovation_plan_open_elder",
            "elder_id",
            unique=True,
            sqlite_where=sa.text(OPEN_PLAN),
            postgresql_where=sa.text(OPEN_PLAN),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    elder_name: str = Field(max_length=50)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    status: str = Field(max_length=12)
    total_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    subsidy_percent: int = Field(default=0)
    subsidy_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    surveyed_on: date
    approved_on: date | None = Field(default=None)
    started_on: date | None = Field(default=None)
    completed_on: date | None = Field(default=None)
    cancelled_on: date | None = Field(default=None)
    notes: str = Field(default="", max_length=1000)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())


class RenovationPlanLine(EldercareTable, table=True):
    """One chosen item of a plan, with quantity and the unit price agreed."""

    __tablename__ = "renovation_plan_line"

    plan_id: str = Field(foreign_key="renovation_plan.id", primary_key=True, max_length=36)
    item_id: str = Field(foreign_key="renovation_item.id", primary_key=True, max_length=36)
    item_code: str = Field(max_length=20)
    item_name: str = Field(max_length=100)
    area: str = Field(max_length=30)
    quantity: int
    unit_price_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
