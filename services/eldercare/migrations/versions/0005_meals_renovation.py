"""Meal assistance and age-friendly renovation.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_PLAN = "status IN ('surveyed', 'approved', 'in_progress')"


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _region() -> sa.types.TypeEngine[str]:
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def upgrade() -> None:
    """Create the meal and renovation tables."""
    op.create_table(
        "meal_provider",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("operator", sa.String(100), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("region_code", "name", name="uq_meal_provider_region_name"),
    )
    op.create_table(
        "meal_provider_village",
        sa.Column("provider_id", sa.String(36), sa.ForeignKey("meal_provider.id"), primary_key=True),
        sa.Column("village_code", _region(), primary_key=True),
    )
    op.create_index("ix_meal_provider_village_region", "meal_provider_village", ["village_code"])
    op.create_table(
        "meal_served",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("provider_id", sa.String(36), sa.ForeignKey("meal_provider.id"), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("elder_name", sa.String(50), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("meal", sa.String(10), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("elder_id", "served_on", "meal", name="uq_meal_served_elder_day_meal"),
    )
    op.create_index("ix_meal_served_region", "meal_served", ["region_code", "served_on", "id"])
    op.create_index("ix_meal_served_provider", "meal_served", ["provider_id", "served_on"])

    op.create_table(
        "renovation_item",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("area", sa.String(30), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("reference_price_fen", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("code", name="uq_renovation_item_code"),
    )
    op.create_index("ix_renovation_item_area", "renovation_item", ["area", "code"])
    op.create_table(
        "renovation_plan",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("elder_name", sa.String(50), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("subsidy_percent", sa.Integer(), nullable=False),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        sa.Column("surveyed_on", sa.Date(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(1000), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        _when("updated_at"),
    )
    op.create_index("ix_renovation_plan_region", "renovation_plan", ["region_code", "id"])
    op.create_index(
        "uq_renovation_plan_open_elder",
        "renovation_plan",
        ["elder_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_PLAN),
        postgresql_where=sa.text(OPEN_PLAN),
    )
    op.create_table(
        "renovation_plan_line",
        sa.Column("plan_id", sa.String(36), sa.ForeignKey("renovation_plan.id"), primary_key=True),
        sa.Column("item_id", sa.String(36), sa.ForeignKey("renovation_item.id"), primary_key=True),
        sa.Column("item_code", sa.String(20), nullable=False),
        sa.Column("item_name", sa.String(100), nullable=False),
        sa.Column("area", sa.String(30), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_fen", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop the tables of this revision."""
    op.drop_table("renovation_plan_line")
    op.drop_table("renovation_plan")
    op.drop_table("renovation_item")
    op.drop_table("meal_served")
    op.drop_table("meal_provider_village")
    op.drop_table("meal_provider")
