"""Households, people, memberships with history, ID-number digests, incomes, assets; the kit's tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
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


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _by(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.String(200), nullable=False)


def _id(name: str, target: str | None = None) -> sa.Column[object]:
    if target is None:
        return sa.Column(name, sa.String(36), primary_key=True)
    return sa.Column(name, sa.String(36), sa.ForeignKey(target), nullable=False)


def upgrade() -> None:
    """Create every table of the first version."""
    create_kit_tables(op)
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "household",
        _id("id"),
        sa.Column("region_code", region, nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        _when("registered_at"),
        _by("registered_by"),
        _when("updated_at"),
    )
    op.create_index("ix_household_region", "household", ["region_code", "id"])

    op.create_table(
        "person",
        _id("id"),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("disability_grade", sa.Integer(), nullable=True),
        sa.Column("labour_capacity", sa.String(10), nullable=False),
        sa.Column("employed", sa.Boolean(), nullable=False),
        sa.Column("deceased_on", sa.Date(), nullable=True),
        _when("registered_at"),
        _when("updated_at"),
        sa.UniqueConstraint("id_number", name="uq_person_id_number"),
    )

    op.create_table(
        "membership",
        _id("id"),
        _id("household_id", "household.id"),
        _id("person_id", "person.id"),
        sa.Column("relation", sa.String(12), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(10), nullable=True),
        sa.Column("left_note", sa.String(500), nullable=False),
        _when("recorded_at"),
        _by("recorded_by"),
    )
    op.create_index("ix_membership_household", "membership", ["household_id", "left_on"])
    op.create_index("ix_membership_person", "membership", ["person_id", "joined_on"])
    op.create_index(
        "uq_membership_open_person",
        "membership",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("left_on IS NULL"),
        postgresql_where=sa.text("left_on IS NULL"),
    )

    op.create_table(
        "person_identity_digest",
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("key_id", "digest", name="uq_person_identity_digest"),
    )

    op.create_table(
        "income",
        _id("id"),
        _id("person_id", "person.id"),
        _id("household_id", "household.id"),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        _when("recorded_at"),
        _by("recorded_by"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_income_amount"),
        sa.CheckConstraint("period_end >= period_start", name="ck_income_period"),
    )
    op.create_index("ix_income_person", "income", ["person_id", "period_end"])
    op.create_index("ix_income_household", "income", ["household_id", "period_end"])

    op.create_table(
        "asset",
        _id("id"),
        _id("person_id", "person.id"),
        _id("household_id", "household.id"),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        _when("recorded_at"),
        _by("recorded_by"),
        sa.CheckConstraint("value_fen >= 0", name="ck_asset_value"),
    )
    op.create_index("ix_asset_person", "asset", ["person_id", "kind", "as_of"])
    op.create_index("ix_asset_household", "asset", ["household_id", "as_of"])


def downgrade() -> None:
    """Drop every table of the first version."""
    for table in ("asset", "income", "person_identity_digest", "membership", "person", "household"):
        op.drop_table(table)
    drop_kit_tables(op)
