"""kit.db's per-transaction settings on both backends: they hold for their transaction only."""

from __future__ import annotations

import sqlalchemy as sa

from services.kit.db import Database, commit_without_waiting_for_disk


async def _synchronous_commit(db: Database, *, relaxed: bool) -> str | None:
    async with db.transaction() as conn:
        if relaxed:
            await commit_without_waiting_for_disk(conn)
        if db.is_sqlite:
            await conn.execute(sa.text("SELECT 1"))
            return None
        return (await conn.execute(sa.text("SHOW synchronous_commit"))).scalar_one()


async def test_a_relaxed_commit_is_relaxed_for_its_own_transaction_only(database_url: str) -> None:
    db = Database(database_url)
    try:
        relaxed = await _synchronous_commit(db, relaxed=True)
        after = await _synchronous_commit(db, relaxed=False)
        if db.is_sqlite:  # nothing to relax: the transaction still commits
            assert relaxed is None and after is None
        else:
            assert (relaxed, after) == ("off", "on")
    finally:
        await db.dispose()
