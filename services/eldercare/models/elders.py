"""Elders (one file per person, keyed by the resident ID number), their contacts and capability assessments.

An elder's age is never stored: it comes from ``birth_date`` (read from the ID number) and the day
asked about. ``capability_level`` repeats the latest assessment's level so that set-based rules (the
e-voucher run at a million elders) read it from the row instead of joining the assessment history.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class Elder(EldercareTable, table=True):
    """One elder: who, where, how they live, and (once assessed) their current capability level."""

    __tablename__ = "elder"
    __table_args__ = (
        sa.UniqueConstraint("id_number", name="uq_elder_id_number"),
        # Listing and paging by region (keyset region_code, id).
        sa.Index("ix_elder_region", "region_code", "id"),
        # Allowance runs: who reaches an age tier by a day is a range on birth_date.
        sa.Index("ix_elder_birth", "birth_date", "id"),
        # The overdue scan: a range on the visit clock (NULL for elders outside the programme).
        sa.Index("ix_elder_visit_anchor", "visit_anchor_on", "id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    sex: str = Field(max_length=1)
    birth_date: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    # alone (独居) | empty_nest (空巢) | with_family | in_institution
    living_arrangement: str = Field(max_length=20)
    # 孤寡: widowed or never married, without children.
    widowed_childless: bool = Field(default=False)
    # 留守老人: children work away from home.
    left_behind: bool = Field(default=False)
    # 计划生育特殊家庭: the only child died or is disabled.
    special_family: bool = Field(default=False)
    phone: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=200)
    # The latest capability assessment's level (elder_rules.CapabilityLevel), None until assessed.
    capability_level: str | None = Field(default=None, max_length=20)
    capability_assessed_on: date | None = Field(default=None)
    deceased_on: date | None = Field(default=None)
    # The monthly-visit clock (elder_rules.visit_clock): the day the elder last became vulnerable (None
    # while not vulnerable), the last visit, and the day the cadence counts from (the later of the two).
    # Overdue is never stored: it is "visit_anchor_on < kit.visits.overdue_cutoff(today)" at query time.
    vulnerable_since: date | None = Field(default=None)
    last_visit_on: date | None = Field(default=None)
    visit_anchor_on: date | None = Field(default=None)
    registered_at: datetime = Field(sa_column=utc_datetime())
    registered_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())


class ElderContact(EldercareTable, table=True):
    """Someone to call about an elder (family, neighbour, grid worker), in the order to call them."""

    __tablename__ = "elder_contact"
    __table_args__ = (sa.Index("ix_elder_contact_elder", "elder_id", "priority"),)

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    name: str = Field(max_length=50)
    relation: str = Field(max_length=20)
    phone: str = Field(max_length=20)
    priority: int = Field(default=1)


class CapabilityAssessment(EldercareTable, table=True):
    """One 老年人能力评估: a level on a date by an assessor; the history is kept, the latest counts."""

    __tablename__ = "capability_assessment"
    __table_args__ = (sa.Index("ix_capability_assessment_elder", "elder_id", "assessed_on"),)

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    level: str = Field(max_length=20)
    assessed_on: date
    assessor: str = Field(max_length=50)
    organisation: str = Field(default="", max_length=100)
    notes: str = Field(default="", max_length=1000)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ElderVisit(EldercareTable, table=True):
    """One home visit to an elder: when, by whom (and for which region), what was found."""

    __tablename__ = "elder_visit"
    __table_args__ = (
        sa.Index("ix_elder_visit_elder", "elder_id", "visited_on", "id"),
        sa.Index("ix_elder_visit_region", "region_code", "visited_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    visited_on: date
    visitor_name: str = Field(max_length=50)
    # The town or village the visitor works for; the elder lives inside it.
    visitor_region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    findings: str = Field(default="", max_length=1000)
    # elder_rules.RiskLevel
    risk_level: str = Field(max_length=10)
    notes: str = Field(default="", max_length=1000)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ElderOverdueNotice(EldercareTable, table=True):
    """An elder-visit-overdue event that was staged: one per elder, overdue period and escalation level.

    A record of what was announced, not a status: whether an elder is overdue is still computed from
    ``elder.visit_anchor_on``. It outlives the outbox row (pruned days after publishing), so a later
    scan still knows the period and level were announced. ``id`` is the (deterministic) event id.
    """

    __tablename__ = "elder_overdue_notice"
    __table_args__ = (sa.Index("ix_elder_overdue_notice_elder", "elder_id", "anchor_on", "level"),)

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    period: str = Field(max_length=10)
    level: str = Field(max_length=10)
    anchor_on: date
    due_on: date
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    notified_at: datetime = Field(sa_column=utc_datetime())
