"""The inbox: which events each consumer has already applied, committed with the effect itself.

A handler's effect and the row "consumer X processed event E" are written in one transaction, so a
redelivered event (lost ack, consumer restart, a relay republish after the duplicate window) finds
its row and changes nothing. ``mark_processed`` is an ``INSERT … ON CONFLICT DO NOTHING``: under
concurrency on PostgreSQL the second inserter waits for the first transaction and then inserts
nothing; on SQLite writers are serialised by ``BEGIN IMMEDIATE`` (kit.db).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

CONSUMER_MAX_LEN = 100
EVENT_ID_MAX_LEN = 200


class ProcessedEvent(SQLModel, table=True):
    """One event one consumer has applied (primary key: consumer, event id)."""

    __tablename__ = "inbox"
    __table_args__ = (sa.Index("ix_inbox_processed_at", "processed_at"),)

    consumer: str = Field(primary_key=True, max_length=CONSUMER_MAX_LEN)
    event_id: str = Field(primary_key=True, max_length=EVENT_ID_MAX_LEN)
    processed_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


async def mark_processed(
    session: AsyncSession, consumer: str, event_id: str, *, now: datetime | None = None
) -> bool:
    """Record the event as processed by the consumer; False when it already was (skip the effect)."""
    values = {"consumer": consumer, "event_id": event_id, "processed_at": now or datetime.now(UTC)}
    dialect = session.bind.dialect.name if session.bind is not None else ""
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(ProcessedEvent)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
            .returning(col(ProcessedEvent.event_id))
        )
        result = await session.exec(stmt)
        return result.first() is not None
    # Other databases: a savepoint keeps the caller's transaction usable after the duplicate key.
    try:
        async with session.begin_nested():
            await session.exec(sa.insert(ProcessedEvent).values(**values))
    except IntegrityError:
        return False
    return True


async def is_processed(session: AsyncSession, consumer: str, event_id: str) -> bool:
    """Whether the consumer has already applied the event."""
    return await session.get(ProcessedEvent, (consumer, event_id)) is not None


async def prune_inbox(session: AsyncSession, older_than: datetime, *, limit: int | None = None) -> int:
    """Forget events processed before ``older_than`` (keep at least the stream's max age); returns rows.

    With ``limit``, at most that many of the oldest such rows go (kit.housekeeping prunes in batches,
    one short transaction each).
    """
    old = col(ProcessedEvent.processed_at) < older_than
    if limit is None:
        result = await session.exec(delete(ProcessedEvent).where(old))
        return int(result.rowcount or 0)
    oldest = (
        select(col(ProcessedEvent.consumer), col(ProcessedEvent.event_id))
        .where(old)
        .order_by(col(ProcessedEvent.processed_at))
        .limit(limit)
        # Rendered only on PostgreSQL: two pruning replicas take different rows instead of waiting.
        .with_for_update(skip_locked=True)
    )
    key = sa.tuple_(col(ProcessedEvent.consumer), col(ProcessedEvent.event_id))
    result = await session.exec(delete(ProcessedEvent).where(key.in_(oldest)))
    return int(result.rowcount or 0)
