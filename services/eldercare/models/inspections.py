"""Facility safety inspections and their hazards, each tracked from found to verified (a closed loop).

Hazards copy their inspection's region and facility so the overdue list is one indexed range over
(status, rectify_by) with the region on the row, never a join. ``overdue_reported_at`` marks the hazards
whose ``hazard-overdue`` event has been staged, so the scheduled scan reports each one once.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class Inspection(EldercareTable, table=True):
    """One safety inspection (安全巡查) of a care centre, canteen or institution on a day."""

    __tablename__ = "inspection"
    __table_args__ = (
        sa.Index("ix_inspection_region", "region_code", "id"),
        sa.Index("ix_inspection_facility", "facility_kind", "facility_id", "inspected_on"),
    )

    id: str = Field(primary_key=True, max_length=36)
    facility_kind: str = Field(max_length=20)
    facility_id: str = Field(max_length=36)
    facility_name: str = Field(max_length=100)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    inspected_on: date
    inspector: str = Field(max_length=50)
    findings: str = Field(default="", max_length=2000)
    status: str = Field(max_length=10)
    closed_on: date | None = Field(default=None)
    created_at: datetime = Field(sa_column=utc_datetime())
    created_by: str = Field(max_length=200)


class Hazard(EldercareTable, table=True):
    """A hazard (隐患) found by an inspection: open → rectified → closed, with its deadline."""

    __tablename__ = "hazard"
    __table_args__ = (
        sa.Index("ix_hazard_inspection", "inspection_id"),
        # Overdue rectifications: status <> closed and rectify_by < today, within the region range.
        sa.Index("ix_hazard_status_deadline", "status", "rectify_by", "region_code"),
    )

    id: str = Field(primary_key=True, max_length=36)
    inspection_id: str = Field(foreign_key="inspection.id", max_length=36)
    position: int
    facility_kind: str = Field(max_length=20)
    facility_name: str = Field(max_length=100)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    description: str = Field(max_length=500)
    severity: str = Field(max_length=10)
    rectify_by: date
    status: str = Field(max_length=10)
    rectified_on: date | None = Field(default=None)
    rectification_note: str = Field(default="", max_length=1000)
    verified_on: date | None = Field(default=None)
    verified_by: str = Field(default="", max_length=50)
    verification_note: str = Field(default="", max_length=1000)
    overdue_reported_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    updated_at: datetime = Field(sa_column=utc_datetime())
