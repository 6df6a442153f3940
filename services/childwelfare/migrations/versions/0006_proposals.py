"""Worklist of proposals from other services' events (relief grants, guardian deaths), and ID digests.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "status = 'open'"


def upgrade() -> None:
    """Create child_identity_digest and proposal."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "child_identity_digest",
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), primary_key=True),
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("key_id", "digest", name="uq_child_identity_digest"),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("current_category", sa.String(40), nullable=False),
        sa.Column("proposed_category", sa.String(40), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("source_subject", sa.String(200), nullable=False),
        sa.Column("source_event_id", sa.String(200), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
    )
    op.create_index("ix_proposal_region", "proposal", ["region_code", "id"])
    op.create_index("ix_proposal_status_region", "proposal", ["status", "region_code", "id"])
    op.create_index("ix_proposal_child", "proposal", ["child_id"])
    op.create_index(
        "uq_proposal_open_topic",
        "proposal",
        ["child_id", "topic"],
        unique=True,
        sqlite_where=sa.text(_OPEN),
        postgresql_where=sa.text(_OPEN),
    )


def downgrade() -> None:
    """Drop proposal and child_identity_digest."""
    op.drop_table("proposal")
    op.drop_table("child_identity_digest")
