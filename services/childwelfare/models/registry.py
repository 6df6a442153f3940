"""The registry: children (one file each), category history, guardians, the network, visits, notices.

Every row that belongs somewhere carries its village's region code, indexed, so region scoping is a
range scan on the row itself and never a join (DESIGN §6, dhis2-core #23492). Overdue is never stored:
``child.visit_anchor_on`` (the later of the last visit and the start of the current category) and the
category's cadence decide it at query time, so the overdue scan is one indexed range per category.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.childwelfare.models.base import ChildWelfareTable
from services.kit.columns import region_code_type, utc_datetime


class Child(ChildWelfareTable, table=True):
    """One child's file (一人一档): who, where, the current category and the visit clock."""

    __tablename__ = "child"
    __table_args__ = (
        sa.UniqueConstraint("id_number", name="uq_child_id_number"),
        # Listing and paging by region (keyset region_code, id); compliance groups by region_code.
        sa.Index("ix_child_region", "region_code", "id"),
        # The overdue scan: per visit category, anchors before a cutoff (district-wide or in a region).
        sa.Index("ix_child_category_anchor_id", "category", "visit_anchor_on", "id"),
        sa.Index("ix_child_region_category_anchor", "region_code", "category", "visit_anchor_on"),
        # Counting a region's overdue children: one range per visit category, birth date covered (0011).
        sa.Index(
            "ix_child_category_region_anchor_birth",
            "category",
            "region_code",
            "visit_anchor_on",
            "birth_date",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    sex: str = Field(max_length=1)
    birth_date: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    category: str = Field(max_length=40)
    category_since: date
    last_visit_on: date | None = Field(default=None)
    visit_anchor_on: date
    registered_at: datetime = Field(sa_column=utc_datetime())
    registered_by: str = Field(max_length=200)


class CategoryPeriod(ChildWelfareTable, table=True):
    """A span of time a child was in one category; the open one (no effective_to) is current."""

    __tablename__ = "category_period"
    __table_args__ = (
        sa.Index("ix_category_period_child", "child_id", "effective_from"),
        # Per category, the periods in force on a day, from the index alone (the allowance run, the
        # indicators); walked in child-id order for the allowance run's chunks (migration 0008).
        sa.Index(
            "ix_category_period_category_child_from_to",
            "category",
            "child_id",
            "effective_from",
            "effective_to",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    category: str = Field(max_length=40)
    effective_from: date
    effective_to: date | None = Field(default=None)
    reason: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class Guardian(ChildWelfareTable, table=True):
    """Someone responsible for a child, and how to reach them."""

    __tablename__ = "guardian"
    __table_args__ = (sa.Index("ix_guardian_child", "child_id", "position"),)

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    position: int
    name: str = Field(max_length=50)
    relation: str = Field(max_length=20)
    contact: str = Field(default="", max_length=50)
    is_primary: bool = Field(default=False)


class NetworkMember(ChildWelfareTable, table=True):
    """A tenure of a town supervisor or village child director; ended tenures stay as history."""

    __tablename__ = "network_member"
    __table_args__ = (
        sa.Index("ix_network_member_region", "region_code", "role"),
        sa.Index("ix_network_member_subject", "subject", "role"),
        # One current member per region (a town's supervisor, a village's director), enforced by the
        # database so two concurrent assignments cannot both win.
        sa.Index(
            "uq_network_member_current",
            "region_code",
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    role: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    name: str = Field(max_length=50)
    contact: str = Field(default="", max_length=50)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    assigned_on: date
    ended_on: date | None = Field(default=None)
    assigned_by: str = Field(max_length=200)


class Visit(ChildWelfareTable, table=True):
    """One home visit and what the visitor found."""

    __tablename__ = "visit"
    __table_args__ = (
        sa.Index("ix_visit_child_on", "child_id", "visited_on"),
        sa.Index("ix_visit_region_on", "region_code", "visited_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    visited_on: date
    visited_by: str = Field(max_length=200)
    living_conditions: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    schooling: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    guardianship: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    risk_level: str = Field(max_length=10)
    notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    recorded_at: datetime = Field(sa_column=utc_datetime())


class OverdueNotice(ChildWelfareTable, table=True):
    """A child-visit-overdue event that was staged: one per child, overdue period and escalation level.

    A record of what was announced, not a status: whether a child is overdue is still computed from
    ``child.visit_anchor_on``. It outlives the outbox row (pruned a few days after publishing), so a
    scan weeks later still knows the period and level were announced. ``id`` is the event id.
    """

    __tablename__ = "overdue_notice"
    __table_args__ = (sa.Index("ix_overdue_notice_child", "child_id", "anchor_on", "level"),)

    id: str = Field(primary_key=True, max_length=36)
    # No foreign key (migration 0010): written only by the scan, for the child row it has just read.
    child_id: str = Field(max_length=36)
    period: str = Field(max_length=10)
    level: str = Field(max_length=10)
    anchor_on: date
    due_on: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    notified_at: datetime = Field(sa_column=utc_datetime())
