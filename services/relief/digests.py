"""Each person's ID-number digest under the current platform key: how relief's events will name members.

Events carry ``id_digest`` (kit.iddigest: a keyed HMAC), never the clear number; childwelfare and
eldercare match their own people on it, and funeral's ``death-registered`` will name the deceased the
same way. A person's row is written when they first join a household (``people.join``); the digest
job, at start and then every few hours, fills in whatever has none under the current key (everyone,
after a key rotation). Rows of other keys are left alone: during a rolling rotation the replicas
still on the old key would otherwise delete the new key's rows.

A sync that leaves nobody without a digest records the key as complete (``digest_key_state``): from
then on a digest that matches nobody means "not one of relief's people". Before (a rotation under way),
``require_complete`` makes the consumer retry such an event later instead of dropping it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.db import Database, insert_ignoring_conflicts
from services.kit.iddigest import id_number_digest, key_id
from services.kit.service import Job
from services.relief.models import DigestKeyState, Person, PersonIdentityDigest

JOB_NAME = "relief-digest-sync"
SYNC_INTERVAL_S = 6 * 3600.0


def digest_row(person_id: str, id_number: str, *, key: bytes) -> dict[str, str]:
    """A person's digest row under ``key``."""
    return {"person_id": person_id, "key_id": key_id(key), "digest": id_number_digest(id_number, key)}


async def add_digests(session: AsyncSession, rows: list[dict[str, str]]) -> None:
    """Insert digest rows, ignoring those present (another replica may be writing the same ones)."""
    if rows:
        stmt = insert_ignoring_conflicts(session, PersonIdentityDigest)
        await session.exec(stmt, params=rows)  # type: ignore[call-overload]


async def sync_digests(session: AsyncSession, *, key: bytes) -> int:
    """Add the digest of every person with none under the current key; returns how many were added."""
    kid = key_id(key)
    has_digest = (
        select(col(PersonIdentityDigest.person_id))
        .where(col(PersonIdentityDigest.person_id) == col(Person.id), col(PersonIdentityDigest.key_id) == kid)
        .exists()
    )
    missing = (await session.exec(select(Person.id, Person.id_number).where(~has_digest))).all()
    rows = [digest_row(pid, number, key=key) for pid, number in missing]
    await add_digests(session, rows)
    # Everyone has one now (people joining later get theirs in the same transaction: people.join).
    if await session.get(DigestKeyState, kid) is None:
        session.add(DigestKeyState(key_id=kid, completed_at=datetime.now(UTC)))
    return len(rows)


class DigestsIncomplete(RuntimeError):
    """People still lack a digest under the current key: an event's digest that matched nobody may yet."""


async def require_complete(session: AsyncSession, *, key: bytes, event_id: str) -> None:
    """Raise ``DigestsIncomplete`` (the consumer retries the event) unless the key's sync has completed."""
    if await session.get(DigestKeyState, key_id(key)) is None:
        raise DigestsIncomplete(
            f"event {event_id}: its digest matches nobody, but the digests under key {key_id(key)} are "
            "not complete yet (a key rotation under way); retrying later"
        )


def digest_job(db: Database, *, key: bytes, interval_s: float = SYNC_INTERVAL_S) -> Job:
    """Complete the digests under the current key at start and every ``interval_s`` seconds."""

    async def run() -> int:
        async with db.unit_of_work() as session:
            return await sync_digests(session, key=key)

    return Job(name=JOB_NAME, interval_s=interval_s, run=run)
