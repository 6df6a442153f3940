"""Services attached to family-care beds (家庭养老照护床位).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _region() -> sa.types.TypeEngine[str]:
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def upgrade() -> None:
    """Create the family-care service table."""
    op.create_table(
        "family_care_service",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("bed_id", sa.String(36), sa.ForeignKey("bed.id"), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("provider", sa.String(100), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_family_care_service_bed", "family_care_service", ["bed_id", "kind", "started_on"])
    op.create_index("ix_family_care_service_region", "family_care_service", ["region_code", "id"])
    op.create_index(
        "uq_family_care_service_running",
        "family_care_service",
        ["bed_id", "kind"],
        unique=True,
        sqlite_where=sa.text("ended_on IS NULL"),
        postgresql_where=sa.text("ended_on IS NULL"),
    )


def downgrade() -> None:
    """Drop the table of this revision."""
    op.drop_table("family_care_service")
