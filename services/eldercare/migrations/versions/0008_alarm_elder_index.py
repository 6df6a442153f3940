"""An index on an elder's alarms, newest first (the gateway's batch read for a page of elders).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index safety alarms by elder, newest first."""
    op.create_index("ix_safety_alarm_elder", "safety_alarm", ["elder_id", "received_at", "id"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_safety_alarm_elder", table_name="safety_alarm")
