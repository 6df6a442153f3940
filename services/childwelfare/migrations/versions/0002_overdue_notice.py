"""The overdue notices: which child-visit-overdue events (child, period, level) were staged.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the overdue_notice table."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "overdue_notice",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_overdue_notice_child", "overdue_notice", ["child_id", "anchor_on", "level"])


def downgrade() -> None:
    """Drop the overdue_notice table."""
    op.drop_table("overdue_notice")
