"""Relief's audit actions, recorded in the kit's audit log with the household's region."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit
from services.relief.models import Household, Person

REGISTER = "household.register"
ADD_MEMBER = "household.member-add"
MOVE_MEMBER = "household.member-move"
REMOVE_MEMBER = "household.member-remove"
RECORD_INCOME = "household.income-record"
RECORD_ASSET = "household.asset-record"
READ_ID_NUMBER = "person.read-id-number"


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    household: Household,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Record who did what to a household (``detail`` holds masked values only)."""
    audit.record(
        session,
        actor=actor,
        action=action,
        target=household.id,
        region_code=household.region_code,
        now=now,
        detail=detail,
    )


async def record_id_reads(
    session: AsyncSession, *, actor: str, shown: Iterable[tuple[Person, str]], now: datetime
) -> int:
    """Audit each (person, household region) whose ID number is about to be shown in clear."""
    reads = ((p.id, region, p.id_number) for p, region in shown)
    return await audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)
