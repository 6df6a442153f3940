"""Assistance grants: a household holding a programme (特困 / 低保 / 低边) from a day.

The table is named ``assistance_grant`` (GRANT is an SQL keyword). It is what payments (issue 6 item 5)
read, so it stays general: one row per household and programme for as long as the household holds it,
whichever way it came (an approved application today; a migration or re-classification later).

- ``status``: active → suspended → terminated (or active → terminated). Active and suspended grants
  are OPEN: a partial unique index allows one open grant per household and programme (SQLite and
  PostgreSQL alike), so two approvals racing each other cannot both grant. A terminated grant stays
  for the record; the household may be granted the programme again later (a new row).
- ``effective_from``: the first day the household holds the programme. ``suspended_from`` and
  ``ended_on`` are the FIRST day without it (the day a payment run stops paying; what the
  ``-suspended`` / ``-terminated`` events call ``effective_from``); ``status_reason`` says why.
- ``monthly_amount_fen`` and ``assessment_snapshot``: the amount and the engine's snapshot the grant
  was decided on. A payment run re-assesses each month and records its own snapshot (standards change).
- ``recheck_due_on``: when the household is next re-checked (``application_rules.recheck_due_on``).
- ``region_code``: the household's village at the time of the grant, denormalised for region scoping.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable

OPEN_GRANT = "status IN ('active', 'suspended')"


class AssistanceGrant(ReliefTable, table=True):
    """A household holding a programme from a day: status, amount, and the decision it rests on."""

    __tablename__ = "assistance_grant"
    __table_args__ = (
        sa.Index("ix_assistance_grant_region", "region_code", "programme", "status"),
        sa.Index("ix_assistance_grant_household", "household_id", "effective_from"),
        # The re-check worklist: open grants by due day.
        sa.Index("ix_assistance_grant_recheck", "status", "recheck_due_on"),
        sa.Index(
            "uq_assistance_grant_open",
            "household_id",
            "programme",
            unique=True,
            sqlite_where=sa.text(OPEN_GRANT),
            postgresql_where=sa.text(OPEN_GRANT),
        ),
        sa.CheckConstraint("monthly_amount_fen >= 0", name="ck_assistance_grant_amount"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # application_rules.Programme
    programme: str = Field(max_length=10)
    # application_rules.GrantStatus
    status: str = Field(max_length=10)
    effective_from: date
    suspended_from: date | None = Field(default=None)
    ended_on: date | None = Field(default=None)
    status_reason: str = Field(default="", max_length=500)
    monthly_amount_fen: int = Field(sa_column=sa.Column(sa.BigInteger(), nullable=False))
    assessment_snapshot: str = Field(sa_column=sa.Column(sa.Text(), nullable=False))
    application_id: str | None = Field(default=None, foreign_key="relief_application.id", max_length=36)
    recheck_due_on: date
    granted_by: str = Field(max_length=200)
    granted_at: datetime = Field(sa_column=utc_datetime())
    updated_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())
