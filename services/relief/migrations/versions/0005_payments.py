"""Classification runs, assessments, standards snapshots, monthly payments and overpayments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


def _household() -> sa.Column[object]:
    return sa.Column("household_id", sa.String(36), sa.ForeignKey("household.id"), nullable=False)


def _fen(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    """Create the tables."""
    # Byte-wise collation on PostgreSQL so region prefix ranges use the index (kit.columns).
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "relief_standards_snapshot",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _fen("dibao_monthly_fen"),
        _fen("tekun_monthly_fen"),
        sa.Column("snapshot", sa.Text(), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "relief_classification_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("engine_households", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.UniqueConstraint("period", "sequence", name="uq_relief_classification_run"),
    )
    op.create_table(
        "relief_assessment",
        _id(),
        # No foreign keys (models.payments): append-only, written only by the run and the engine adapter.
        sa.Column("run_id", sa.String(36), nullable=True),
        sa.Column("household_id", sa.String(36), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("classification", sa.String(10), nullable=False),
        _fen("amount_fen"),
        sa.Column("members", sa.Integer(), nullable=False),
        _fen("household_monthly_income_fen"),
        _fen("assets_fen"),
        sa.Column("standards_id", sa.String(36), nullable=False),
        sa.Column("engine", sa.String(40), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
        _when("assessed_at"),
        sa.UniqueConstraint("run_id", "household_id", name="uq_relief_assessment_run_household"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_relief_assessment_amount"),
    )
    op.create_index("ix_relief_assessment_household", "relief_assessment", ["household_id", "period", "id"])
    op.create_table(
        "relief_household_facts",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("household_id", sa.String(36), primary_key=True),
        sa.Column("region_code", region, nullable=False),
        sa.Column("standards_id", sa.String(36), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        _fen("assets_fen"),
        sa.Column("household_monthly_income_fen", sa.BigInteger(), nullable=True),
        _fen("income_q"),
        _fen("income_r"),
        sa.Column("income_kf", sa.Integer(), nullable=False),
        sa.Column("income_p1", sa.Integer(), nullable=True),
        sa.Column("income_f", sa.Float(), nullable=False),
        sa.Column("tekun_others", sa.Integer(), nullable=False),
        sa.Column("tekun_own_max", sa.BigInteger(), nullable=True),
        sa.Column("run_id", sa.String(36), nullable=False),
        _when("computed_at"),
    )
    op.create_table(
        "relief_payment_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("classification_run_id", sa.String(36), nullable=True),
        _when("started_at"),
        sa.Column("started_by", sa.String(200), nullable=False),
        _when("finished_at", nullable=True),
        sa.Column("paid_count", sa.Integer(), nullable=False),
        _fen("total_fen"),
        sa.Column("reported_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("period", "sequence", name="uq_relief_payment_run"),
    )
    op.create_table(
        "relief_payment",
        _id(),
        _household(),
        sa.Column("grant_id", sa.String(36), sa.ForeignKey("assistance_grant.id"), nullable=False),
        sa.Column("programme", sa.String(10), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _fen("amount_fen"),
        sa.Column("basis", sa.String(10), nullable=False),
        sa.Column("assessment_id", sa.BigInteger(), sa.ForeignKey("relief_assessment.id"), nullable=True),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("reported_in", sa.String(36), nullable=True),
        _when("paid_at"),
        sa.UniqueConstraint("household_id", "programme", "period", name="uq_relief_payment"),
        sa.CheckConstraint("amount_fen > 0", name="ck_relief_payment_amount"),
    )
    op.create_index("ix_relief_payment_period_reported", "relief_payment", ["period", "reported_in"])
    op.create_index("ix_relief_payment_region_period", "relief_payment", ["region_code", "period"])
    op.create_index("ix_relief_payment_household", "relief_payment", ["household_id", "period", "id"])
    op.create_table(
        "relief_overpayment",
        sa.Column("id", sa.String(36), primary_key=True),
        _household(),
        sa.Column("region_code", region, nullable=False),
        sa.Column("payment_id", sa.BigInteger(), sa.ForeignKey("relief_payment.id"), nullable=False),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("died_on", sa.Date(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        _fen("amount_fen"),
        sa.Column("source_event_id", sa.String(200), nullable=False),
        _when("found_at"),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("handled_by", sa.String(200), nullable=True),
        _when("handled_at", nullable=True),
        sa.Column("handled_note", sa.String(500), nullable=False),
        sa.UniqueConstraint("payment_id", name="uq_relief_overpayment_payment"),
    )
    op.create_index("ix_relief_overpayment_household", "relief_overpayment", ["household_id", "status"])
    op.create_index("ix_relief_overpayment_region", "relief_overpayment", ["region_code", "status"])


def downgrade() -> None:
    """Drop them."""
    for table in (
        "relief_overpayment",
        "relief_payment",
        "relief_payment_run",
        "relief_household_facts",
        "relief_assessment",
        "relief_classification_run",
        "relief_standards_snapshot",
    ):
        op.drop_table(table)
