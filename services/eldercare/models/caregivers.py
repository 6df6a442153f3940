"""Certified elderly-care workers (持证养老护理员): certificate, level, employer and where they work."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class Caregiver(EldercareTable, table=True):
    """One certified caregiver; ``left_on`` set once they leave (the row stays for the history)."""

    __tablename__ = "caregiver"
    __table_args__ = (
        sa.UniqueConstraint("certificate_number", name="uq_caregiver_certificate"),
        # Listing by region (keyset region_code, id) and counting active ones per level in a region.
        sa.Index("ix_caregiver_region", "region_code", "id"),
        sa.Index("ix_caregiver_active_level", "active", "region_code", "level"),
    )

    id: str = Field(primary_key=True, max_length=36)
    certificate_number: str = Field(max_length=40)
    name: str = Field(max_length=50)
    level: str = Field(max_length=20)
    certified_on: date
    employer_institution_id: str | None = Field(default=None, foreign_key="institution.id", max_length=36)
    employer_name: str = Field(max_length=100)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    active: bool = Field(default=True)
    left_on: date | None = Field(default=None)
    left_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
