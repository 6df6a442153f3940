"""Members' incomes (over a period) and assets (valued on a day), in integer fen.

Both belong to the person and carry the household they were recorded for, so the household's file
lists them without a join through memberships. Check constraints keep negative money out even if a
caller skipped the request validation.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import utc_datetime
from services.relief.models.base import ReliefTable


class Income(ReliefTable, table=True):
    """An income of one person, ``amount_fen`` earned over ``period_start``..``period_end`` (inclusive)."""

    __tablename__ = "income"
    __table_args__ = (
        sa.Index("ix_income_person", "person_id", "period_end"),
        sa.Index("ix_income_household", "household_id", "period_end"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_income_amount"),
        sa.CheckConstraint("period_end >= period_start", name="ck_income_period"),
    )

    id: str = Field(primary_key=True, max_length=36)
    person_id: str = Field(foreign_key="person.id", max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    # wages | pension | farming | business | transfer | other
    kind: str = Field(max_length=12)
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    period_start: date
    period_end: date
    note: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class Asset(ReliefTable, table=True):
    """A valuation of one person's asset of a kind on ``as_of``; the latest per kind counts."""

    __tablename__ = "asset"
    __table_args__ = (
        sa.Index("ix_asset_person", "person_id", "kind", "as_of"),
        sa.Index("ix_asset_household", "household_id", "as_of"),
        sa.CheckConstraint("value_fen >= 0", name="ck_asset_value"),
    )

    id: str = Field(primary_key=True, max_length=36)
    person_id: str = Field(foreign_key="person.id", max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    # deposit | securities | vehicle | property | other
    kind: str = Field(max_length=12)
    value_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    as_of: date
    note: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)
