"""The allowance run's category periods read from their indexes alone: both category indexes hold the dates.

Whether a period is in force on a month's 1st needs ``effective_from`` and ``effective_to``; neither
category index held ``effective_to``, so every period the run looked at cost a read of its row:

- the chunks (``ix_category_period_category_child (category, child_id)``, walked in child-id order)
  read each period's row for its dates;
- the count of the children the run skips (categories with no standard: nine periods in ten) read
  the row of every period of those categories, on ``ix_category_period_category (category,
  effective_from, child_id)`` — 1.6 s of a SQLite run at a million children.

Each is replaced by an index with the same leading columns and the missing dates
(``ix_category_period_category_child_from_to``, ``ix_category_period_category_from_to``), so every
query the old ones served is served the same way, and the run's reads of ``category_period`` are
index-only.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace both category indexes of category_period by ones that also hold the dates."""
    op.create_index(
        "ix_category_period_category_from_to",
        "category_period",
        ["category", "effective_from", "effective_to", "child_id"],
    )
    op.drop_index("ix_category_period_category", table_name="category_period")
    op.create_index(
        "ix_category_period_category_child_from_to",
        "category_period",
        ["category", "child_id", "effective_from", "effective_to"],
    )
    op.drop_index("ix_category_period_category_child", table_name="category_period")


def downgrade() -> None:
    """Back to the category indexes without effective_to."""
    op.create_index("ix_category_period_category_child", "category_period", ["category", "child_id"])
    op.drop_index("ix_category_period_category_child_from_to", table_name="category_period")
    op.create_index(
        "ix_category_period_category", "category_period", ["category", "effective_from", "child_id"]
    )
    op.drop_index("ix_category_period_category_from_to", table_name="category_period")
