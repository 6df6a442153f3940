"""Reading relief applications: one inside the caller's regions, with its steps and grants, or a page.

Others' applications are NOT_FOUND, as if they did not exist. Listing is newest first by
(submitted_at, id), a keyset that pages without gaps or repeats while applications arrive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import in_regions
from services.kit.errors import NotFound
from services.kit.protoconv import as_utc
from services.relief import grants
from services.relief.application_rules import ApplicationState
from services.relief.models import AssistanceGrant, ReliefApplication, ReliefApplicationStep


@dataclass
class ApplicationFile:
    """An application with its steps (oldest first) and the grants it created."""

    application: ReliefApplication
    steps: list[ReliefApplicationStep]
    grants: list[AssistanceGrant]


def items_of(application: ReliefApplication) -> list[str]:
    """The item codes asked for, in the order given."""
    return [c for c in application.items.split(",") if c]


async def visible_application(
    session: AsyncSession, *, scopes: Sequence[str], application_id: str
) -> ReliefApplication:
    """One application inside the scopes; NotFound otherwise (others' applications do not exist)."""
    stmt = select(ReliefApplication).where(
        ReliefApplication.id == application_id, in_regions(col(ReliefApplication.region_code), scopes)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"application {application_id} not found")
    return found


async def steps_of(
    session: AsyncSession, *, application_ids: Sequence[str]
) -> dict[str, list[ReliefApplicationStep]]:
    """Each application's steps, oldest first."""
    if not application_ids:
        return {}
    stmt = (
        select(ReliefApplicationStep)
        .where(col(ReliefApplicationStep.application_id).in_(list(application_ids)))
        .order_by(col(ReliefApplicationStep.application_id), col(ReliefApplicationStep.sequence))
    )
    found: dict[str, list[ReliefApplicationStep]] = {}
    for row in (await session.exec(stmt)).all():
        found.setdefault(row.application_id, []).append(row)
    return found


async def application_file(session: AsyncSession, application: ReliefApplication) -> ApplicationFile:
    """The application with its steps and grants."""
    steps = await steps_of(session, application_ids=[application.id])
    made = await grants.grants_of(session, application_ids=[application.id])
    return ApplicationFile(application, steps.get(application.id, []), made.get(application.id, []))


def cursor_time(application: ReliefApplication) -> str:
    """The keyset time of an application as a page token key (UTC ISO)."""
    return as_utc(application.submitted_at).isoformat()


LIST_ORDER = (col(ReliefApplication.submitted_at), col(ReliefApplication.id))


async def list_applications(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    state: ApplicationState | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[ReliefApplication], int, bool]:
    """Applications in the scopes (of one state), newest first, after a keyset; total and more."""
    where = in_regions(col(ReliefApplication.region_code), scopes)
    if state is not None:
        where = sa.and_(where, col(ReliefApplication.state) == state.value)
    total = (await session.exec(select(sa.func.count()).select_from(ReliefApplication).where(where))).one()
    stmt = select(ReliefApplication).where(where)
    if after is not None:
        stmt = stmt.where(sa.tuple_(*LIST_ORDER) < sa.tuple_(*after))
    rows = list((await session.exec(stmt.order_by(*(c.desc() for c in LIST_ORDER)).limit(limit + 1))).all())
    return rows[:limit], int(total), len(rows) > limit
