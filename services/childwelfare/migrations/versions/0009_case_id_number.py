"""Protection cases by reported ID number: a child registered after a report is linked to its cases.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index protection_case.id_number (registration looks up the unlinked cases of a new child)."""
    op.create_index("ix_protection_case_id_number", "protection_case", ["id_number"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_protection_case_id_number", table_name="protection_case")
