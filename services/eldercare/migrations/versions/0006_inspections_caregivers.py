"""Facility safety inspections with hazards, and certified caregivers.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _region() -> sa.types.TypeEngine[str]:
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def upgrade() -> None:
    """Create the inspection, hazard and caregiver tables."""
    op.create_table(
        "inspection",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("facility_kind", sa.String(20), nullable=False),
        sa.Column("facility_id", sa.String(36), nullable=False),
        sa.Column("facility_name", sa.String(100), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(50), nullable=False),
        sa.Column("findings", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_inspection_region", "inspection", ["region_code", "id"])
    op.create_index("ix_inspection_facility", "inspection", ["facility_kind", "facility_id", "inspected_on"])
    op.create_table(
        "hazard",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("inspection_id", sa.String(36), sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("facility_kind", sa.String(20), nullable=False),
        sa.Column("facility_name", sa.String(100), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("rectify_by", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("rectified_on", sa.Date(), nullable=True),
        sa.Column("rectification_note", sa.String(1000), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_by", sa.String(50), nullable=False),
        sa.Column("verification_note", sa.String(1000), nullable=False),
        _when("overdue_reported_at", nullable=True),
        _when("updated_at"),
    )
    op.create_index("ix_hazard_inspection", "hazard", ["inspection_id"])
    op.create_index("ix_hazard_status_deadline", "hazard", ["status", "rectify_by", "region_code"])

    op.create_table(
        "caregiver",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("certificate_number", sa.String(40), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("employer_institution_id", sa.String(36), sa.ForeignKey("institution.id"), nullable=True),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(200), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("certificate_number", name="uq_caregiver_certificate"),
    )
    op.create_index("ix_caregiver_region", "caregiver", ["region_code", "id"])
    op.create_index("ix_caregiver_active_level", "caregiver", ["active", "region_code", "level"])


def downgrade() -> None:
    """Drop the tables of this revision."""
    op.drop_table("caregiver")
    op.drop_table("hazard")
    op.drop_table("inspection")
