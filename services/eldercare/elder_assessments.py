"""Capability assessments (老年人能力评估): recording one, and an elder's history of them.

The latest assessment by date becomes the elder's ``capability_level`` in the same transaction (a
back-dated older one is kept in the history but does not override it), the visit clock follows (a
moderate or worse level makes the elder vulnerable), and ``civic.eldercare.elder-assessed`` is staged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.elder_rules import CapabilityLevel, age_on, is_disabled, supersedes
from services.eldercare.elders import restart_clock, visible_elder
from services.eldercare.events import ELDER_ASSESSED, ElderAssessed
from services.eldercare.models import CapabilityAssessment
from services.kit import audit
from services.kit.errors import InvalidArgument
from services.kit.idcard import mask_id_number
from services.kit.iddigest import id_number_digest
from services.kit.outbox import stage_event


@dataclass(frozen=True)
class AssessmentIn:
    """A validated capability assessment."""

    elder_id: str
    level: CapabilityLevel
    assessed_on: date
    assessor: str
    organisation: str
    notes: str


async def record_assessment(
    session: AsyncSession,
    *,
    actor: str,
    scopes: Sequence[str],
    new: AssessmentIn,
    today: date,
    now: datetime,
    digest_key: bytes,
) -> tuple[CapabilityAssessment, bool]:
    """Record an assessment; it becomes the elder's level unless a newer one is on file. Returns
    the assessment and whether it is now the current one."""
    elder = await visible_elder(session, scopes=scopes, elder_id=new.elder_id, for_update=True)
    if new.assessed_on < elder.birth_date:
        raise InvalidArgument.field("assessed_on", "must not be before the elder was born")
    assessment = CapabilityAssessment(
        id=str(uuid.uuid4()),
        elder_id=elder.id,
        region_code=elder.region_code,
        level=new.level.value,
        assessed_on=new.assessed_on,
        assessor=new.assessor,
        organisation=new.organisation,
        notes=new.notes,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(assessment)
    current = supersedes(new.assessed_on, elder.capability_assessed_on)
    if current:
        elder.capability_level = new.level.value
        elder.capability_assessed_on = new.assessed_on
        restart_clock(elder, today=today)
        elder.updated_at = now
        session.add(elder)
    masked = mask_id_number(elder.id_number)
    audit.record(
        session,
        actor=actor,
        action="elder.assess",
        target=elder.id,
        region_code=elder.region_code,
        now=now,
        detail=f"{masked} {new.level.value} {new.assessed_on.isoformat()}",
    )
    payload = ElderAssessed(
        elder_id=elder.id,
        elder_id_masked=masked,
        region_code=elder.region_code,
        at=now,
        assessment_id=assessment.id,
        level=new.level,
        assessed_on=new.assessed_on,
        disabled=is_disabled(new.level),
        current=current,
        age=age_on(elder.birth_date, new.assessed_on),
        id_digest=id_number_digest(elder.id_number, digest_key),
    )
    stage_event(session, ELDER_ASSESSED, payload, subject=elder.id, region=elder.region_code, now=now)
    await session.flush()
    return assessment, current


ASSESSMENT_ORDER = (
    col(CapabilityAssessment.assessed_on).desc(),
    col(CapabilityAssessment.recorded_at).desc(),
    col(CapabilityAssessment.id),
)


@dataclass(frozen=True)
class AssessmentPage:
    """One page of an elder's assessments, the total, whether more follow, and the current one's id."""

    rows: list[CapabilityAssessment]
    total: int
    more: bool
    current_id: str | None


async def list_assessments(
    session: AsyncSession, *, elder_id: str, scopes: Sequence[str], offset: int, limit: int
) -> AssessmentPage:
    """An elder's assessments, newest first (by day, then by when recorded); NotFound outside the scopes.

    Paged by position: an elder has a handful of assessments, never enough for a keyset to matter.
    The first in this order is the current one (what ``supersedes`` chose).
    """
    elder = await visible_elder(session, scopes=scopes, elder_id=elder_id)
    where = col(CapabilityAssessment.elder_id) == elder.id
    total = (await session.exec(select(sa.func.count()).select_from(CapabilityAssessment).where(where))).one()
    ordered = select(CapabilityAssessment).where(where).order_by(*ASSESSMENT_ORDER)
    rows = list((await session.exec(ordered.offset(offset).limit(limit + 1))).all())
    top = rows[0] if offset == 0 and rows else (await session.exec(ordered.limit(1))).first()
    return AssessmentPage(rows[:limit], int(total), len(rows) > limit, top.id if top else None)
