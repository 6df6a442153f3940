"""Services attached to family-care beds (家庭养老照护床位): what is delivered in the elder's home, how often.

A row copies its bed's region code, indexed, so region scoping is a range scan on the row itself. At
most one service of a kind runs on a bed at a time, enforced by the database (a partial unique index
over the rows not yet ended), so two concurrent attachments cannot both win.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class FamilyCareService(EldercareTable, table=True):
    """One service attached to a family-care bed; ``ended_on`` set once it stops (the row stays)."""

    __tablename__ = "family_care_service"
    __table_args__ = (
        # Listing by bed (bed_id IN (...) ORDER BY bed_id, kind, started_on).
        sa.Index("ix_family_care_service_bed", "bed_id", "kind", "started_on"),
        sa.Index("ix_family_care_service_region", "region_code", "id"),
        sa.Index(
            "uq_family_care_service_running",
            "bed_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    bed_id: str = Field(foreign_key="bed.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    kind: str = Field(max_length=30)
    provider: str = Field(max_length=100)
    times: int
    period: str = Field(max_length=10)
    started_on: date
    ended_on: date | None = Field(default=None)
    end_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)
