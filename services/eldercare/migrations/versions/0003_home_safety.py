"""Home safety: devices, heartbeats, alarms and their lifecycle.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the safety_device, safety_alarm, safety_alarm_step and safety_alarm_escalation tables."""
    region = sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")
    op.create_table(
        "safety_device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("elder_id", sa.String(36), sa.ForeignKey("elder.id"), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("vendor", sa.String(40), nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("installed_on", sa.Date(), nullable=False),
        sa.Column("installed_by", sa.String(200), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("last_heartbeat_at", nullable=True),
        _when("offline_since", nullable=True),
        _when("removed_at", nullable=True),
        sa.Column("removed_by", sa.String(200), nullable=True),
        sa.Column("removal_reason", sa.String(200), nullable=True),
    )
    op.create_index(
        "uq_safety_device_serial_installed",
        "safety_device",
        ["vendor", "serial"],
        unique=True,
        sqlite_where=sa.text("status <> 'removed'"),
        postgresql_where=sa.text("status <> 'removed'"),
    )
    op.create_index("ix_safety_device_serial", "safety_device", ["vendor", "serial"])
    op.create_index("ix_safety_device_region", "safety_device", ["region_code", "created_at", "id"])
    op.create_index("ix_safety_device_elder", "safety_device", ["elder_id"])
    op.create_index("ix_safety_device_watch", "safety_device", ["status", "kind", "last_seen_at"])

    op.create_table(
        "safety_alarm",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("vendor", sa.String(40), nullable=False),
        sa.Column("vendor_alarm_id", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(36), sa.ForeignKey("safety_device.id"), nullable=False),
        sa.Column("elder_id", sa.String(36), nullable=False),
        sa.Column("region_code", region, nullable=False),
        sa.Column("device_kind", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _when("occurred_at"),
        _when("received_at"),
        sa.Column("detail", sa.String(500), nullable=False),
        _when("town_escalation_at"),
        _when("district_escalation_at"),
        _when("next_escalation_at", nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        _when("escalated_at", nullable=True),
        _when("acknowledged_at", nullable=True),
        sa.Column("dispatch_target", sa.String(20), nullable=True),
        _when("resolved_at", nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("step_count", sa.Integer(), nullable=False),
        sa.UniqueConstraint("vendor", "vendor_alarm_id", name="uq_safety_alarm_vendor_id"),
    )
    op.create_index("ix_safety_alarm_escalation", "safety_alarm", ["status", "next_escalation_at"])
    op.create_index("ix_safety_alarm_region", "safety_alarm", ["region_code", "received_at", "id"])
    op.create_index("ix_safety_alarm_status", "safety_alarm", ["status", "received_at", "id"])

    op.create_table(
        "safety_alarm_step",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("alarm_id", sa.String(36), sa.ForeignKey("safety_alarm.id"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        _when("at"),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("dispatch_target", sa.String(20), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.UniqueConstraint("alarm_id", "sequence", name="uq_safety_alarm_step_sequence"),
    )

    op.create_table(
        "safety_alarm_escalation",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("alarm_id", sa.String(36), sa.ForeignKey("safety_alarm.id"), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("region_code", region, nullable=False),
        _when("due_at"),
        _when("escalated_at"),
        sa.UniqueConstraint("alarm_id", "level", name="uq_safety_alarm_escalation_level"),
    )


def downgrade() -> None:
    """Drop the tables of this revision."""
    op.drop_table("safety_alarm_escalation")
    op.drop_table("safety_alarm_step")
    op.drop_table("safety_alarm")
    op.drop_table("safety_device")
