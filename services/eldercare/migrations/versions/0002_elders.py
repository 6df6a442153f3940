"""Elders, their contacts, capability assessments, home visits and overdue notices.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the elder, elder_contact, capability_assessment, elder_visit and elder_overdue_notice tables."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "elder",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("living_arrangement", sa.String(20), nullable=False),
        sa.Column("widowed_childless", sa.Boolean(), nullable=False),
        sa.Column("left_behind", sa.Boolean(), nullable=False),
        sa.Column("special_family", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("capability_level", sa.String(20), nullable=True),
        sa.Column("capability_assessed_on", sa.Date(), nullable=True),
        sa.Column("deceased_on", sa.Date(), nullable=True),
        sa.Column("vulnerable_since", sa.Date(), nullable=True),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("visit_anchor_on", sa.Date(), nullable=True),
        _when("registered_at"),
        sa.Column("registered_by", sa.String(200), nullable=False),
        _when("updated_at"),
        sa.UniqueConstraint("id_number", name="uq_elder_id_number"),
    )
    op.create_index("ix_elder_region", "elder", ["region_code", "id"])
    op.create_index("ix_elder_birth", "elder", ["birth_date", "id"])
    op.create_index("ix_elder_visit_anchor", "elder", ["visit_anchor_on", "id"])

    op.create_table(
        "elder_contact",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
    )
    op.create_index("ix_elder_contact_elder", "elder_contact", ["elder_id", "priority"])

    op.create_table(
        "capability_assessment",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(50), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("notes", sa.String(1000), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_capability_assessment_elder", "capability_assessment", ["elder_id", "assessed_on"])

    op.create_table(
        "elder_visit",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor_name", sa.String(50), nullable=False),
        sa.Column("visitor_region_code", region, nullable=False),
        sa.Column("findings", sa.String(1000), nullable=False),
        sa.Column("risk_level", sa.String(10), nullable=False),
        sa.Column("notes", sa.String(1000), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_elder_visit_elder", "elder_visit", ["elder_id", "visited_on", "id"])
    op.create_index("ix_elder_visit_region", "elder_visit", ["region_code", "visited_on"])

    op.create_table(
        "elder_overdue_notice",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _when("notified_at"),
    )
    op.create_index(
        "ix_elder_overdue_notice_elder", "elder_overdue_notice", ["elder_id", "anchor_on", "level"]
    )


def downgrade() -> None:
    """Drop the tables of this revision."""
    op.drop_table("elder_overdue_notice")
    op.drop_table("elder_visit")
    op.drop_table("capability_assessment")
    op.drop_table("elder_contact")
    op.drop_table("elder")
