"""One category index for category periods, holding both dates: the allowance run reads it alone.

Whether a period is in force on a month's 1st needs ``effective_from`` and ``effective_to``; neither
category index held ``effective_to``, so every period the allowance run looked at cost a read of its
row: each chunk (walked on ``ix_category_period_category_child (category, child_id)``) read its
periods' rows, and the count of the children the run skips (the categories with no standard, nine
periods in ten) read every row of those categories on ``ix_category_period_category (category,
effective_from, child_id)``: 1.6 s of a SQLite run at a million children.

``ix_category_period_category_child_from_to (category, child_id, effective_from, effective_to)``
replaces both. The chunks walk it in child-id order and count the periods of any category in force
on a day from it alone, and so do the indicators (``category IN (…)`` and a date: nearly every period
of those categories is in force, so the old index's ``effective_from`` range selected almost nothing).
One index instead of two also leaves PostgreSQL's generic plans (psycopg prepares a statement run
five times) no second category index to scan a whole category on for a chunk.

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
    """Replace both category indexes of category_period by one that also holds the dates."""
    op.create_index(
        "ix_category_period_category_child_from_to",
        "category_period",
        ["category", "child_id", "effective_from", "effective_to"],
    )
    op.drop_index("ix_category_period_category_child", table_name="category_period")
    op.drop_index("ix_category_period_category", table_name="category_period")


def downgrade() -> None:
    """Back to the two category indexes without effective_to."""
    op.create_index(
        "ix_category_period_category", "category_period", ["category", "effective_from", "child_id"]
    )
    op.create_index("ix_category_period_category_child", "category_period", ["category", "child_id"])
    op.drop_index("ix_category_period_category_child_from_to", table_name="category_period")
