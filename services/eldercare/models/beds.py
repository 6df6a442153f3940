"""Institutions, beds and the history of who held which bed.

Every row that belongs somewhere carries its region code (beds copy their institution's), indexed,
so region scoping is a range scan on the row itself and never a join (DESIGN §6, dhis2-core #23492).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class Institution(EldercareTable, table=True):
    """An eldercare institution: public, private or a rural 五保 centre, in one town or village."""

    __tablename__ = "institution"
    __table_args__ = (
        # Also the region_code index: region_code leads it.
        sa.UniqueConstraint("region_code", "name", name="uq_institution_region_name"),
        sa.Index("ix_institution_created", "created_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    star_rating: int = Field(default=0)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class Bed(EldercareTable, table=True):
    """One bed and, when occupied, who holds it (an elder holds at most one bed anywhere)."""

    __tablename__ = "bed"
    __table_args__ = (
        # Also the institution_id index (ListBeds: institution_id IN (...) ORDER BY institution_id, label).
        sa.UniqueConstraint("institution_id", "label", name="uq_bed_institution_label"),
        # Occupancy: range on region_code, GROUP BY type, count by status, all from the index.
        sa.Index("ix_bed_region_type_status", "region_code", "type", "status"),
        # One bed per elder, enforced by the database so two concurrent assignments cannot both win.
        sa.Index(
            "uq_bed_occupant",
            "occupant_id_number",
            unique=True,
            sqlite_where=sa.text("occupant_id_number IS NOT NULL"),
            postgresql_where=sa.text("occupant_id_number IS NOT NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    institution_id: str = Field(foreign_key="institution.id", max_length=36)
    label: str = Field(max_length=40)
    type: str = Field(max_length=20)
    status: str = Field(max_length=20)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    occupant_id_number: str | None = Field(default=None, max_length=18)
    occupant_name: str | None = Field(default=None, max_length=50)
    assigned_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    created_at: datetime = Field(sa_column=utc_datetime())


class BedAssignment(EldercareTable, table=True):
    """One stay: an elder took a bed and (once released_at is set) left it, and why."""

    __tablename__ = "bed_assignment"
    __table_args__ = (
        sa.Index("ix_bed_assignment_bed", "bed_id", "assigned_at"),
        sa.Index("ix_bed_assignment_elder", "elder_id_number", "assigned_at"),
        # At most one open stay per bed and per elder (a second guard besides uq_bed_occupant).
        sa.Index(
            "uq_bed_assignment_open_bed",
            "bed_id",
            unique=True,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        ),
        sa.Index(
            "uq_bed_assignment_open_elder",
            "elder_id_number",
            unique=True,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    bed_id: str = Field(foreign_key="bed.id", max_length=36)
    institution_id: str = Field(max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    elder_id_number: str = Field(max_length=18)
    elder_name: str = Field(max_length=50)
    assigned_at: datetime = Field(sa_column=utc_datetime())
    assigned_by: str = Field(max_length=200)
    released_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    released_by: str | None = Field(default=None, max_length=200)
    release_reason: str | None = Field(default=None, max_length=200)
