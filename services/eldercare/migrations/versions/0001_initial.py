"""Institutions, beds, bed assignments, the audit log, and the kit's outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2025-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.kit.kit_tables import create_kit_tables, drop_kit_tables

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _region() -> sa.types.TypeEngine[str]:
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (as in models.py).
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table of the first version."""
    create_kit_tables(op)
    op.create_table(
        "institution",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("star_rating", sa.Integer(), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("region_code", "name", name="uq_institution_region_name"),
    )
    op.create_index("ix_institution_created", "institution", ["created_at", "id"])

    op.create_table(
        "bed",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("institution_id", sa.String(36), sa.ForeignKey("institution.id"), nullable=False),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("occupant_id_number", sa.String(18), nullable=True),
        sa.Column("occupant_name", sa.String(50), nullable=True),
        _when("assigned_at", nullable=True),
        _when("created_at"),
        sa.UniqueConstraint("institution_id", "label", name="uq_bed_institution_label"),
    )
    op.create_index("ix_bed_region_type_status", "bed", ["region_code", "type", "status"])
    op.create_index(
        "uq_bed_occupant",
        "bed",
        ["occupant_id_number"],
        unique=True,
        sqlite_where=sa.text("occupant_id_number IS NOT NULL"),
        postgresql_where=sa.text("occupant_id_number IS NOT NULL"),
    )

    op.create_table(
        "bed_assignment",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("bed_id", sa.String(36), sa.ForeignKey("bed.id"), nullable=False),
        sa.Column("institution_id", sa.String(36), nullable=False),
        sa.Column("region_code", _region(), nullable=False),
        sa.Column("elder_id_number", sa.String(18), nullable=False),
        sa.Column("elder_name", sa.String(50), nullable=False),
        _when("assigned_at"),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        _when("released_at", nullable=True),
        sa.Column("released_by", sa.String(200), nullable=True),
        sa.Column("release_reason", sa.String(200), nullable=True),
    )
    op.create_index("ix_bed_assignment_bed", "bed_assignment", ["bed_id", "assigned_at"])
    op.create_index("ix_bed_assignment_elder", "bed_assignment", ["elder_id_number", "assigned_at"])
    for name, column in (
        ("uq_bed_assignment_open_bed", "bed_id"),
        ("uq_bed_assignment_open_elder", "elder_id_number"),
    ):
        op.create_index(
            name,
            "bed_assignment",
            [column],
            unique=True,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        )


def downgrade() -> None:
    """Drop every table of the first version."""
    op.drop_table("bed_assignment")
    op.drop_table("bed")
    op.drop_table("institution")
    drop_kit_tables(op)
