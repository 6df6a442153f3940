"""Household flags: what proactive discovery (主动发现) found, as a worklist officers close.

One row per source event (``uq_household_flag_source``), so an event applied twice flags once. A flag
is ``open`` until an officer handles it (who, when, a note). ``region_code`` is the household's
village, on the row for region scoping (a prefix range on the index, never a join); the worklist
reads open flags oldest first, by ``(status, raised_at, id)``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable


class HouseholdFlag(ReliefTable, table=True):
    """A household flagged by discovery: the fact, the flag, the reason, and how it was handled."""

    __tablename__ = "household_flag"
    __table_args__ = (
        sa.UniqueConstraint("source_event_id", name="uq_household_flag_source"),
        sa.Index("ix_household_flag_worklist", "status", "raised_at", "id"),
        sa.Index("ix_household_flag_region", "region_code", "status"),
        sa.Index("ix_household_flag_household", "household_id", "status"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # discovery_rules.FlagKind
    kind: str = Field(max_length=16)
    # discovery_rules.Fact
    fact: str = Field(max_length=32)
    # The member the fact is about (None when unknown).
    person_id: str | None = Field(default=None, foreign_key="person.id", max_length=36)
    reason: str = Field(max_length=500)
    source_event_id: str = Field(max_length=200)
    source_type: str = Field(max_length=200)
    raised_at: datetime = Field(sa_column=utc_datetime())
    # discovery_rules.FlagStatus
    status: str = Field(max_length=10)
    handled_by: str | None = Field(default=None, max_length=200)
    handled_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    handled_note: str = Field(default="", max_length=500)
