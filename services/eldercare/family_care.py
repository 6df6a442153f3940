"""Family-care beds' services: attaching one to a bed, ending it, listing those of some beds.

Functions never commit (the caller's unit of work does). "One running service of a kind per bed" is
checked first for a clear error and guarded by ``uq_family_care_service_running`` against a
concurrent attachment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare.family_care_rules import ServiceKind, ServicePeriod
from services.eldercare.models import Bed, FamilyCareService
from services.eldercare.rules import BedType
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.kit.periods import china_today


@dataclass(frozen=True)
class NewService:
    """A validated attachment."""

    bed_id: str
    kind: ServiceKind
    provider: str
    times: int
    period: ServicePeriod
    started_on: date


async def attach(
    session: AsyncSession, *, actor: str, new: NewService, scopes: Sequence[str], now: datetime
) -> FamilyCareService:
    """Attach a service to a family-care bed in the scopes."""
    bed = (
        await session.exec(select(Bed).where(Bed.id == new.bed_id, in_regions(col(Bed.region_code), scopes)))
    ).first()
    if bed is None:
        raise NotFound(f"bed_id: bed {new.bed_id} not found")
    if bed.type != BedType.FAMILY_CARE.value:
        raise FailedPrecondition(f"bed {bed.id} is a {bed.type} bed, not a family-care bed")
    message = f"kind: a {new.kind.value} service already runs on bed {bed.id}"
    running = select(FamilyCareService.id).where(
        FamilyCareService.bed_id == bed.id,
        FamilyCareService.kind == new.kind.value,
        col(FamilyCareService.ended_on).is_(None),
    )
    if (await session.exec(running)).first() is not None:
        raise AlreadyExists(message)
    service = FamilyCareService(
        id=str(uuid.uuid4()),
        bed_id=bed.id,
        region_code=bed.region_code,
        kind=new.kind.value,
        provider=new.provider,
        times=new.times,
        period=new.period.value,
        started_on=new.started_on,
        created_at=now,
        created_by=actor,
    )
    session.add(service)
    audit.record(
        session,
        actor=actor,
        action="family_care.attach",
        target=service.id,
        region_code=bed.region_code,
        now=now,
        detail=f"bed {bed.id} {new.kind.value} {new.times}/{new.period.value} {new.provider}"[:500],
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent attachment of the same kind won the race
        raise AlreadyExists(message) from exc
    return service


async def end(
    session: AsyncSession,
    *,
    actor: str,
    service_id: str,
    ended_on: date,
    reason: str,
    scopes: Sequence[str],
    now: datetime,
) -> FamilyCareService:
    """Stop a running service; FailedPrecondition when it already stopped."""
    stmt = select(FamilyCareService).where(
        FamilyCareService.id == service_id, in_regions(col(FamilyCareService.region_code), scopes)
    )
    service = (await session.exec(stmt.with_for_update())).first()
    if service is None:
        raise NotFound(f"service_id: service {service_id} not found")
    if service.ended_on is not None:
        raise FailedPrecondition(f"service {service.id} already ended on {service.ended_on.isoformat()}")
    if ended_on < service.started_on:
        raise InvalidArgument.field("ended_on", "must not be before the service started")
    service.ended_on, service.end_reason = ended_on, reason
    session.add(service)
    audit.record(
        session,
        actor=actor,
        action="family_care.end",
        target=service.id,
        region_code=service.region_code,
        now=now,
        detail=f"{ended_on.isoformat()} {reason}"[:500],
    )
    await session.flush()
    return service


async def end_with_bed(session: AsyncSession, *, actor: str, bed_id: str, reason: str, now: datetime) -> int:
    """End every running service of a bed being released (the elder left the home bed); how many.

    Called in the release's transaction, so a released bed never keeps services running for nobody.
    """
    stmt = select(FamilyCareService).where(
        FamilyCareService.bed_id == bed_id, col(FamilyCareService.ended_on).is_(None)
    )
    running = (await session.exec(stmt.with_for_update())).all()
    today = china_today(now)
    why = f"bed released: {reason}" if reason else "bed released"
    for service in running:
        # A service started later than today (scheduled ahead) ends on its first day.
        service.ended_on, service.end_reason = max(today, service.started_on), why[:200]
        session.add(service)
        audit.record(
            session,
            actor=actor,
            action="family_care.end",
            target=service.id,
            region_code=service.region_code,
            now=now,
            detail=f"{service.ended_on.isoformat()} {why}"[:500],
        )
    return len(running)


async def list_for_beds(
    session: AsyncSession, *, bed_ids: Sequence[str], include_ended: bool, scopes: Sequence[str]
) -> list[FamilyCareService]:
    """The services of the beds in the scopes, by bed, kind and start."""
    where = [
        col(FamilyCareService.bed_id).in_(bed_ids),
        in_regions(col(FamilyCareService.region_code), scopes),
    ]
    if not include_ended:
        where.append(col(FamilyCareService.ended_on).is_(None))
    stmt = (
        select(FamilyCareService)
        .where(*where)
        .order_by(
            col(FamilyCareService.bed_id), col(FamilyCareService.kind), col(FamilyCareService.started_on)
        )
    )
    return list((await session.exec(stmt)).all())
