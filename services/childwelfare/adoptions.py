"""Adoption registrations (收养登记): application, assessment (收养评估), registration, refusal, withdrawal.

Sensitive and district-level: no events are staged, every change is audited with masked numbers only,
and every read is limited to the caller's regions (others' adoptions are NOT_FOUND). Functions take the
session and keyword-only arguments and never commit: the caller's unit of work does.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.childwelfare import audit
from services.childwelfare import facility_rules as fr
from services.childwelfare.children import visible_child
from services.childwelfare.facility_requests import Completion, NewAdoption
from services.childwelfare.models import Adopter, AdoptionRegistration
from services.kit import audit as kit_audit
from services.kit.columns import in_regions
from services.kit.errors import AlreadyExists, Collector, FailedPrecondition, InvalidArgument, NotFound
from services.kit.idcard import mask_id_number

LIVE = "this child already has an open or registered adoption"
READ_ID_NUMBER = "adoption.read-id-number"
Adoption = tuple[AdoptionRegistration, list[Adopter]]


def after_keyset(
    region: sa.ColumnElement[str], row_id: sa.ColumnElement[str], after: tuple[str, str]
) -> sa.ColumnElement[bool]:
    """Rows after the keyset (region_code, id), spelled so the (region_code, id) index serves it."""
    return sa.or_(region > after[0], sa.and_(region == after[0], row_id > after[1]))


async def _adopters(session: AsyncSession, ids: Sequence[str]) -> dict[str, list[Adopter]]:
    rows = await session.exec(
        select(Adopter).where(col(Adopter.adoption_id).in_(ids)).order_by(col(Adopter.position))
    )
    found: dict[str, list[Adopter]] = defaultdict(list)
    for row in rows.all():
        found[row.adoption_id].append(row)
    return found


def _audit(
    session: AsyncSession, row: AdoptionRegistration, *, actor: str, action: str, now: datetime, detail: str
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=row.id,
        region_code=row.region_code,
        now=now,
        detail=detail[:500],
    )


async def register_adoption(
    session: AsyncSession, *, actor: str, new: NewAdoption, scopes: Sequence[str], now: datetime
) -> Adoption:
    """Record an application; a registered child's age rules are checked here, before anything is written."""
    if new.child_id is not None:
        child = await visible_child(session, scopes=scopes, child_id=new.child_id)
        errors = Collector()
        person = fr.Person(child.birth_date, child.sex)
        fr.check_adoption(
            errors, child=person, adopters=[a.facts() for a in new.adopters], applied_on=new.applied_on
        )
        errors.check(
            all(a.id_number.value != child.id_number for a in new.adopters),
            "adopters",
            "the child cannot adopt itself",
        )
        errors.raise_if_any()
        number, name, birth, sex, region = (
            child.id_number,
            child.name,
            child.birth_date,
            child.sex,
            child.region_code,
        )
    else:
        assert new.child_number is not None
        number, name, region = new.child_number.value, new.child_name, new.region_code
        birth, sex = new.child_number.birth_date, new.child_number.sex
        if not any(region.startswith(s) for s in scopes):
            raise NotFound(f"region {region} not found")
    live = select(AdoptionRegistration.id).where(
        AdoptionRegistration.child_id_number == number,
        col(AdoptionRegistration.status).in_(
            [s.value for s in (*fr.OPEN_STATUSES, fr.AdoptionStatus.REGISTERED)]
        ),
    )
    if (await session.exec(live)).first() is not None:
        raise AlreadyExists(f"child_id_number: {LIVE}")
    row = AdoptionRegistration(
        id=str(uuid.uuid4()),
        region_code=region,
        child_id=new.child_id,
        child_id_number=number,
        child_name=name,
        child_birth_date=birth,
        child_sex=sex,
        applied_on=new.applied_on,
        status=fr.AdoptionStatus.APPLIED.value,
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    session.add(row)
    try:
        await session.flush()  # the application first: the adopters refer to it
    except IntegrityError as exc:  # uq_adoption_registration_child_live: a concurrent application won
        raise AlreadyExists(f"child_id_number: {LIVE}") from exc
    adopters = [
        Adopter(
            id=str(uuid.uuid4()),
            adoption_id=row.id,
            position=i,
            name=a.name,
            id_number=a.id_number.value,
            sex=a.id_number.sex,
            birth_date=a.id_number.birth_date,
            relation=a.relation.value,
        )
        for i, a in enumerate(new.adopters)
    ]
    session.add_all(adopters)
    _audit(session, row, actor=actor, action="adoption.apply", now=now, detail=mask_id_number(number))
    await session.flush()
    return row, adopters


async def visible_adoption(
    session: AsyncSession, *, scopes: Sequence[str], adoption_id: str, for_update: bool = False
) -> Adoption:
    """One adoption inside the scopes with its adopters; NotFound otherwise."""
    stmt = select(AdoptionRegistration).where(
        AdoptionRegistration.id == adoption_id, in_regions(col(AdoptionRegistration.region_code), scopes)
    )
    found = (await session.exec(stmt.with_for_update() if for_update else stmt)).first()
    if found is None:
        raise NotFound(f"adoption {adoption_id} not found")
    return found, (await _adopters(session, [found.id]))[found.id]


async def record_assessment(
    session: AsyncSession,
    *,
    actor: str,
    adoption_id: str,
    scopes: Sequence[str],
    result: fr.AssessmentResult,
    assessed_on: date,
    assessed_by: str,
    notes: str,
    now: datetime,
) -> Adoption:
    """Record the assessment of an application (once): applied → assessed."""
    row, adopters = await visible_adoption(session, scopes=scopes, adoption_id=adoption_id, for_update=True)
    if not fr.can_assess(fr.AdoptionStatus(row.status)):
        raise FailedPrecondition(f"adoption {row.id} is {row.status}; only an application is assessed")
    if assessed_on < row.applied_on:
        raise InvalidArgument.field("assessed_on", f"must not be before the application ({row.applied_on})")
    row.status = fr.AdoptionStatus.ASSESSED.value
    row.assessment_result, row.assessed_on, row.assessed_by = result.value, assessed_on, assessed_by
    row.assessment_notes, row.updated_at = notes, now
    session.add(row)
    _audit(session, row, actor=actor, action="adoption.assess", now=now, detail=result.value)
    await session.flush()
    return row, adopters


async def complete_adoption(
    session: AsyncSession, *, actor: str, completion: Completion, scopes: Sequence[str], now: datetime
) -> Adoption:
    """Register (after a suitable assessment, with a unique certificate), refuse or withdraw an adoption."""
    row, adopters = await visible_adoption(
        session, scopes=scopes, adoption_id=completion.adoption_id, for_update=True
    )
    result = fr.AssessmentResult(row.assessment_result) if row.assessment_result else None
    problem = fr.completion_problem(fr.AdoptionStatus(row.status), completion.outcome, result)
    if problem is not None:
        raise InvalidArgument.field("outcome", problem)
    earliest = row.assessed_on or row.applied_on
    if completion.decided_on < earliest:
        raise InvalidArgument.field("decided_on", f"must not be before {earliest.isoformat()}")
    if completion.certificate_number:
        taken = select(AdoptionRegistration.id).where(
            AdoptionRegistration.certificate_number == completion.certificate_number
        )
        if (await session.exec(taken)).first() is not None:
            raise AlreadyExists("certificate_number: already issued to another adoption")
    row.status = fr.OUTCOME_STATUS[completion.outcome].value
    row.decided_on, row.decision_reason = completion.decided_on, completion.reason
    row.certificate_number, row.updated_at = completion.certificate_number or None, now
    session.add(row)
    _audit(
        session, row, actor=actor, action=f"adoption.{completion.outcome.value}", now=now, detail=row.status
    )
    try:
        await session.flush()
    except IntegrityError as exc:  # uq_adoption_registration_certificate, under a concurrent registration
        raise AlreadyExists("certificate_number: already issued to another adoption") from exc
    return row, adopters


async def list_adoptions(
    session: AsyncSession,
    *,
    scopes: Sequence[str],
    status: fr.AdoptionStatus | None,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Adoption], int, bool]:
    """A page of adoptions in (region_code, id) order, the total matching, and whether more follow."""
    where = [in_regions(col(AdoptionRegistration.region_code), scopes)]
    if status is not None:
        where.append(col(AdoptionRegistration.status) == status.value)
    total = (await session.exec(select(func.count()).select_from(AdoptionRegistration).where(*where))).one()
    stmt = select(AdoptionRegistration).where(*where)
    if after is not None:
        stmt = stmt.where(
            after_keyset(col(AdoptionRegistration.region_code), col(AdoptionRegistration.id), after)
        )
    stmt = stmt.order_by(col(AdoptionRegistration.region_code), col(AdoptionRegistration.id)).limit(limit + 1)
    rows = list((await session.exec(stmt)).all())
    more = len(rows) > limit
    rows = rows[:limit]
    adopters = await _adopters(session, [r.id for r in rows])
    return [(r, adopters[r.id]) for r in rows], int(total), more


async def reveal(session: AsyncSession, *, actor: str, adoptions: Sequence[Adoption], now: datetime) -> None:
    """Audit every ID number (child's and adopters') about to be shown in clear (inside a unit of work)."""
    reads = [(row.id, row.region_code, row.child_id_number) for row, _ in adoptions]
    reads += [(row.id, row.region_code, a.id_number) for row, adopters in adoptions for a in adopters]
    await kit_audit.record_id_reads(session, actor=actor, action=READ_ID_NUMBER, reads=reads, now=now)
