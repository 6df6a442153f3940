"""Alembic helpers for the tables every service gets from the kit: ``outbox``, ``inbox``, ``audit_log``.

A service's first migration calls ``create_kit_tables(op)`` (and its downgrade
``drop_kit_tables(op)``). The columns and indexes are those of ``kit.outbox.OutboxEvent``,
``kit.inbox.ProcessedEvent`` and ``kit.audit.AuditLog``; a contract test builds both ways and
compares them. Later changes to the kit tables ship as helper functions here that the services'
next migrations call.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.kit.columns import region_code_type
from services.kit.inbox import CONSUMER_MAX_LEN, EVENT_ID_MAX_LEN

_UNPUBLISHED = "published_at IS NULL"


def _when(name: str, *, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def create_kit_tables(op: Any) -> None:
    """Create ``outbox`` and ``inbox`` with their indexes (call from a service's first migration)."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nats_subject", sa.String(200), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=True),
        sa.Column("region", sa.String(12), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("traceparent", sa.String(64), nullable=True),
        _when("created_at", nullable=False),
        _when("published_at"),
        _when("claimed_until"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
    )
    op.create_index("ix_outbox_pending", "outbox", ["published_at", "created_at"])
    # Partial: the relay's claim only ever reads unpublished rows (SQLite supports partial indexes too).
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["created_at"],
        postgresql_where=sa.text(_UNPUBLISHED),
        sqlite_where=sa.text(_UNPUBLISHED),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(CONSUMER_MAX_LEN), primary_key=True),
        sa.Column("event_id", sa.String(EVENT_ID_MAX_LEN), primary_key=True),
        _when("processed_at", nullable=False),
    )
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        _when("at", nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("region_code", region_code_type(), nullable=True),
        sa.Column("detail", sa.String(500), nullable=True),
    )
    op.create_index("ix_audit_log_region_at", "audit_log", ["region_code", "at"])
    op.create_index("ix_audit_log_target", "audit_log", ["target"])


def drop_kit_tables(op: Any) -> None:
    """Drop what ``create_kit_tables`` created (a service's first downgrade)."""
    op.drop_table("audit_log")
    op.drop_index("ix_inbox_processed_at", table_name="inbox")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
    op.drop_table("outbox")
