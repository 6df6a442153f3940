"""When a member's leaving was recorded: a classification made before it still counted the member.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``membership.left_recorded_at`` (NULL for memberships closed before it existed)."""
    op.add_column("membership", sa.Column("left_recorded_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("membership") as batch:
        batch.drop_column("left_recorded_at")
