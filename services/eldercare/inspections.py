"""Safety inspections: recording one with its hazards, each hazard's rectification and verification,
reading inspections, and the list of overdue rectifications.

The facility's name and region come from its record (an institution or a meal provider inside the
caller's regions) or, for a day-care centre this service does not register, from the request. Hazards
copy them, so lists of hazards never join. Functions never commit (the caller's unit of work does).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.eldercare import inspection_rules as ir
from services.eldercare.community_requests import Listing, after_keyset
from services.eldercare.institutions import get_institution
from services.eldercare.models import Hazard, Inspection, MealProvider
from services.kit import audit
from services.kit.columns import in_regions
from services.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied

Found = tuple[Inspection, list[Hazard]]


@dataclass(frozen=True)
class HazardIn:
    """A validated hazard as found."""

    description: str
    severity: ir.Severity
    rectify_by: date


@dataclass(frozen=True)
class NewInspection:
    """A validated inspection; ``facility_name`` and ``region_code`` only for a care centre."""

    facility_kind: ir.FacilityKind
    facility_id: str
    facility_name: str
    region_code: str
    inspected_on: date
    inspector: str
    findings: str
    hazards: tuple[HazardIn, ...]


@dataclass(frozen=True)
class Verification:
    """A validated verification of a rectification."""

    hazard_id: str
    accepted: bool
    verified_on: date
    verified_by: str
    note: str


async def _facility(session: AsyncSession, new: NewInspection, scopes: Sequence[str]) -> tuple[str, str]:
    """The facility's (name, region) inside the scopes; NotFound naming facility_id otherwise."""
    if new.facility_kind is ir.FacilityKind.INSTITUTION:
        try:
            institution = await get_institution(session, institution_id=new.facility_id, scopes=scopes)
        except NotFound as exc:
            raise NotFound(f"facility_id: institution {new.facility_id} not found") from exc
        return institution.name, institution.region_code
    if new.facility_kind is ir.FacilityKind.CANTEEN:
        stmt = select(MealProvider).where(
            MealProvider.id == new.facility_id, in_regions(col(MealProvider.region_code), scopes)
        )
        provider = (await session.exec(stmt)).first()
        if provider is None:
            raise NotFound(f"facility_id: meal provider {new.facility_id} not found")
        return provider.name, provider.region_code
    if not any(new.region_code.startswith(s) for s in scopes):
        raise PermissionDenied(f"region_code: {new.region_code} is outside your regions")
    return new.facility_name, new.region_code


async def hazards_of(session: AsyncSession, inspection_ids: Sequence[str]) -> dict[str, list[Hazard]]:
    """Each inspection's hazards in the order they were recorded."""
    rows = await session.exec(
        select(Hazard).where(col(Hazard.inspection_id).in_(inspection_ids)).order_by(col(Hazard.position))
    )
    found: dict[str, list[Hazard]] = defaultdict(list)
    for row in rows.all():
        found[row.inspection_id].append(row)
    return found


async def record_inspection(
    session: AsyncSession, *, actor: str, new: NewInspection, scopes: Sequence[str], now: datetime
) -> Found:
    """Record an inspection and its hazards (open); closed at once when nothing was found."""
    name, region = await _facility(session, new, scopes)
    closed = not new.hazards
    inspection = Inspection(
        id=str(uuid.uuid4()),
        facility_kind=new.facility_kind.value,
        facility_id=new.facility_id,
        facility_name=name,
        region_code=region,
        inspected_on=new.inspected_on,
        inspector=new.inspector,
        findings=new.findings,
        status=(ir.InspectionStatus.CLOSED if closed else ir.InspectionStatus.OPEN).value,
        closed_on=new.inspected_on if closed else None,
        created_at=now,
        created_by=actor,
    )
    session.add(inspection)
    await session.flush()  # the inspection first: its hazards refer to it
    hazards = [
        Hazard(
            id=str(uuid.uuid4()),
            inspection_id=inspection.id,
            position=n,
            facility_kind=inspection.facility_kind,
            facility_name=name,
            region_code=region,
            description=h.description,
            severity=h.severity.value,
            rectify_by=h.rectify_by,
            status=ir.HazardStatus.OPEN.value,
            updated_at=now,
        )
        for n, h in enumerate(new.hazards)
    ]
    session.add_all(hazards)
    audit.record(
        session,
        actor=actor,
        action="inspection.record",
        target=inspection.id,
        region_code=region,
        now=now,
        detail=f"{new.facility_kind.value} {name}: {len(hazards)} hazards"[:500],
    )
    await session.flush()
    return inspection, hazards


async def _visible_hazard(session: AsyncSession, *, hazard_id: str, scopes: Sequence[str]) -> Hazard:
    stmt = select(Hazard).where(Hazard.id == hazard_id, in_regions(col(Hazard.region_code), scopes))
    found = (await session.exec(stmt.with_for_update())).first()
    if found is None:
        raise NotFound(f"hazard {hazard_id} not found")
    return found


async def _inspection(session: AsyncSession, hazard: Hazard) -> Inspection:
    stmt = select(Inspection).where(Inspection.id == hazard.inspection_id).with_for_update()
    return (await session.exec(stmt)).one()


async def record_rectification(
    session: AsyncSession,
    *,
    actor: str,
    hazard_id: str,
    rectified_on: date,
    evidence: str,
    scopes: Sequence[str],
    now: datetime,
) -> Found:
    """open → rectified; FailedPrecondition from any other status."""
    hazard = await _visible_hazard(session, hazard_id=hazard_id, scopes=scopes)
    problem = ir.rectify_problem(ir.HazardStatus(hazard.status))
    if problem is not None:
        raise FailedPrecondition(problem)
    inspection = await _inspection(session, hazard)
    if rectified_on < inspection.inspected_on:
        raise InvalidArgument.field("rectified_on", "must not be before the inspection day")
    hazard.status, hazard.rectified_on, hazard.rectification_note = (
        ir.HazardStatus.RECTIFIED.value,
        rectified_on,
        evidence,
    )
    hazard.updated_at = now
    session.add(hazard)
    audit.record(
        session,
        actor=actor,
        action="hazard.rectify",
        target=hazard.id,
        region_code=hazard.region_code,
        now=now,
        detail=rectified_on.isoformat(),
    )
    await session.flush()
    return inspection, (await hazards_of(session, [inspection.id]))[inspection.id]


async def verify_rectification(
    session: AsyncSession, *, actor: str, check: Verification, scopes: Sequence[str], now: datetime
) -> Found:
    """rectified → closed (accepted) or back to open; the inspection closes with its last hazard."""
    hazard = await _visible_hazard(session, hazard_id=check.hazard_id, scopes=scopes)
    problem = ir.verify_problem(ir.HazardStatus(hazard.status))
    if problem is not None:
        raise FailedPrecondition(problem)
    assert hazard.rectified_on is not None
    if check.verified_on < hazard.rectified_on:
        raise InvalidArgument.field("verified_on", "must not be before the rectification")
    inspection = await _inspection(session, hazard)
    hazard.status = ir.after_verification(check.accepted).value
    hazard.verified_on, hazard.verified_by, hazard.verification_note = (
        check.verified_on,
        check.verified_by,
        check.note,
    )
    hazard.updated_at = now
    session.add(hazard)
    await session.flush()
    hazards = (await hazards_of(session, [inspection.id]))[inspection.id]
    if ir.inspection_status([ir.HazardStatus(h.status) for h in hazards]) is ir.InspectionStatus.CLOSED:
        inspection.status, inspection.closed_on = ir.InspectionStatus.CLOSED.value, check.verified_on
        session.add(inspection)
    audit.record(
        session,
        actor=actor,
        action="hazard.verify" if check.accepted else "hazard.reject",
        target=hazard.id,
        region_code=hazard.region_code,
        now=now,
        detail=f"{check.verified_on.isoformat()} {check.note}"[:500],
    )
    await session.flush()
    return inspection, hazards


async def get_inspection(session: AsyncSession, *, inspection_id: str, scopes: Sequence[str]) -> Found:
    """One inspection inside the scopes with its hazards; NotFound otherwise."""
    stmt = select(Inspection).where(
        Inspection.id == inspection_id, in_regions(col(Inspection.region_code), scopes)
    )
    found = (await session.exec(stmt)).first()
    if found is None:
        raise NotFound(f"inspection {inspection_id} not found")
    return found, (await hazards_of(session, [found.id])).get(found.id, [])


async def list_inspections(
    session: AsyncSession,
    *,
    listing: Listing,
    status: ir.InspectionStatus | None,
    kind: ir.FacilityKind | None,
) -> tuple[list[Found], int, bool]:
    """A page of inspections in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(Inspection.region_code), listing.scopes)]
    if status is not None:
        where.append(col(Inspection.status) == status.value)
    if kind is not None:
        where.append(col(Inspection.facility_kind) == kind.value)
    total = (await session.exec(select(func.count()).select_from(Inspection).where(*where))).one()
    stmt = select(Inspection).where(*where)
    if listing.after is not None:
        stmt = stmt.where(after_keyset(col(Inspection.region_code), col(Inspection.id), listing.after))
    stmt = stmt.order_by(col(Inspection.region_code), col(Inspection.id)).limit(listing.limit + 1)
    rows = list((await session.exec(stmt)).all())
    more = len(rows) > listing.limit
    rows = rows[: listing.limit]
    hazards = await hazards_of(session, [r.id for r in rows])
    return [(r, hazards.get(r.id, [])) for r in rows], int(total), more


NOT_CLOSED = (ir.HazardStatus.OPEN.value, ir.HazardStatus.RECTIFIED.value)


def overdue_where(today: date) -> list[sa.ColumnElement[bool]]:
    """Hazards overdue on ``today`` (inspection_rules.is_overdue as SQL over ix_hazard_status_deadline)."""
    return [col(Hazard.status).in_(NOT_CLOSED), col(Hazard.rectify_by) < today]


async def list_overdue(
    session: AsyncSession, *, scopes: Sequence[str], after: tuple[date, str] | None, limit: int, today: date
) -> tuple[list[Hazard], int, bool]:
    """A page of overdue hazards, longest overdue first (keyset rectify_by, id), the total, more or not."""
    where = [*overdue_where(today), in_regions(col(Hazard.region_code), scopes)]
    total = (await session.exec(select(func.count()).select_from(Hazard).where(*where))).one()
    stmt = select(Hazard).where(*where)
    if after is not None:
        stmt = stmt.where(after_keyset(col(Hazard.rectify_by), col(Hazard.id), after))
    stmt = stmt.order_by(col(Hazard.rectify_by), col(Hazard.id)).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    return rows[:limit], int(total), len(rows) > limit
