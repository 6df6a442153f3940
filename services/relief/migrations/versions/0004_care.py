"""Care of relief households: visits, happiness-list items, the visit clock and overdue notices.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _household() -> sa.Column[object]:
    return sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), nullable=False)


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the visits, list items, clocks and notices."""
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "relief_visit",
        sa.Column("id", sa.String(36), primary_key=True),
        _household(),
        sa.Column("region_code", region, nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor_name", sa.String(50), nullable=False),
        sa.Column("visitor_region_code", region, nullable=False),
        sa.Column("findings", sa.String(1000), nullable=False),
        sa.Column("needs", sa.String(1000), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_relief_visit_household", "relief_visit", ["household_id", "visited_on", "id"])
    op.create_index("ix_relief_visit_region", "relief_visit", ["region_code", "visited_on"])
    op.create_table(
        "relief_list_item",
        sa.Column("id", sa.String(36), primary_key=True),
        _household(),
        sa.Column("region_code", region, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("delivered_by", sa.String(50), nullable=False),
        sa.Column("note", sa.String(1000), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index(
        "ix_relief_list_item_household", "relief_list_item", ["household_id", "delivered_on", "id"]
    )
    op.create_index("ix_relief_list_item_region", "relief_list_item", ["region_code", "delivered_on"])
    op.create_table(
        "relief_care_clock",
        sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("programme", sa.String(10), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("visit_anchor_on", sa.Date(), nullable=False),
        _when("updated_at"),
    )
    op.create_index(
        "ix_relief_care_clock_anchor", "relief_care_clock", ["programme", "visit_anchor_on", "household_id"]
    )
    op.create_table(
        "relief_overdue_notice",
        sa.Column("id", sa.String(36), primary_key=True),
        _household(),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _when("notified_at"),
    )
    op.create_index(
        "ix_relief_overdue_notice_household", "relief_overdue_notice", ["household_id", "anchor_on", "level"]
    )


def downgrade() -> None:
    """Drop them."""
    for table in ("relief_overdue_notice", "relief_care_clock", "relief_list_item", "relief_visit"):
        op.drop_table(table)
