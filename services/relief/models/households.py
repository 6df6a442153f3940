"""Households (户), the people in them and who belonged where when (memberships with history).

A person is one row for life, keyed by the resident ID number; which household they belong to is a
``membership`` row with ``joined_on`` and ``left_on``. Moving keeps the old row (closed) and opens a
new one; a partial unique index (SQLite and PostgreSQL alike) allows one open membership per person,
so two concurrent registrations of the same person cannot both win. Age is never stored: it comes
from ``birth_date`` (read from the ID number) and the day asked about.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.kit.columns import region_code_type, utc_datetime
from services.relief.models.base import ReliefTable


class Household(ReliefTable, table=True):
    """One household: the village it lives in and its address."""

    __tablename__ = "household"
    # Listing and paging by region (keyset region_code, id); the households whose facts changed since a
    # classification run (every write of a member, a person's facts, an income or an asset moves
    # ``updated_at`` on: classification_reuse).
    __table_args__ = (
        sa.Index("ix_household_region", "region_code", "id"),
        sa.Index("ix_household_updated", "updated_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    address: str = Field(default="", max_length=200)
    registered_at: datetime = Field(sa_column=utc_datetime())
    registered_by: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=utc_datetime())


class Person(ReliefTable, table=True):
    """One person as relief knows them: identity, disability, labour capacity and employment."""

    __tablename__ = "person"
    __table_args__ = (sa.UniqueConstraint("id_number", name="uq_person_id_number"),)

    id: str = Field(primary_key=True, max_length=36)
    id_number: str = Field(max_length=18)
    name: str = Field(max_length=50)
    sex: str = Field(max_length=1)
    birth_date: date
    # 残疾等级 1–4 (1 and 2 severe); None: no disability recorded.
    disability_grade: int | None = Field(default=None)
    # eligibility_models.LabourCapacity
    labour_capacity: str = Field(max_length=10)
    employed: bool = Field(default=False)
    deceased_on: date | None = Field(default=None)
    registered_at: datetime = Field(sa_column=utc_datetime())
    updated_at: datetime = Field(sa_column=utc_datetime())


class Membership(ReliefTable, table=True):
    """A person's time in one household: relation to the head, from ``joined_on`` to ``left_on``."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.Index("ix_membership_household", "household_id", "left_on"),
        sa.Index("ix_membership_person", "person_id", "joined_on"),
        # One household at a time: at most one open membership per person.
        sa.Index(
            "uq_membership_open_person",
            "person_id",
            unique=True,
            sqlite_where=sa.text("left_on IS NULL"),
            postgresql_where=sa.text("left_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    household_id: str = Field(foreign_key="household.id", max_length=36)
    person_id: str = Field(foreign_key="person.id", max_length=36)
    # eligibility_models.Relation
    relation: str = Field(max_length=12)
    joined_on: date
    left_on: date | None = Field(default=None)
    # left | died | moved | other (None while open)
    left_reason: str | None = Field(default=None, max_length=10)
    left_note: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(sa_column=utc_datetime())
    recorded_by: str = Field(max_length=200)
    # When the leaving was recorded (None while open, and for rows closed before migration 0009): a
    # classification made before it still counted the member (overpayments.list_for_payments).
    left_recorded_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))


class PersonIdentityDigest(ReliefTable, table=True):
    """A person's ID-number digest under one key (kit.iddigest): how relief's events name members."""

    __tablename__ = "person_identity_digest"
    __table_args__ = (sa.UniqueConstraint("key_id", "digest", name="uq_person_identity_digest"),)

    person_id: str = Field(foreign_key="person.id", primary_key=True, max_length=36)
    key_id: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)


class DigestKeyState(ReliefTable, table=True):
    """A digest key under which EVERY person has a digest (the sync job finished): events naming people
    by a digest under it can be trusted to match or not. Until then (a key rotation under way) an event
    whose digest matches nobody is retried rather than taken as "not one of ours"."""

    __tablename__ = "digest_key_state"

    key_id: str = Field(primary_key=True, max_length=16)
    completed_at: datetime = Field(sa_column=utc_datetime())
