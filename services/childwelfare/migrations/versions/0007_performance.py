"""Indexes for a district of a million children (bench/childwelfare.py, docs/performance.md).

The overdue scan pages through one category's overdue anchors in (visit_anchor_on, id) order with a
row-value keyset. ``ix_child_category_anchor`` (category, visit_anchor_on) could not serve that order
(the id was not in it), so every page sorted all the category's remaining overdue rows again: 50 pages
of 1,000 over 50,000 overdue children. ``ix_child_category_anchor_id`` adds the id; it replaces the
old index, whose columns are its prefix.

The allowance run pays a category in chunks of 5,000 by child id (``ORDER BY child_id OFFSET 4999
LIMIT 1`` for the chunk's bound). ``ix_category_period_category`` (category, effective_from, child_id)
does not give that order, so every chunk sorted the whole category again (SQLite: "USE TEMP B-TREE FOR
ORDER BY"): 20 chunks × 100,000 eligible children at a million. ``ix_category_period_category_child``
(category, child_id) is walked in child-id order from the previous chunk's bound instead.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace ix_child_category_anchor by ix_child_category_anchor_id; index periods by child id."""
    op.create_index("ix_child_category_anchor_id", "child", ["category", "visit_anchor_on", "id"])
    op.drop_index("ix_child_category_anchor", table_name="child")
    op.create_index("ix_category_period_category_child", "category_period", ["category", "child_id"])


def downgrade() -> None:
    """Back to the two-column index, without the periods' child-id index."""
    op.drop_index("ix_category_period_category_child", table_name="category_period")
    op.create_index("ix_child_category_anchor", "child", ["category", "visit_anchor_on"])
    op.drop_index("ix_child_category_anchor_id", table_name="child")
