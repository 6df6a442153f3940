"""Basic living allowance: payment runs and payments (one per child, programme and month).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create allowance_run and allowance_payment; index category periods by category."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_index(
        "ix_category_period_category", "category_period", ["category", "effective_from", "child_id"]
    )
    op.create_table(
        "allowance_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("programme", sa.String(40), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_count", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("reported_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period", "sequence", name="uq_allowance_run_period_sequence"),
    )
    op.create_table(
        "allowance_payment",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("programme", sa.String(40), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("policy_key", sa.String(40), nullable=False),
        sa.Column("policy_effective_from", sa.Date(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("reported_in", sa.String(36), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("child_id", "programme", "period", name="uq_allowance_payment_child_period"),
    )
    op.create_index("ix_allowance_payment_period_reported", "allowance_payment", ["period", "reported_in"])
    op.create_index("ix_allowance_payment_region_period", "allowance_payment", ["region_code", "period"])


def downgrade() -> None:
    """Drop the allowance tables and the category index."""
    op.drop_table("allowance_payment")
    op.drop_table("allowance_run")
    op.drop_index("ix_category_period_category", table_name="category_period")
