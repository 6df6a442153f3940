"""The adapter between relief's tables and the pure eligibility engine: rows in, ``Assessment`` out.

The household is assessed as it stands now (its current members: a preview for the officer); the
month decides the standards (those in force on its first day in the household's village), the
income window (``income_window_months`` whole months before it; only incomes overlapping the window
are loaded) and the assets (each member's latest valuation per kind on or before the month's last
day). Nothing is written: payments will record ``Assessment.snapshot`` themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.errors import FailedPrecondition, InvalidArgument
from services.kit.periods import Month
from services.relief import eligibility_models as em
from services.relief.eligibility import assess, income_window
from services.relief.finances import assets_of, incomes_of, latest_per_kind
from services.relief.households import MemberRow, household_file, visible_household
from services.relief.models import Asset, Household, Income
from services.relief.standards import Standards, StandardsBook


def to_household(
    household: Household, members: Sequence[MemberRow], incomes: Sequence[Income], assets: Sequence[Asset]
) -> em.Household:
    """The engine's view of a household: its members with their incomes and counted assets."""
    by_person_incomes: dict[str, list[em.Income]] = {}
    for i in sorted(incomes, key=lambda i: (i.period_start, i.period_end, i.id)):
        income = em.Income(i.kind, i.period_start, i.period_end, i.amount_fen)
        by_person_incomes.setdefault(i.person_id, []).append(income)
    by_person_assets: dict[str, list[em.Asset]] = {}
    for a in sorted(assets, key=lambda a: (a.kind, a.id)):
        by_person_assets.setdefault(a.person_id, []).append(em.Asset(a.kind, a.value_fen))
    return em.Household(
        household_id=household.id,
        region=household.region_code,
        members=tuple(
            em.Member(
                member_id=r.person.id,
                birth_date=r.person.birth_date,
                relation=em.Relation(r.membership.relation),
                labour_capacity=em.LabourCapacity(r.person.labour_capacity),
                disability_grade=r.person.disability_grade,
                employed=r.person.employed,
                incomes=tuple(by_person_incomes.get(r.person.id, ())),
                assets=tuple(by_person_assets.get(r.person.id, ())),
            )
            for r in members
        ),
    )


async def assess_household(
    session: AsyncSession, *, scopes: Sequence[str], household_id: str, month: Month, book: StandardsBook
) -> tuple[em.Assessment, Standards]:
    """The household (inside the scopes) assessed for ``month``, and the standards used."""
    household = await visible_household(session, scopes=scopes, household_id=household_id)
    standards = book.for_month(household.region_code, month)  # NoPolicyInForce: FailedPrecondition
    file = await household_file(session, household=household, with_past=False)
    if not file.members:
        raise FailedPrecondition(f"household {household.id} has no members to assess")
    ids = [r.person.id for r in file.members]
    window = income_window(month, standards.income_window_months)
    incomes = await incomes_of(session, person_ids=ids, overlapping=window)
    assets = latest_per_kind(await assets_of(session, person_ids=ids, as_of=month.last))
    facts = to_household(household, file.members, incomes, assets)
    try:
        return assess(facts, standards, month), standards
    except InvalidArgument as exc:
        # The request was fine; the recorded facts are not (e.g. a member born after the month).
        raise FailedPrecondition(
            f"household {household.id} cannot be assessed for {month}: {exc.message}"
        ) from exc
