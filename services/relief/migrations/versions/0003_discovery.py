"""Household flags raised by proactive discovery (主动发现), with how officers handled them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the household flags."""
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "household_flag",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fact", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("source_event_id", sa.String(200), nullable=False),
        sa.Column("source_type", sa.String(200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("handled_by", sa.String(200), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_note", sa.String(500), nullable=False),
        sa.UniqueConstraint("source_event_id", name="uq_household_flag_source"),
    )
    op.create_index("ix_household_flag_worklist", "household_flag", ["status", "raised_at", "id"])
    op.create_index("ix_household_flag_region", "household_flag", ["region_code", "status"])
    op.create_index("ix_household_flag_household", "household_flag", ["household_id", "status"])


def downgrade() -> None:
    """Drop the household flags."""
    op.drop_table("household_flag")
