"""Adoption registrations, children's homes and town protection stations.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE_ADOPTION = "status IN ('applied', 'assessed', 'registered')"
_OPEN_HOME = "closed_on IS NULL"


def upgrade() -> None:
    """Create the adoption, adopter, children's home (with level history) and protection station tables."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "adoption_registration",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=True),
        sa.Column("child_id_number", sa.String(18), nullable=False),
        sa.Column("child_name", sa.String(50), nullable=False),
        sa.Column("child_birth_date", sa.Date(), nullable=False),
        sa.Column("child_sex", sa.String(1), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("assessment_result", sa.String(12), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("assessed_by", sa.String(100), nullable=True),
        sa.Column("assessment_notes", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("certificate_number", sa.String(40), nullable=True),
        sa.Column("decision_reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("certificate_number", name="uq_adoption_registration_certificate"),
    )
    op.create_index("ix_adoption_registration_region", "adoption_registration", ["region_code", "id"])
    op.create_index(
        "ix_adoption_registration_status_region", "adoption_registration", ["status", "region_code", "id"]
    )
    op.create_index(
        "uq_adoption_registration_child_live",
        "adoption_registration",
        ["child_id_number"],
        unique=True,
        sqlite_where=sa.text(_LIVE_ADOPTION),
        postgresql_where=sa.text(_LIVE_ADOPTION),
    )
    op.create_table(
        "adopter",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("adoption_id", sa.String(36), sa.ForeignKey("adoption_registration.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
    )
    op.create_index("ix_adopter_adoption", "adopter", ["adoption_id", "position"])

    op.create_table(
        "children_home",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("tier", sa.String(20), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_children_home_region", "children_home", ["region_code", "id"])
    op.create_index(
        "uq_children_home_open",
        "children_home",
        ["region_code"],
        unique=True,
        sqlite_where=sa.text(_OPEN_HOME),
        postgresql_where=sa.text(_OPEN_HOME),
    )
    op.create_table(
        "children_home_level",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("home_id", sa.String(36), sa.ForeignKey("children_home.id"), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("tier", sa.String(20), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_children_home_level_home", "children_home_level", ["home_id", "effective_from"])

    op.create_table(
        "protection_station",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("region_code", name="uq_protection_station_town"),
    )


def downgrade() -> None:
    """Drop the facility and adoption tables."""
    op.drop_table("protection_station")
    op.drop_table("children_home_level")
    op.drop_table("children_home")
    op.drop_table("adopter")
    op.drop_table("adoption_registration")
