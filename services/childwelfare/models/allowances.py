"""The basic living allowance: payment runs and payments (one per child, programme and month)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.childwelfare.models.base import ChildWelfareTable
from services.kit.columns import region_code_type, utc_datetime


class AllowanceRun(ChildWelfareTable, table=True):
    """One run of the monthly basic living allowance (the n-th for its month); ``id`` is its event id.

    ``finished_at`` is null while the run is under way, and stays null when it crashed: the payments
    it made are kept (each chunk commits) and the next run reports them in its summary.
    """

    __tablename__ = "allowance_run"
    __table_args__ = (sa.UniqueConstraint("period", "sequence", name="uq_allowance_run_period_sequence"),)

    id: str = Field(primary_key=True, max_length=36)
    programme: str = Field(max_length=40)
    period: str = Field(max_length=7)
    sequence: int
    started_at: datetime = Field(sa_column=utc_datetime())
    finished_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    paid_count: int = Field(default=0)
    total_fen: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    skipped_count: int = Field(default=0)
    reported_count: int = Field(default=0)


class AllowancePayment(ChildWelfareTable, table=True):
    """One month's basic living allowance to one child: at most one per (child, programme, period).

    Records the amount in fen and the policy entry it used (key and effective_from), so a standard
    changing later never rewrites what was paid. ``reported_in`` is the run whose summary event
    counted it (null until a run completes: a crashed run's payments are reported by the next run).
    """

    __tablename__ = "allowance_payment"
    __table_args__ = (
        sa.UniqueConstraint("child_id", "programme", "period", name="uq_allowance_payment_child_period"),
        sa.Index("ix_allowance_payment_period_reported", "period", "reported_in"),
        sa.Index("ix_allowance_payment_region_period", "region_code", "period"),
    )

    id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    )
    child_id: str = Field(foreign_key="child.id", max_length=36)
    programme: str = Field(max_length=40)
    period: str = Field(max_length=7)
    category: str = Field(max_length=40)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    policy_key: str = Field(max_length=40)
    policy_effective_from: date
    run_id: str = Field(max_length=36)
    reported_in: str | None = Field(default=None, max_length=36)
    paid_at: datetime = Field(sa_column=utc_datetime())
