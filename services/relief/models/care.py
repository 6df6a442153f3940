"""Care of relief households (探访关爱, 幸福清单): visits, list items, the visit clock, overdue notices.

``relief_care_clock`` is the household's visit clock for the set-based overdue scan (``kit.visits``):
one row per household holding a programme, ``visit_anchor_on = max(last_visit_on, enrolled_on)``,
indexed by programme (each has its own cadence) and anchor. It is kept in step with the grants by the
scan (``care_overdue.sync_clocks``) and moved forward by each visit. Overdue itself is never stored.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable


class ReliefVisit(ReliefTable, table=True):
    """One care visit to a household: when, by whom (and for which region), what was found and needed."""

    __tablename__ = "relief_visit"
    __table_args__ = (
        sa.Index("ix_relief_visit_household", "household_id", "visited_on", "id"),
        sa.Index("ix_relief_visit_region", "region_code", "visited_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    visited_on: date
    visitor_name: str = Field(max_length=50)
    # The town or village the visitor works for; the household lives inside it.
    visitor_region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    findings: str = Field(default="", max_length=1000)
    needs: str = Field(default="", max_length=1000)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ReliefListItem(ReliefTable, table=True):
    """One service of the happiness list (幸福清单) delivered to a household: what, when, by whom."""

    __tablename__ = "relief_list_item"
    __table_args__ = (
        sa.Index("ix_relief_list_item_household", "household_id", "delivered_on", "id"),
        sa.Index("ix_relief_list_item_region", "region_code", "delivered_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # care_rules.ListItemKind
    kind: str = Field(max_length=12)
    delivered_on: date
    # Who delivered it (a person or organisation), as given.
    delivered_by: str = Field(max_length=50)
    note: str = Field(default="", max_length=1000)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ReliefCareClock(ReliefTable, table=True):
    """A household's visit clock while it holds a programme: since when, last visit, and the anchor."""

    __tablename__ = "relief_care_clock"
    __table_args__ = (
        sa.Index("ix_relief_care_clock_anchor", "programme", "visit_anchor_on", "household_id"),
    )

    household_id: str = Field(foreign_key="household.id", primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # The programme whose cadence applies (the strictest the household holds).
    programme: str = Field(max_length=10)
    # The start of its earliest open grant: a first visit is due one cadence after it.
    enrolled_on: date
    last_visit_on: date | None = Field(default=None)
    visit_anchor_on: date
    updated_at: datetime = Field(sa_column=utc_datetime())


class ReliefOverdueNotice(ReliefTable, table=True):
    """A household-visit-overdue event that was staged: one per household, overdue period and level.

    A record of what was announced, not a status (as eldercare's ``elder_overdue_notice``): it outlives
    the outbox row, so a later scan knows the period and level were announced. ``id`` is the event id.
    """

    __tablename__ = "relief_overdue_notice"
    __table_args__ = (sa.Index("ix_relief_overdue_notice_household", "household_id", "anchor_on", "level"),)

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    period: str = Field(max_length=10)
    level: str = Field(max_length=10)
    anchor_on: date
    due_on: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    notified_at: datetime = Field(sa_column=utc_datetime())
