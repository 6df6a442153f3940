"""Protection cases (五位一体): mandatory reports, case steps, conferences, escalations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _region() -> sa.types.TypeEngine[str]:
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create protection_case, case_step, case_conference and case_escalation."""
    op.create_table(
        "protection_case",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=True),
        sa.Column("child_name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("concern", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("informant", sa.String(200), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("reported_at", _at(), nullable=False),
        sa.Column("response_due_at", _at(), nullable=False),
        sa.Column("responded_at", _at(), nullable=True),
        sa.Column("responded_by", sa.String(200), nullable=True),
        sa.Column("intervention", sa.String(30), nullable=True),
        sa.Column("placement_kind", sa.String(20), nullable=True),
        sa.Column("placement_name", sa.String(100), nullable=True),
        sa.Column("placement_contact", sa.String(50), nullable=True),
        sa.Column("placement_start_on", sa.Date(), nullable=True),
        sa.Column("closed_at", _at(), nullable=True),
        sa.Column("close_reason", sa.String(30), nullable=True),
        sa.Column("step_count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_protection_case_region_reported", "protection_case", ["region_code", "reported_at"])
    op.create_index("ix_protection_case_state_due", "protection_case", ["state", "response_due_at"])
    op.create_index("ix_protection_case_child", "protection_case", ["child_id"])
    op.create_table(
        "case_step",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("protection_case.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("from_state", sa.String(20), nullable=True),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", _at(), nullable=False),
        sa.Column("intervention", sa.String(30), nullable=True),
        sa.Column("placement_kind", sa.String(20), nullable=True),
        sa.Column("placement_name", sa.String(100), nullable=True),
        sa.Column("placement_contact", sa.String(50), nullable=True),
        sa.Column("placement_start_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(30), nullable=True),
        sa.UniqueConstraint("case_id", "sequence", name="uq_case_step_case_sequence"),
    )
    op.create_index("ix_case_step_region_intervention", "case_step", ["region_code", "intervention", "at"])
    op.create_table(
        "case_conference",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("protection_case.id"), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", _at(), nullable=False),
    )
    op.create_index("ix_case_conference_case", "case_conference", ["case_id", "held_on"])
    op.create_table(
        "case_escalation",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("protection_case.id"), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("response_due_at", _at(), nullable=False),
        sa.Column("escalated_at", _at(), nullable=False),
        sa.UniqueConstraint("case_id", name="uq_case_escalation_case"),
    )


def downgrade() -> None:
    """Drop the protection-case tables."""
    op.drop_table("case_escalation")
    op.drop_table("case_conference")
    op.drop_table("case_step")
    op.drop_table("protection_case")
