"""Children, category periods, guardians, the network, visits, the audit log, and the kit's outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2025-11-24
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

_CURRENT = "ended_on IS NULL"


def _region(*, nullable: bool = False) -> sa.Column[object]:
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (as in models.py).
    kind = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    return sa.Column("region_code", kind, nullable=nullable)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Text(), nullable=False)


def upgrade() -> None:
    """Create every table of the first version."""
    create_kit_tables(op)
    op.create_table(
        "child",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        _region(),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("category_since", sa.Date(), nullable=False),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column("visit_anchor_on", sa.Date(), nullable=False),
        _when("registered_at"),
        sa.Column("registered_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("id_number", name="uq_child_id_number"),
    )
    op.create_index("ix_child_region", "child", ["region_code", "id"])
    op.create_index("ix_child_category_anchor", "child", ["category", "visit_anchor_on"])
    op.create_index(
        "ix_child_region_category_anchor", "child", ["region_code", "category", "visit_anchor_on"]
    )

    op.create_table(
        "category_period",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_category_period_child", "category_period", ["child_id", "effective_from"])

    op.create_table(
        "guardian",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("relation", sa.String(20), nullable=False),
        sa.Column("contact", sa.String(50), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_guardian_child", "guardian", ["child_id", "position"])

    op.create_table(
        "network_member",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("contact", sa.String(50), nullable=False),
        _region(),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("assigned_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_network_member_region", "network_member", ["region_code", "role"])
    op.create_index("ix_network_member_subject", "network_member", ["subject", "role"])
    op.create_index(
        "uq_network_member_current",
        "network_member",
        ["region_code"],
        unique=True,
        sqlite_where=sa.text(_CURRENT),
        postgresql_where=sa.text(_CURRENT),
    )

    op.create_table(
        "visit",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("child_id", sa.String(36), sa.ForeignKey("child.id"), nullable=False),
        _region(),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visited_by", sa.String(200), nullable=False),
        _text("living_conditions"),
        _text("schooling"),
        _text("guardianship"),
        sa.Column("risk_level", sa.String(10), nullable=False),
        _text("notes"),
        _when("recorded_at"),
    )
    op.create_index("ix_visit_child_on", "visit", ["child_id", "visited_on"])
    op.create_index("ix_visit_region_on", "visit", ["region_code", "visited_on"])


def downgrade() -> None:
    """Drop every table of the first version."""
    for table in ("visit", "network_member", "guardian", "category_period", "child"):
        op.drop_table(table)
    drop_kit_tables(op)
