"""Adoption registrations, children's homes and town protection stations (migration 0005)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.childwelfare.models.base import ChildWelfareTable
from services.kit.columns import region_code_type, utc_datetime


class AdoptionRegistration(ChildWelfareTable, table=True):
    """One adoption (收养登记) from application through assessment (收养评估) to registration or not.

    District-level and sensitive: no events are published about it. ``child_id`` links a registered
    child's file when there is one; the child's ID number is kept either way (shown masked unless the
    role may see it). ``status`` moves applied → assessed → registered / refused, or to withdrawn.
    """

    __tablename__ = "adoption_registration"
    __table_args__ = (
        sa.Index("ix_adoption_registration_region", "region_code", "id"),
        sa.Index("ix_adoption_registration_status_region", "status", "region_code", "id"),
        sa.UniqueConstraint("certificate_number", name="uq_adoption_registration_certificate"),
        # One live adoption per child: an open application or a completed registration blocks another.
        sa.Index(
            "uq_adoption_registration_child_live",
            "child_id_number",
            unique=True,
            sqlite_where=sa.text("status IN ('applied', 'assessed', 'registered')"),
            postgresql_where=sa.text("status IN ('applied', 'assessed', 'registered')"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    child_id: str | None = Field(default=None, foreign_key="child.id", max_length=36)
    child_id_number: str = Field(max_length=18)
    child_name: str = Field(max_length=50)
    child_birth_date: date
    child_sex: str = Field(max_length=1)
    applied_on: date
    status: str = Field(max_length=12)
    assessment_result: str | None = Field(default=None, max_length=12)
    assessed_on: date | None = Field(default=None)
    assessed_by: str | None = Field(default=None, max_length=100)
    assessment_notes: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    decided_on: date | None = Field(default=None)
    certificate_number: str | None = Field(default=None, max_length=40)
    decision_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())


class Adopter(ChildWelfareTable, table=True):
    """One of the (one or two) adopters of an adoption registration, and how they relate to the child."""

    __tablename__ = "adopter"
    __table_args__ = (sa.Index("ix_adopter_adoption", "adoption_id", "position"),)

    id: str = Field(primary_key=True, max_length=36)
    adoption_id: str = Field(foreign_key="adoption_registration.id", max_length=36)
    position: int
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    sex: str = Field(max_length=1)
    birth_date: date
    relation: str = Field(max_length=20)


class ChildrenHome(ChildWelfareTable, table=True):
    """A village's children's home (儿童之家); its current level is denormalised from the level history.

    Closed homes stay (``closed_on``); at most one open home per village, enforced by the database.
    """

    __tablename__ = "children_home"
    __table_args__ = (
        sa.Index("ix_children_home_region", "region_code", "id"),
        sa.Index(
            "uq_children_home_open",
            "region_code",
            unique=True,
            sqlite_where=sa.text("closed_on IS NULL"),
            postgresql_where=sa.text("closed_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    name: str = Field(max_length=100)
    level: str = Field(max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    opened_on: date
    closed_on: date | None = Field(default=None)
    close_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class ChildrenHomeLevel(ChildWelfareTable, table=True):
    """A span during which a children's home held one level (and tier); the open one is current."""

    __tablename__ = "children_home_level"
    __table_args__ = (sa.Index("ix_children_home_level_home", "home_id", "effective_from"),)

    id: str = Field(primary_key=True, max_length=36)
    home_id: str = Field(foreign_key="children_home.id", max_length=36)
    level: str = Field(max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    effective_from: date
    effective_to: date | None = Field(default=None)
    reason: str = Field(default="", max_length=200)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)


class ProtectionStation(ChildWelfareTable, table=True):
    """A town's minors' protection station (未成年人保护工作站): one per town."""

    __tablename__ = "protection_station"
    __table_args__ = (sa.UniqueConstraint("region_code", name="uq_protection_station_town"),)

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    name: str = Field(max_length=100)
    opened_on: date
    staff_count: int
    contact: str = Field(default="", max_length=50)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
