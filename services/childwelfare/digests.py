"""Matching people named in other services' events to registered children, by ID-number digest.

Events name people by ``inbound.id_number_digest`` (a keyed HMAC), never by the clear number, and a
digest cannot be reversed; so each child's digest under the current key is kept in
``child_identity_digest`` (indexed by key and digest) and a match is one indexed join. A registration
writes its child's row (``digest_row``) in its own transaction; the digest job, at start and then
every few hours, fills in whatever has none under the current key (children loaded before the table
existed, or everyone after a key rotation). Once it has committed, matching never scans the registry
(with a million children a per-event anti-join would cost more than the event); before that, each
match completes the table first, so no event is acknowledged against missing digests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from weakref import WeakKeyDictionary

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import inbound
from services.childwelfare.models import Child, ChildIdentityDigest
from services.kit.columns import in_regions
from services.kit.db import Database, insert_ignoring_conflicts
from services.kit.service import Job

JOB_NAME = "childwelfare-digest-sync"
SYNC_INTERVAL_S = 6 * 3600.0


def digest_row(child_id: str, id_number: str, *, key: bytes) -> ChildIdentityDigest:
    """A child's digest under the current key (added with the registration)."""
    return ChildIdentityDigest(
        child_id=child_id, key_id=inbound.key_id(key), digest=inbound.id_number_digest(id_number, key)
    )


async def sync_digests(session: AsyncSession, *, key: bytes) -> int:
    """Compute the digest of every child that has none under the current key; returns how many were added.

    Usually nothing is missing (registrations write their own row), so the cost is one anti-join on
    primary keys. Rows of other keys are left alone: during a rolling key rotation the replicas still on
    the old key would otherwise delete the new key's rows (they never match under the current key;
    drop them by hand once every service has the new key).
    """
    kid = inbound.key_id(key)
    has_digest = (
        select(col(ChildIdentityDigest.child_id))
        .where(col(ChildIdentityDigest.child_id) == col(Child.id), col(ChildIdentityDigest.key_id) == kid)
        .exists()
    )
    missing = (await session.exec(select(Child.id, Child.id_number).where(~has_digest))).all()
    rows = [
        {"child_id": cid, "key_id": kid, "digest": inbound.id_number_digest(number, key)}
        for cid, number in missing
    ]
    if rows:
        # Another replica may be syncing the same children right now: theirs and ours are identical.
        stmt = insert_ignoring_conflicts(session, ChildIdentityDigest)
        await session.exec(stmt, params=rows)  # type: ignore[call-overload]
    return len(rows)


async def children_by_digest(
    session: AsyncSession,
    *,
    key: bytes,
    digests: Iterable[str],
    scopes: Sequence[str],
    synced: Callable[[], bool] = lambda: True,
) -> list[Child]:
    """Registered children (inside ``scopes``) whose ID-number digest is one of ``digests``.

    Until ``synced()`` says the digest job has completed for this key and database, the missing
    digests are computed first in this transaction: an event matched against an incomplete table
    would be acknowledged having found nobody, and never looked at again.
    """
    wanted = sorted(set(digests))
    if not wanted:
        return []
    if not synced():
        await sync_digests(session, key=key)
    stmt = (
        select(Child)
        .join(ChildIdentityDigest, col(ChildIdentityDigest.child_id) == col(Child.id))
        .where(
            col(ChildIdentityDigest.key_id) == inbound.key_id(key),
            col(ChildIdentityDigest.digest).in_(wanted),
            in_regions(col(Child.region_code), scopes),
        )
        .order_by(col(Child.id))
    )
    return list((await session.exec(stmt)).all())


# Per database and key: the digest job has committed a complete sync (registrations keep it complete).
_SYNCED: WeakKeyDictionary[Database, set[str]] = WeakKeyDictionary()


def is_synced(db: Database, key: bytes) -> bool:
    """Whether this process has completed a sync of ``db`` under ``key`` (matching can skip its own)."""
    return inbound.key_id(key) in _SYNCED.get(db, set())


def digest_job(db: Database, *, key: bytes, interval_s: float = SYNC_INTERVAL_S) -> Job:
    """Complete the digests under the current key at start (after a rotation: everyone) and now and then."""

    async def run() -> int:
        async with db.unit_of_work() as session:
            added = await sync_digests(session, key=key)
        _SYNCED.setdefault(db, set()).add(inbound.key_id(key))  # only once committed
        return added

    return Job(name=JOB_NAME, interval_s=interval_s, run=run)
