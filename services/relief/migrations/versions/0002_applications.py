"""Relief applications (一件事) with their step history, and assistance grants.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_GRANT = "status IN ('active', 'suspended')"


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def upgrade() -> None:
    """Create the applications, their steps and the grants."""
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "relief_application",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _text("items", 400),
        _text("state", 10),
        sa.Column("step_count", sa.Integer(), nullable=False),
        _text("note", 500),
        _text("commitment_signed_by", 50, nullable=True),
        sa.Column("commitment_signed_on", sa.Date(), nullable=True),
        _text("submitted_by", 200),
        _when("submitted_at"),
        _text("reviewed_by", 200, nullable=True),
        _when("reviewed_at", nullable=True),
        _text("assessment_month", 7, nullable=True),
        _text("assessment_classification", 10, nullable=True),
        sa.Column("assessment_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("assessment_snapshot", sa.Text(), nullable=True),
        _text("decided_by", 200, nullable=True),
        _when("decided_at", nullable=True),
        _text("rejected_by", 200, nullable=True),
        _text("reason", 500),
        _when("appealed_at", nullable=True),
        _text("appeal_reason", 500),
        _when("updated_at"),
    )
    op.create_index(
        "ix_relief_application_region", "relief_application", ["region_code", "submitted_at", "id"]
    )
    op.create_index("ix_relief_application_household", "relief_application", ["household_id", "submitted_at"])
    op.create_index("ix_relief_application_state", "relief_application", ["state", "region_code"])

    op.create_table(
        "relief_application_step",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("relief_application.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _text("action", 16),
        _text("from_state", 10, nullable=True),
        _text("to_state", 10),
        _text("actor", 200),
        _when("at"),
        _text("note", 500),
        sa.UniqueConstraint("application_id", "sequence", name="uq_relief_application_step_sequence"),
    )

    op.create_table(
        "assistance_grant",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _text("programme", 10),
        _text("status", 10),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("suspended_from", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        _text("status_reason", 500),
        sa.Column("monthly_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("assessment_snapshot", sa.Text(), nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("relief_application.id"), nullable=True),
        sa.Column("recheck_due_on", sa.Date(), nullable=False),
        _text("granted_by", 200),
        _when("granted_at"),
        _text("updated_by", 200),
        _when("updated_at"),
        sa.CheckConstraint("monthly_amount_fen >= 0", name="ck_assistance_grant_amount"),
    )
    op.create_index("ix_assistance_grant_region", "assistance_grant", ["region_code", "programme", "status"])
    op.create_index("ix_assistance_grant_household", "assistance_grant", ["household_id", "effective_from"])
    op.create_index("ix_assistance_grant_recheck", "assistance_grant", ["status", "recheck_due_on"])
    op.create_index(
        "uq_assistance_grant_open",
        "assistance_grant",
        ["household_id", "programme"],
        unique=True,
        sqlite_where=sa.text(OPEN_GRANT),
        postgresql_where=sa.text(OPEN_GRANT),
    )


def downgrade() -> None:
    """Drop the grants, the steps and the applications."""
    for table in ("assistance_grant", "relief_application_step", "relief_application"):
        op.drop_table(table)
