"""Allowance runs and payments (one per elder, programme and month), the e-voucher ledger, relief status.

``ElderAllowancePayment`` holds both programmes (``old_age_allowance``, ``eldercare_voucher``): its
unique (elder, programme, period) key is what makes a month paid once whatever happens. A voucher
payment is also a credit to the elder's ``VoucherAccount`` and a ``VoucherEntry`` line, in the same
chunk transaction. ``ElderReliefPeriod`` and ``ElderIdentityDigest`` come from relief events.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


def _bigint_id() -> sa.Column[int]:
    # BIGINT on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
    return sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


class ElderAllowanceRun(EldercareTable, table=True):
    """One monthly run (the n-th of its month) of both programmes; ``id`` is its summary event's id.

    ``finished_at`` stays null when the run crashed: its payments are kept and the next run reports them.
    """

    __tablename__ = "elder_allowance_run"
    __table_args__ = (sa.UniqueConstraint("period", "sequence", name="uq_elder_allowance_run_period_seq"),)

    id: str = Field(primary_key=True, max_length=36)
    period: str = Field(max_length=7)
    sequence: int
    started_at: datetime = Field(sa_column=utc_datetime())
    finished_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    paid_count: int = Field(default=0)
    total_fen: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    skipped_count: int = Field(default=0)
    reported_count: int = Field(default=0)


class ElderAllowancePayment(EldercareTable, table=True):
    """One month's old-age allowance or e-voucher credit to one elder, with the standard it used."""

    __tablename__ = "elder_allowance_payment"
    __table_args__ = (
        sa.UniqueConstraint("elder_id", "programme", "period", name="uq_elder_allowance_payment"),
        sa.Index("ix_elder_allowance_payment_period_reported", "period", "reported_in"),
        sa.Index("ix_elder_allowance_payment_region_period", "region_code", "period"),
    )

    id: int | None = Field(default=None, sa_column=_bigint_id())
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    programme: str = Field(max_length=40)
    period: str = Field(max_length=7)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    # The tier or group (policy key) and the entry's start: what standard this payment used.
    policy_key: str = Field(max_length=40)
    policy_effective_from: date
    run_id: str = Field(max_length=36)
    # The run whose summary reports it: the paying run, or the run that took over a crashed one.
    reported_in: str | None = Field(default=None, max_length=36)
    paid_at: datetime = Field(sa_column=utc_datetime())


class VoucherAccount(EldercareTable, table=True):
    """An elder's e-voucher (重阳分) balance in fen; never negative (a CHECK and a guarded UPDATE)."""

    __tablename__ = "voucher_account"
    __table_args__ = (sa.CheckConstraint("balance_fen >= 0", name="ck_voucher_account_balance"),)

    elder_id: str = Field(foreign_key="elder.id", primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    balance_fen: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    updated_at: datetime = Field(sa_column=utc_datetime())


class VoucherEntry(EldercareTable, table=True):
    """One line of an elder's e-voucher ledger: a monthly credit, or a spend on fees in an institution."""

    __tablename__ = "voucher_entry"
    __table_args__ = (
        sa.Index("ix_voucher_entry_elder", "elder_id", "id"),
        # A bill is offset once: the institution's reference is unique among its spends.
        sa.Index(
            "uq_voucher_entry_spend_reference",
            "institution_id",
            "reference",
            unique=True,
            sqlite_where=sa.text("kind = 'spend'"),
            postgresql_where=sa.text("kind = 'spend'"),
        ),
    )

    id: int | None = Field(default=None, sa_column=_bigint_id())
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    kind: str = Field(max_length=10)  # credit | spend
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    balance_after_fen: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    # Credits: the month credited. Spends: the institution and its bill reference.
    period: str | None = Field(default=None, max_length=7)
    institution_id: str | None = Field(default=None, max_length=36)
    reference: str = Field(max_length=100)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class ElderIdentityDigest(EldercareTable, table=True):
    """An elder's ID-number digest under one key (kit.iddigest), to match people in other services' events."""

    __tablename__ = "elder_identity_digest"
    __table_args__ = (sa.UniqueConstraint("key_id", "digest", name="uq_elder_identity_digest"),)

    elder_id: str = Field(foreign_key="elder.id", primary_key=True, max_length=36)
    key_id: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)


class ElderReliefPeriod(EldercareTable, table=True):
    """A span when an elder's household held 低保 / 低边 / 特困 (``effective_to`` exclusive; null: open)."""

    __tablename__ = "elder_relief_period"
    __table_args__ = (
        sa.Index("ix_elder_relief_period_elder", "elder_id", "programme", "effective_from"),
        # One open period per elder and programme: a repeated grant adds nothing.
        sa.Index(
            "uq_elder_relief_period_open",
            "elder_id",
            "programme",
            unique=True,
            sqlite_where=sa.text("effective_to IS NULL"),
            postgresql_where=sa.text("effective_to IS NULL"),
        ),
    )

    id: int | None = Field(default=None, sa_column=_bigint_id())
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    programme: str = Field(max_length=10)
    effective_from: date
    effective_to: date | None = Field(default=None)
    household_id: str = Field(max_length=100)
    source_event_id: str = Field(max_length=100)
