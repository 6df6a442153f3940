"""Households by when their facts last changed (the re-classification's re-decision reads it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index ``household.updated_at``: a run finds the few households changed since the last one."""
    op.create_index("ix_household_updated", "household", ["updated_at", "id"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_household_updated", table_name="household")
