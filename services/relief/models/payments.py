"""Classification runs, assessments, monthly payments and overpayments (issue 6 items 2, 5 and 6).

- ``relief_standards_snapshot``: the standards in force for one region on one day, as JSON
  (``Standards.snapshot``), stored once and referenced by every assessment made under them. The id is
  a UUID5 of the JSON, so the same standards are one row however many runs use them.
- ``relief_classification_run``: one re-classification of every household for a month (the n-th of
  that month); ``finished_at`` null while running or after a crash.
- ``relief_assessment``: APPEND-ONLY. One household's classification and monthly amount for a month,
  with the inputs the payment record keeps (members, household monthly income, assets) and the
  standards snapshot. Rows made by the pure engine (an officer's review, or a household the set-based
  run hands back to it) also keep the engine's full ``snapshot``. Payments reference the row they paid
  on, so a payment's inputs and standard are never rewritten when the standards or the household
  change. A run writes a row ONLY for a household classified other than ``none`` or holding an OPEN
  grant (active or suspended): what payments, flags and officers read. A household with members and
  a standard but no row in a finished run was classified ``none`` and held no grant (the run's
  ``counts`` still count it under ``none``). NO foreign keys: the table is append-only and written
  only by the run and the engine adapter, which take every id from the rows they reference;
  migration 0005 was edited in place for this, before it was ever deployed.
- ``relief_household_facts``: one row per month and household (the key): the exact aggregates the
  set-based twin decided on (``classification_sql``) and when and by which run they were computed. A
  run UPSERTS them for the households it aggregates; a later run of the month decides the households
  unchanged since from them (``classification_reuse``) without reading persons, incomes or assets.
- ``relief_payment_run`` / ``relief_payment``: a month's payments of the open grants, one per
  household, programme and month (``uq_relief_payment``); a re-run or a crash never pays twice. NO
  foreign keys (migration 0008): the run writes every row by one INSERT … SELECT from the grant and
  assessment it names, and households, grants and assessments are never deleted; checking the keys
  row by row was three quarters of a payment run on PostgreSQL. ``basis``
  says where the amount came from: ``assessment`` (the month's re-classification confirmed the grant's
  programme) or ``grant`` (the amount the grant was decided on: the re-classification disagreed or
  has not run, so the officer decides and nothing stops silently).
- ``relief_overpayment``: a payment for a month that began after a member's death; listed for the
  officer (recovery or waiver), never deducted automatically.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable


def _bigint_id() -> sa.Column[int]:
    # BIGINT on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY.
    return sa.Column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


class ReliefStandardsSnapshot(ReliefTable, table=True):
    """The standards in force for a region on a day, as assessed (``Standards.snapshot`` JSON)."""

    __tablename__ = "relief_standards_snapshot"

    id: str = Field(primary_key=True, max_length=36)  # UUID5 of ``snapshot``
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    day: date
    dibao_monthly_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    tekun_monthly_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    snapshot: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    created_at: datetime = Field(sa_column=utc_datetime())


class ReliefClassificationRun(ReliefTable, table=True):
    """One re-classification of every household for a month; ``counts`` is JSON per classification."""

    __tablename__ = "relief_classification_run"
    __table_args__ = (sa.UniqueConstraint("period", "sequence", name="uq_relief_classification_run"),)

    id: str = Field(primary_key=True, max_length=36)
    period: str = Field(max_length=7)
    sequence: int
    started_at: datetime = Field(sa_column=utc_datetime())
    finished_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    started_by: str = Field(max_length=200)
    households: int = Field(default=0)
    # Households the set-based rules handed to the pure engine (a comparison too close to call in SQL).
    engine_households: int = Field(default=0)
    flagged: int = Field(default=0)
    counts: str = Field(default="{}", sa_column=sa.Column(sa.Text(), nullable=False))


class ReliefAssessment(ReliefTable, table=True):
    """A household's classification and monthly amount for a month, and what it rests on (append-only)."""

    __tablename__ = "relief_assessment"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "household_id", name="uq_relief_assessment_run_household"),
        sa.Index("ix_relief_assessment_household", "household_id", "period", "id"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_relief_assessment_amount"),
    )

    id: int | None = Field(default=None, sa_column=_bigint_id())
    # The classification run that made it; None for an assessment made outside a run (an officer's review).
    run_id: str | None = Field(default=None, max_length=36)
    household_id: str = Field(max_length=36)
    period: str = Field(max_length=7)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # eligibility_models.Classification
    classification: str = Field(max_length=10)
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    members: int
    # Rounded half up to the fen, for reading; the decision used the exact figure.
    household_monthly_income_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    assets_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    standards_id: str = Field(max_length=36)
    # Which rules decided: eligibility.ENGINE_VERSION, or the set-based twin's version.
    engine: str = Field(max_length=40)
    # The pure engine's full snapshot (inputs, standards, reasons) when it made the row; else None.
    snapshot: str | None = Field(default=None, sa_column=sa.Column(sa.Text(), nullable=True))
    assessed_at: datetime = Field(sa_column=utc_datetime())


class ReliefHouseholdFacts(ReliefTable, table=True):
    """A household's aggregates for a month as the set-based twin computed them (one row, upserted)."""

    __tablename__ = "relief_household_facts"

    period: str = Field(primary_key=True, max_length=7)
    household_id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # The standards snapshot whose income window and minors' age limit the aggregates were read under.
    standards_id: str = Field(max_length=36)
    members: int
    assets_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    # Rounded half up, for reading; NULL when a float fractional sum put it too close to call.
    household_monthly_income_fen: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True)
    )
    # The counted incomes over the window as Q + F, Q the integer quotients, F the fractional part
    # (kf terms, their remainders r, the single term's period p1, F as a float).
    income_q: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    income_r: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    income_kf: int
    income_p1: int | None = Field(default=None)
    income_f: float = Field(sa_column=sa.Column(sa.Float(), nullable=False))
    # 1 when every member meets the 特困 conditions other than income for the month; then
    # ``tekun_own_max`` is the largest member's own counted income, floored to the fen (own < limit
    # ⟺ floor(own) < limit for a whole-fen limit), NULL when a float put it too close to call.
    tekun_others: int
    tekun_own_max: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True))
    # The run that computed them and its clock: valid while the household has not changed since.
    run_id: str = Field(max_length=36)
    computed_at: datetime = Field(sa_column=utc_datetime())


class ReliefPaymentRun(ReliefTable, table=True):
    """One monthly payment run (the n-th of its month); ``id`` is its summary event's id."""

    __tablename__ = "relief_payment_run"
    __table_args__ = (sa.UniqueConstraint("period", "sequence", name="uq_relief_payment_run"),)

    id: str = Field(primary_key=True, max_length=36)
    period: str = Field(max_length=7)
    sequence: int
    # The classification run whose assessments it paid on (None: none finished for the month).
    classification_run_id: str | None = Field(default=None, max_length=36)
    started_at: datetime = Field(sa_column=utc_datetime())
    started_by: str = Field(max_length=200)
    finished_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    paid_count: int = Field(default=0)
    total_fen: int = Field(default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False))
    reported_count: int = Field(default=0)


# ReliefPayment.basis: what the amount was decided on.
BASIS_ASSESSMENT = "assessment"  # the month's re-classification confirmed the programme
BASIS_GRANT = "grant"  # the grant's own amount (no confirming re-classification)


class ReliefPayment(ReliefTable, table=True):
    """One month's payment of a grant to a household, with the assessment or grant it was paid on."""

    __tablename__ = "relief_payment"
    __table_args__ = (
        sa.UniqueConstraint("household_id", "programme", "period", name="uq_relief_payment"),
        sa.Index("ix_relief_payment_period_reported", "period", "reported_in"),
        sa.Index("ix_relief_payment_region_period", "region_code", "period"),
        sa.Index("ix_relief_payment_household", "household_id", "period", "id"),
        sa.CheckConstraint("amount_fen > 0", name="ck_relief_payment_amount"),
    )

    id: int | None = Field(default=None, sa_column=_bigint_id())
    household_id: str = Field(max_length=36)
    grant_id: str = Field(max_length=36)
    # application_rules.Programme
    programme: str = Field(max_length=10)
    period: str = Field(max_length=7)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    # assessment | grant (see the module docstring)
    basis: str = Field(max_length=10)
    assessment_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True))
    run_id: str = Field(max_length=36)
    # The run whose summary reports it: the paying run, or the run that took over a crashed one.
    reported_in: str | None = Field(default=None, max_length=36)
    paid_at: datetime = Field(sa_column=utc_datetime())


class ReliefOverpayment(ReliefTable, table=True):
    """A payment for a month that began after a member died: listed for recovery or waiver."""

    __tablename__ = "relief_overpayment"
    __table_args__ = (
        sa.UniqueConstraint("payment_id", name="uq_relief_overpayment_payment"),
        sa.Index("ix_relief_overpayment_household", "household_id", "status"),
        sa.Index("ix_relief_overpayment_region", "region_code", "status"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    payment_id: int = Field(
        sa_column=sa.Column(sa.BigInteger(), sa.ForeignKey("relief_payment.id"), nullable=False)
    )
    person_id: str = Field(foreign_key="person.id", max_length=36)
    died_on: date
    period: str = Field(max_length=7)
    amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    source_event_id: str = Field(max_length=200)
    found_at: datetime = Field(sa_column=utc_datetime())
    # open | recovered | waived
    status: str = Field(max_length=10)
    handled_by: str | None = Field(default=None, max_length=200)
    handled_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    handled_note: str = Field(default="", max_length=500)
