"""Home safety (安居守护): devices in elders' homes, the alarms they raise, their steps and escalations.

Devices and alarms copy the elder's region code so region scoping is a range scan on the row itself.
An alarm stores the times its escalation levels fall due (fixed by the policy in force when it was
raised) and the next one still pending, so the escalation scan is one indexed range, never a policy
computation per row.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.eldercare.models.base import EldercareTable
from services.kit.columns import region_code_type, utc_datetime


class SafetyDevice(EldercareTable, table=True):
    """One device installed in an elder's home; ``last_seen_at`` is the later of install and heartbeat."""

    __tablename__ = "safety_device"
    __table_args__ = (
        # A vendor's serial names one installed device; a removed one may be installed again later.
        sa.Index(
            "uq_safety_device_serial_installed",
            "vendor",
            "serial",
            unique=True,
            sqlite_where=sa.text("status <> 'removed'"),
            postgresql_where=sa.text("status <> 'removed'"),
        ),
        sa.Index("ix_safety_device_serial", "vendor", "serial"),
        sa.Index("ix_safety_device_region", "region_code", "created_at", "id"),
        sa.Index("ix_safety_device_elder", "elder_id"),
        # The offline scan: active devices of one kind not seen since a cutoff.
        sa.Index("ix_safety_device_watch", "status", "kind", "last_seen_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    elder_id: str = Field(foreign_key="elder.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    kind: str = Field(max_length=20)
    vendor: str = Field(max_length=40)
    serial: str = Field(max_length=64)
    status: str = Field(max_length=20)
    installed_on: date
    installed_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime())
    last_seen_at: datetime = Field(sa_column=utc_datetime())
    last_heartbeat_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    offline_since: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    removed_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    removed_by: str | None = Field(default=None, max_length=200)
    removal_reason: str | None = Field(default=None, max_length=200)


class SafetyAlarm(EldercareTable, table=True):
    """One alarm a device raised, where it stands in its lifecycle, and its escalation schedule."""

    __tablename__ = "safety_alarm"
    __table_args__ = (
        # Idempotent ingestion: a vendor's alarm id is stored once.
        sa.UniqueConstraint("vendor", "vendor_alarm_id", name="uq_safety_alarm_vendor_id"),
        # The escalation scan: raised alarms whose next level is due.
        sa.Index("ix_safety_alarm_escalation", "status", "next_escalation_at"),
        # Listing newest first within regions (and by status).
        sa.Index("ix_safety_alarm_region", "region_code", "received_at", "id"),
        sa.Index("ix_safety_alarm_status", "status", "received_at", "id"),
        # An elder's newest alarms (a page of elders reads them in one batch).
        sa.Index("ix_safety_alarm_elder", "elder_id", "received_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    vendor: str = Field(max_length=40)
    vendor_alarm_id: str = Field(max_length=100)
    device_id: str = Field(foreign_key="safety_device.id", max_length=36)
    elder_id: str = Field(max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    device_kind: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    occurred_at: datetime = Field(sa_column=utc_datetime())
    received_at: datetime = Field(sa_column=utc_datetime())
    detail: str = Field(default="", max_length=500)
    # Fixed at ingestion from the policy then in force (safety_rules.EscalationRule).
    town_escalation_at: datetime = Field(sa_column=utc_datetime())
    district_escalation_at: datetime = Field(sa_column=utc_datetime())
    # The next level's due time while raised; NULL once acknowledged or fully escalated.
    next_escalation_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    escalation_level: int = Field(default=0)
    escalated_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    acknowledged_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    dispatch_target: str | None = Field(default=None, max_length=20)
    resolved_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    outcome: str | None = Field(default=None, max_length=20)
    step_count: int = Field(default=1)


class SafetyAlarmStep(EldercareTable, table=True):
    """One step of an alarm's lifecycle: who moved it from which status to which, when, and why."""

    __tablename__ = "safety_alarm_step"
    __table_args__ = (sa.UniqueConstraint("alarm_id", "sequence", name="uq_safety_alarm_step_sequence"),)

    id: str = Field(primary_key=True, max_length=36)
    alarm_id: str = Field(foreign_key="safety_alarm.id", max_length=36)
    sequence: int
    action: str = Field(max_length=20)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_column=utc_datetime())
    note: str = Field(default="", max_length=1000)
    dispatch_target: str | None = Field(default=None, max_length=20)
    outcome: str | None = Field(default=None, max_length=20)


class SafetyAlarmEscalation(EldercareTable, table=True):
    """An escalation announced: at most one per alarm and level; ``id`` is the event's id."""

    __tablename__ = "safety_alarm_escalation"
    __table_args__ = (sa.UniqueConstraint("alarm_id", "level", name="uq_safety_alarm_escalation_level"),)

    id: str = Field(primary_key=True, max_length=36)
    alarm_id: str = Field(foreign_key="safety_alarm.id", max_length=36)
    level: int
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    due_at: datetime = Field(sa_column=utc_datetime())
    escalated_at: datetime = Field(sa_column=utc_datetime())
