"""Proposals raised by other services' events, and the ID digests that match their people (0006)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from services.childwelfare.models.base import ChildWelfareTable
from services.kit.columns import region_code_type, utc_datetime


class ChildIdentityDigest(ChildWelfareTable, table=True):
    """A child's ID-number digest under one key (inbound.id_number_digest), to match other services' events.

    Other services name people by a keyed digest, never the clear number (DESIGN §3); a digest cannot be
    reversed, so each child's is computed here and indexed. ``key_id`` fingerprints the key: after a
    key rotation the old rows simply stop matching and are recomputed.
    """

    __tablename__ = "child_identity_digest"
    __table_args__ = (sa.UniqueConstraint("key_id", "digest", name="uq_child_identity_digest"),)

    child_id: str = Field(foreign_key="child.id", primary_key=True, max_length=36)
    key_id: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)


class Proposal(ChildWelfareTable, table=True):
    """A worklist item raised by another service's event: a category change or a re-assessment to decide.

    Never a silent change: a town officer accepts (the category change is applied then, with history)
    or rejects it with a note. ``topic`` says what the proposal is about (e.g. ``category:dibao_family``,
    ``guardian-died``); at most one proposal per child and topic is open, enforced by the database.
    """

    __tablename__ = "proposal"
    __table_args__ = (
        # The worklist: by region (keyset region_code, id), optionally one status.
        sa.Index("ix_proposal_region", "region_code", "id"),
        sa.Index("ix_proposal_status_region", "status", "region_code", "id"),
        sa.Index("ix_proposal_child", "child_id"),
        sa.Index(
            "uq_proposal_open_topic",
            "child_id",
            "topic",
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    child_id: str = Field(foreign_key="child.id", max_length=36)
    region_code: str = Field(sa_column=sa.Column(region_code_type(), nullable=False))
    kind: str = Field(max_length=20)
    topic: str = Field(max_length=60)
    priority: str = Field(max_length=10)
    current_category: str = Field(max_length=40)
    proposed_category: str | None = Field(default=None, max_length=40)
    reason: str = Field(max_length=500)
    source_subject: str = Field(max_length=200)
    source_event_id: str = Field(max_length=200)
    proposed_at: datetime = Field(sa_column=utc_datetime())
    status: str = Field(max_length=10)
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_column=utc_datetime(nullable=True))
    note: str = Field(default="", max_length=500)
