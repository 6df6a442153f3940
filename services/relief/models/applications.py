"""Relief applications (一件事) and their step history.

An application belongs to a household and carries the household's village (denormalised, so region
scoping is a range scan on the row). ``items`` holds the item codes asked for, comma-separated in the
order given (``relief_items.yaml``). The assessment taken at review is kept whole as JSON
(``assessment_snapshot``: the engine's inputs, standards and result), with its classification and
amount in columns so approval and listings need not parse it. ``step_count`` guards every change: a
step is an UPDATE that only succeeds while the count is what was read, so of two officers acting at
once one is refused. Every step, the submission included, is a row of ``relief_application_step``.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable


class ReliefApplication(ReliefTable, table=True):
    """One application of a household for one or more relief items, and where it stands."""

    __tablename__ = "relief_application"
    __table_args__ = (
        # Listing newest first inside regions (keyset submitted_at, id) and a household's applications.
        sa.Index("ix_relief_application_region", "region_code", "submitted_at", "id"),
        sa.Index("ix_relief_application_household", "household_id", "submitted_at"),
        sa.Index("ix_relief_application_state", "state", "region_code"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    items: str = Field(max_length=400)
    # application_rules.ApplicationState
    state: str = Field(max_length=10)
    step_count: int
    note: str = Field(default="", max_length=500)
    # 守信承诺: who signed (the applicant's name) and when. Required to submit and to approve.
    commitment_signed_by: str | None = Field(default=None, max_length=50)
    commitment_signed_on: date | None = Field(default=None)
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = Field(sa_column=utc_datetime())
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    # The assessment taken at review: month (YYYY-MM), classification, monthly amount, whole snapshot.
    assessment_month: str | None = Field(default=None, max_length=7)
    assessment_classification: str | None = Field(default=None, max_length=10)
    assessment_amount_fen: int | None = Field(
        default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True)
    )
    assessment_snapshot: str | None = Field(default=None, sa_column=sa.Column(sa.Text(), nullable=True))
    # The latest decision (approval, rejection, appeal decision, withdrawal): who, when, why.
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    rejected_by: str | None = Field(default=None, max_length=200)
    reason: str = Field(default="", max_length=500)
    appealed_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    appeal_reason: str = Field(default="", max_length=500)
    updated_at: datetime = Field(sa_column=utc_datetime())


class ReliefApplicationStep(ReliefTable, table=True):
    """One step of an application: the action, the states before and after, who, when and why."""

    __tablename__ = "relief_application_step"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "sequence", name="uq_relief_application_step_sequence"),
    )

    id: str = Field(primary_key=True, max_length=36)
    application_id: str = Field(foreign_key="relief_application.id", max_length=36)
    sequence: int
    # application_rules.Action
    action: str = Field(max_length=16)
    from_state: str | None = Field(default=None, max_length=10)
    to_state: str = Field(max_length=10)
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_column=utc_datetime())
    note: str = Field(default="", max_length=500)
