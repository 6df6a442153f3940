"""Relief indicators: the counts behind them as of a day, the 低保 standard per scope, the reference data.

Nothing is stored: a figure is recounted from the rows at call time (DESIGN §6), so a past year is the
state on its last day. A household holds a programme on a day when its grant started by then and had
not ended (``ended_on`` is the first day without it); a suspended grant still counts, and is counted
apart as well. Its persons are the members that day (``joined_on`` ≤ day < ``left_on``). The care
rates are ``care.care_rates``, the same counts GetCareRates gives. Money paid sums ``relief_payment``
(one row per household, programme and month) over the year's months, by the payment's region.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit.columns import in_regions
from services.kit.errors import InvalidArgument
from services.kit.policy import NoPolicyInForce, default_policy_path
from services.relief.care_rules import PROGRAMMES
from services.relief.indicator_rules import DibaoTargets, IndicatorDataError, paid_months, parse_reference
from services.relief.models import AssistanceGrant, Membership
from services.relief.models.payments import ReliefPayment
from services.relief.standards import StandardsBook

REFERENCE_NAME = "relief_indicators"
REFERENCE_ENV = "RELIEF_INDICATOR_FILE"


@cache
def _load(path: str) -> DibaoTargets:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IndicatorDataError(f"{path}: {exc}") from exc
    try:
        return parse_reference(raw)
    except IndicatorDataError as exc:
        raise IndicatorDataError(f"{path}: {exc}") from exc


def load_reference(path: str | None = None) -> DibaoTargets:
    """The 低保 targets from ``path``, ``$RELIEF_INDICATOR_FILE`` or the packaged file."""
    return _load(str(path or os.environ.get(REFERENCE_ENV) or default_policy_path(REFERENCE_NAME)))


@dataclass(frozen=True)
class ProgrammeTally:
    """Households holding one programme on the day, the suspended among them, their members."""

    programme: str
    households: int
    suspended: int
    persons: int


@dataclass(frozen=True)
class Holdings:
    """Per programme (every one, zeros included), and the distinct households and persons overall."""

    programmes: tuple[ProgrammeTally, ...]
    households: int
    persons: int


def _open_on(scopes: Sequence[str], day: date) -> sa.ColumnElement[bool]:
    grant = AssistanceGrant
    return sa.and_(
        col(grant.effective_from) <= day,
        sa.or_(col(grant.ended_on).is_(None), col(grant.ended_on) > day),
        in_regions(col(grant.region_code), scopes),
    )


async def holdings_on(session: AsyncSession, *, scopes: Sequence[str], day: date) -> Holdings:
    """Households and persons per programme on ``day``, in two grouped queries and two distinct counts."""
    grant = AssistanceGrant
    suspended = sa.and_(col(grant.suspended_from).is_not(None), col(grant.suspended_from) <= day)
    rows = await session.exec(
        select(
            col(grant.programme),
            sa.func.count(sa.distinct(grant.household_id)),
            sa.func.sum(sa.case((suspended, 1), else_=0)),
        )
        .where(_open_on(scopes, day))
        .group_by(col(grant.programme))
    )
    by_programme = {str(p): (int(n), int(s or 0)) for p, n, s in rows.all()}
    member = Membership
    present = sa.and_(
        col(member.household_id) == col(grant.household_id),
        col(member.joined_on) <= day,
        sa.or_(col(member.left_on).is_(None), col(member.left_on) > day),
    )
    people = await session.exec(
        select(col(grant.programme), sa.func.count(sa.distinct(member.person_id)))
        .select_from(grant)
        .join(member, present)
        .where(_open_on(scopes, day))
        .group_by(col(grant.programme))
    )
    persons = {str(p): int(n) for p, n in people.all()}
    households = (
        await session.exec(
            select(sa.func.count(sa.distinct(grant.household_id))).where(_open_on(scopes, day))
        )
    ).one()
    everyone = (
        await session.exec(
            select(sa.func.count(sa.distinct(member.person_id)))
            .select_from(grant)
            .join(member, present)
            .where(_open_on(scopes, day))
        )
    ).one()
    tallies = tuple(
        ProgrammeTally(p, by_programme.get(p, (0, 0))[0], by_programme.get(p, (0, 0))[1], persons.get(p, 0))
        for p in PROGRAMMES
    )
    return Holdings(tallies, int(households), int(everyone))


@dataclass(frozen=True)
class ProgrammePaid:
    """One programme's payments for the year's months: households paid, the money, the monthly rows."""

    programme: str
    households: int
    paid_fen: int
    payments: int


@dataclass(frozen=True)
class MoneyPaid:
    """Per programme (every one, zeros included), and the distinct households and money overall."""

    programmes: tuple[ProgrammePaid, ...]
    households: int
    paid_fen: int


async def money_paid(session: AsyncSession, *, scopes: Sequence[str], year: int, as_of: date) -> MoneyPaid:
    """The year's payments in the scopes, per programme and in all (``ix_relief_payment_region_period``)."""
    pay = ReliefPayment
    first, last = paid_months(year, as_of)
    where = sa.and_(
        in_regions(col(pay.region_code), scopes), col(pay.period) >= first, col(pay.period) <= last
    )
    rows = await session.exec(
        select(
            col(pay.programme),
            sa.func.count(sa.distinct(pay.household_id)),
            sa.func.coalesce(sa.func.sum(pay.amount_fen), 0),
            sa.func.count(),
        )
        .where(where)
        .group_by(col(pay.programme))
    )
    found = {str(p): (int(h), int(fen), int(n)) for p, h, fen, n in rows.all()}
    households = (await session.exec(select(sa.func.count(sa.distinct(pay.household_id))).where(where))).one()
    tallies = tuple(ProgrammePaid(p, *found.get(p, (0, 0, 0))) for p in PROGRAMMES)
    return MoneyPaid(tallies, int(households), sum(t.paid_fen for t in tallies))


@dataclass(frozen=True)
class StandardInForce:
    """The 低保 standard of one scope on a day, or why there is none."""

    scope: str
    monthly_fen: int | None
    source: str
    unavailable_reason: str


def dibao_standard(book: StandardsBook, *, scope: str, day: date) -> StandardInForce:
    """The 低保 standard in force in ``scope`` on ``day``; a reason instead when none can be named."""
    try:
        found = book.on(scope, day)
    except InvalidArgument:
        # A province- or city-wide scope (2 or 4 digits) has no single standard of its own.
        return StandardInForce(scope, None, "", "ask for a district, town or village: no single standard")
    except NoPolicyInForce as exc:
        return StandardInForce(scope, None, "", str(exc))
    [figure] = [s for s in found.sources if s.table == "dibao_monthly"]
    source = f"dibao_monthly {figure.region_key} {figure.span}: {figure.source or 'no source given'}"
    return StandardInForce(scope, found.dibao_monthly_fen, source, "")
