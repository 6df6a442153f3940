"""The page loop and the service job of an overdue-visit scan, shared by every service with visits.

A service's scan reads overdue people a page at a time in ``(anchor, person id)`` order (its own query,
with the anti-join on its notice table: ``kit.overdue_notices``) and announces them (notices and events
staged in the page's transaction). Each page is its own transaction, so a crash loses at most the page
under way and the next scan finds the rest; the outbox relay is woken after each page that staged
something, so events flow while the scan goes on. What is the same in every service lives here: the
loop, its keyset, the result and the job wrapping a scan.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.db import Database, plan_each_statement
from services.kit.overdue_notices import OverdueRow
from services.kit.service import Job, ServiceContext

log = logging.getLogger(__name__)

R = TypeVar("R", bound=OverdueRow)
R_co = TypeVar("R_co", bound=OverdueRow, covariant=True)

Keyset = tuple[date, str]  # (anchor, person id) of the last row of the previous page


class PageReader(Protocol[R_co]):
    """A service's page query: overdue people not yet announced, after ``after`` in (anchor, id) order."""

    def __call__(
        self, session: AsyncSession, *, after: Keyset | None, limit: int
    ) -> Awaitable[Sequence[R_co]]: ...


@dataclass(frozen=True)
class ScanResult:
    """What one scan did: overdue people not yet announced at their level, and events staged."""

    found: int = 0
    published: int = 0

    def __add__(self, other: ScanResult) -> ScanResult:
        return ScanResult(self.found + other.found, self.published + other.published)


async def scan_pages(
    db: Database,
    *,
    read_page: PageReader[R],
    announce: Callable[[AsyncSession, Sequence[R]], Awaitable[int]],
    page_size: int,
    on_commit: Callable[[], None] | None = None,
    read_apart: bool = False,
) -> ScanResult:
    """Read and announce pages until a short one; ``announce`` returns the events it staged.

    ``read_apart``: read each page in a read-only transaction and announce it in a write transaction
    of its own, so the write lock is held only while announcing. On SQLite a writer in another
    process (the relay in its own process, ``kit.relay_main``) otherwise meets one page's write
    transaction after another and waits out the whole scan. Safe because announcing inserts with
    ``ON CONFLICT DO NOTHING`` (a row announced in between by another replica is skipped).
    """
    found = published = 0
    after: Keyset | None = None
    while True:
        if read_apart:
            async with db.read() as session:
                await plan_each_statement(session)
                rows = await read_page(session, after=after, limit=page_size)
            staged = 0
            if rows:
                async with db.unit_of_work() as session:
                    staged = await announce(session, rows)
        else:
            async with db.unit_of_work() as session:
                await plan_each_statement(session)
                rows = await read_page(session, after=after, limit=page_size)
                staged = await announce(session, rows) if rows else 0
        found, published = found + len(rows), published + staged
        if staged and on_commit is not None:
            on_commit()
        if len(rows) < page_size:
            return ScanResult(found=found, published=published)
        after = (rows[-1].anchor, rows[-1].person_id)


def scan_job(
    ctx: ServiceContext,
    *,
    name: str,
    interval_s: float,
    scan: Callable[[datetime, Callable[[], None]], Awaitable[ScanResult]],
    clock: Callable[[], datetime],
) -> Job:
    """A scan as a service job: every ``interval_s`` seconds, "now" from the service's clock."""

    async def run() -> ScanResult:
        result = await scan(clock(), ctx.notify_outbox)
        if result.published:
            log.info("%s: %d overdue, %d events staged", name, result.found, result.published)
        return result

    return Job(name=name, interval_s=interval_s, run=run)
