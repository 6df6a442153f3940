"""Old-age allowance and e-voucher runs, payments and the voucher ledger; relief status and ID digests.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


def _elder() -> sa.Column[object]:
    return sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False)


def upgrade() -> None:
    """Create the allowance, voucher, relief-period and identity-digest tables."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "elder_allowance_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("paid_count", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("reported_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period", "sequence", name="uq_elder_allowance_run_period_seq"),
    )
    op.create_table(
        "elder_allowance_payment",
        _id(),
        _elder(),
        sa.Column("programme", sa.String(40), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("policy_key", sa.String(40), nullable=False),
        sa.Column("policy_effective_from", sa.Date(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("reported_in", sa.String(36), nullable=True),
        _when("paid_at"),
        sa.UniqueConstraint("elder_id", "programme", "period", name="uq_elder_allowance_payment"),
    )
    op.create_index(
        "ix_elder_allowance_payment_period_reported", "elder_allowance_payment", ["period", "reported_in"]
    )
    op.create_index(
        "ix_elder_allowance_payment_region_period", "elder_allowance_payment", ["region_code", "period"]
    )
    op.create_table(
        "voucher_account",
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("balance_fen", sa.BigInteger(), nullable=False),
        _when("updated_at"),
        sa.CheckConstraint("balance_fen >= 0", name="ck_voucher_account_balance"),
    )
    op.create_table(
        "voucher_entry",
        _id(),
        _elder(),
        sa.Column("region_code", region, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("balance_after_fen", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(7), nullable=True),
        sa.Column("institution_id", sa.String(36), nullable=True),
        sa.Column("reference", sa.String(100), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_voucher_entry_elder", "voucher_entry", ["elder_id", "id"])
    op.create_index(
        "uq_voucher_entry_spend_reference",
        "voucher_entry",
        ["institution_id", "reference"],
        unique=True,
        sqlite_where=sa.text("kind = 'spend'"),
        postgresql_where=sa.text("kind = 'spend'"),
    )
    op.create_table(
        "elder_identity_digest",
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), primary_key=True),
        sa.Column("key_id", sa.String(16), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.UniqueConstraint("key_id", "digest", name="uq_elder_identity_digest"),
    )
    op.create_table(
        "elder_relief_period",
        _id(),
        _elder(),
        sa.Column("programme", sa.String(10), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("household_id", sa.String(100), nullable=False),
        sa.Column("source_event_id", sa.String(100), nullable=False),
    )
    op.create_index(
        "ix_elder_relief_period_elder", "elder_relief_period", ["elder_id", "programme", "effective_from"]
    )
    op.create_index(
        "uq_elder_relief_period_open",
        "elder_relief_period",
        ["elder_id", "programme"],
        unique=True,
        sqlite_where=sa.text("effective_to IS NULL"),
        postgresql_where=sa.text("effective_to IS NULL"),
    )


def downgrade() -> None:
    """Drop the tables of this revision."""
    for table in (
        "elder_relief_period",
        "elder_identity_digest",
        "voucher_entry",
        "voucher_account",
        "elder_allowance_payment",
        "elder_allowance_run",
    ):
        op.drop_table(table)
