"""Re-classifying every household for a month (issue 6 items 2–3): set-based, chunked, exact.

A run is the n-th ``relief_classification_run`` of its month. It resolves the standards for each
DISTINCT household region in Python (``StandardsBook.for_month``: a few hundred villages at most),
stores each region's ``Standards.snapshot`` once (``relief_standards_snapshot``, id = UUID5 of the
canonical JSON), and hands their figures to SQL (``classification_sql``), which classifies the
households ``chunk_size`` at a time by id keyset, each chunk in its own transaction:

1. one INSERT … SELECT … ON CONFLICT aggregates the chunk's households and UPSERTS their exact
   aggregates into ``relief_household_facts`` (one row per month and household); when the month has
   had a run already, only the households whose facts are stale or missing (``classification_reuse``);
2. the rules decide the chunk once from its facts, write a ``relief_assessment`` row (engine
   ``TWIN_VERSION``, no snapshot) for each household decided that matters: classified other than
   ``none`` or holding an open grant (``models.payments``), and count the decided households per
   classification (``none`` included) and list those left (PostgreSQL: one statement; SQLite: through
   a temporary table);
3. the households left (a comparison or the rounding of the 低保 gap too close to call in floating
   point, or facts the twin cannot take) are assessed by the PURE engine through the assessment
   adapter: their rows (again only those that matter) keep the engine's snapshot; they are counted in
   ``engine_households``; a household whose facts the engine refuses (no single head, a member born
   after the month) is not classified (``invalid``);
4. ``classification_flags`` raises the chunk's ``reclassified`` flags and stages their events.

The counts (``ClassificationSummary.counts``, the run's ``counts`` and ``households``) cover every
household decided, ``none`` included, though only the rows that matter are written: a household with
members and a standard but no row in a finished run was classified ``none`` and holds no grant.

Households whose region has no standard in force for the month are not classified (``unassessed``);
nobody is classified on a guessed standard. A crash keeps the committed chunks of its run
(``finished_at`` stays null; its facts stay valid); a later run classifies everyone again under its
own id (``uq_relief_assessment_run_household``: never twice in one run). Payments read the latest
FINISHED run (``latest_finished_run``).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.kit import audit, payments
from services.kit.db import Database, insert_ignoring_conflicts, plan_each_statement
from services.kit.errors import InvalidArgument
from services.kit.periods import Month
from services.kit.policy import NoPolicyInForce
from services.relief import classification_flags as flags
from services.relief import classification_reuse as reuse
from services.relief import classification_sql as twin
from services.relief.assessment import to_household
from services.relief.eligibility import ELDER_AGE, ENGINE_VERSION, assess, income_window
from services.relief.eligibility_models import Assessment, Classification
from services.relief.finances import assets_of, incomes_of, latest_per_kind
from services.relief.households import members_of
from services.relief.models import (
    AssistanceGrant,
    Household,
    ReliefAssessment,
    ReliefClassificationRun,
    ReliefStandardsSnapshot,
)
from services.relief.standards import Standards, StandardsBook

log = logging.getLogger(__name__)

RUN_PROGRAMME = "relief-classification"
AUDIT_ACTION = "relief.classification-run"
# Households per chunk (one transaction each). SQLite: per-chunk costs (the temporary tables, a
# commit) against how long a chunk holds the write lock; at 50,000 (1M households, docs/performance.md
# §5) about 0.4 s per chunk re-deciding and 2.7 s aggregating a month's first run.
# PostgreSQL: at 50,000 the planner misjudged the aggregation of a chunk's members as one row and
# joined the income sums to it by a nested loop (minutes per chunk); at 20,000 it merge-joins.
CHUNK_SIZE = {"sqlite": 50_000, "postgresql": 20_000}
_START_ATTEMPTS = 5
# Households without usable facts that the twin aggregates by name rather than by the chunk's range.
_FEW = 1000
# A fixed namespace: the same standards give the same snapshot id on every replica and in every run.
_SNAPSHOT_NAMESPACE = uuid.UUID("9d3f6c2a-4b7e-4f1d-8a65-0e2c7b9d4f13")


@dataclass(frozen=True)
class ClassificationSummary:
    """What a run did: households classified (by SQL and by the engine), flags raised, per classification.

    ``counts`` and ``households`` count every household decided, ``none`` included; assessment rows are
    written only for those classified other than ``none`` or holding an open grant.
    """

    run_id: str
    period: str
    households: int
    engine_households: int
    flagged: int
    counts: Mapping[str, int]
    unassessed: int  # households whose region has no standard in force for the month
    invalid: int = 0  # households whose recorded facts the engine refuses (no row; fix the record)
    redecided: int = 0  # households decided from facts an earlier run of the month computed
    regions_without_standard: tuple[str, ...] = field(default=())  # for the officer and the log


# --- standards ------------------------------------------------------------------------------------


def snapshot_json(standards: Standards) -> str:
    """``Standards.snapshot`` as canonical JSON (sorted keys): equal standards, equal text, equal id."""
    return json.dumps(standards.snapshot(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot_id(text: str) -> str:
    """The id of a standards snapshot: UUID5 of its canonical JSON."""
    return str(uuid.uuid5(_SNAPSHOT_NAMESPACE, text))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def latest_birth_at_age(age: int, day: date) -> date:
    """The latest birth date of someone ``age`` or older on ``day`` (``kit.fields.age_on`` semantics).

    ``age_on`` counts a birthday as reached when (month, day) of ``day`` is not before the birth's, so
    the latest such birth is ``day`` itself ``age`` years earlier; when that is 29 February in a common
    year, 28 February (born 29 February, one is older on 28 February than someone born 1 March).
    """
    return _years_before(day, age)


def figures_for(standards: Standards, month: Month, standards_id: str) -> twin.Figures:
    """The figures the SQL needs for one region, with the age cutoffs as birth dates."""
    start, end = income_window(month, standards.income_window_months)
    multiplier = standards.dibian_multiplier
    return twin.Figures(
        region_code=standards.region,
        standards_id=standards_id,
        dibao_fen=standards.dibao_monthly_fen,
        tekun_fen=standards.tekun_monthly_fen,
        dibian_numerator=multiplier.numerator,
        dibian_denominator=multiplier.denominator,
        dibian_allowance_fen=standards.dibian_allowance_monthly_fen,
        price_subsidy_fen=standards.price_subsidy_monthly_fen,
        window_months=standards.income_window_months,
        asset_limit_per_person_fen=standards.asset_limit_per_person_fen,
        window_start=start,
        window_end=end,
        # 60 or more on ANY day of the month: by its last day.
        elder_born_by=latest_birth_at_age(ELDER_AGE, month.last),
        # Still a minor on its first day: born after the latest birth of someone of the limit's age.
        minor_born_after=latest_birth_at_age(standards.tekun_minor_age_limit, month.first),
    )


@dataclass(frozen=True)
class _Book:
    """The month's standards per household region, and the regions with none in force."""

    standards: dict[str, Standards]
    figures: list[twin.Figures]
    missing: list[str]


async def _resolve(db: Database, book: StandardsBook, month: Month, now: datetime) -> _Book:
    """Resolve each distinct household region once; store each distinct snapshot once."""
    async with db.read() as session:
        regions = list((await session.exec(select(Household.region_code).distinct())).all())
    resolved: dict[str, Standards] = {}
    missing: list[str] = []
    for region in sorted(regions):
        try:
            resolved[region] = book.for_month(region, month)
        except (NoPolicyInForce, InvalidArgument):
            missing.append(region)
    rows: dict[str, dict[str, object]] = {}
    figures = []
    for region, standards in resolved.items():
        text = snapshot_json(standards)
        sid = snapshot_id(text)
        rows[sid] = {
            "id": sid,
            "region_code": region,
            "day": standards.day,
            "dibao_monthly_fen": standards.dibao_monthly_fen,
            "tekun_monthly_fen": standards.tekun_monthly_fen,
            "snapshot": text,
            "created_at": now,
        }
        figures.append(figures_for(standards, month, sid))
    if rows:
        async with db.unit_of_work() as session:
            values = list(rows.values())
            for start in range(0, len(values), 500):
                table = ReliefStandardsSnapshot.__table__  # type: ignore[attr-defined]
                new = insert_ignoring_conflicts(session, table).values(values[start : start + 500])
                await session.exec(new)
    return _Book(resolved, figures, missing)


# --- the run --------------------------------------------------------------------------------------


async def _start(db: Database, period: str, now: datetime, actor: str) -> ReliefClassificationRun:
    """Record the run as the next of its month (a concurrent start taking the same number retries)."""
    for _ in range(_START_ATTEMPTS):
        try:
            async with db.unit_of_work() as session:
                stmt = select(sa.func.coalesce(sa.func.max(ReliefClassificationRun.sequence), 0)).where(
                    col(ReliefClassificationRun.period) == period
                )
                sequence = int((await session.exec(stmt)).one()) + 1
                run = ReliefClassificationRun(
                    id=payments.run_id(RUN_PROGRAMME, period, sequence),
                    period=period,
                    sequence=sequence,
                    started_at=now,
                    started_by=actor,
                )
                session.add(run)
            return run
        except IntegrityError:
            continue
    raise RuntimeError(f"could not start a classification run for {period}: too many concurrent runs")


async def _upper_bound(session: AsyncSession, after: str, chunk_size: int) -> str | None:
    """The id of the chunk's last household, or None when fewer than ``chunk_size`` remain."""
    stmt = (
        select(Household.id)
        .where(col(Household.id) > after)
        .order_by(col(Household.id))
        .offset(chunk_size - 1)
        .limit(1)
    )
    return (await session.exec(stmt)).first()


@dataclass(frozen=True)
class _Chunk:
    """One chunk of a run: the households with ids in ``(after, upper]`` (``upper`` None: to the end)."""

    run: ReliefClassificationRun
    known: _Book
    month: Month
    after: str
    upper: str | None
    now: datetime
    previous: reuse.Previous | None  # what the month's stored facts offer (None: aggregate everyone)

    @property
    def shape(self) -> dict[str, bool]:
        """The SQL builders' ``upper`` and ``reuse`` flags."""
        return {"upper": self.upper is not None, "reuse": self.previous is not None}

    def statement(
        self, sql: str, *, only: Sequence[str] | None = None
    ) -> tuple[sa.TextClause, dict[str, Any]]:
        """The chunk statement ``sql`` with the binds and parameters it names (``only``: ``only_ids``)."""
        values, dates = twin.figure_params(self.known.figures)
        when = ReliefAssessment.__table__.c.assessed_at.type  # type: ignore[attr-defined]
        binds = [*dates, sa.bindparam("now", type_=when), sa.bindparam("month_last", type_=sa.Date())]
        params = values | {
            "after": self.after,
            "upper": self.upper,
            "run_id": self.run.id,
            "period": self.run.period,
            "now": self.now,
            "engine": twin.TWIN_VERSION,
            "month_last": self.month.last,
        }
        if self.previous is not None:
            binds += [sa.bindparam("facts_since", type_=when), sa.bindparam("previous_ids", expanding=True)]
            params |= {
                "facts_since": self.previous.facts_since,
                "previous_ids": list(self.previous.standards_ids),
            }
        if only is not None:
            binds.append(sa.bindparam("only_ids", expanding=True))
            params["only_ids"] = list(only)
        # Each statement is bound only what it names (``text().bindparams`` refuses any other name).
        stmt = sa.text(sql).bindparams(*[b for b in binds if f":{b.key}" in sql])
        return stmt, {k: v for k, v in params.items() if f":{k}" in sql}


async def _aggregate(session: AsyncSession, chunk: _Chunk, *, only: Sequence[str] | None = None) -> None:
    """Upsert the facts of the chunk's households (those without usable facts when the month has some;
    only the households ``only`` when given)."""
    conn = await session.connection()
    sql = twin.aggregate_chunk(
        conn.dialect.name,
        len(chunk.known.figures),
        upper=chunk.upper is not None,
        skip_done=chunk.previous is not None and only is None,
        only=only is not None,
    )
    await conn.execute(*chunk.statement(sql, only=only))


async def _figures_table(session: AsyncSession, known: _Book) -> None:
    """SQLite: the figures as this connection's temporary table, keyed by region (``classification_sql``)."""
    conn = await session.connection()
    for ddl in twin.figures_table_sql():
        await conn.execute(sa.text(ddl))
    values, dates = twin.figure_params(known.figures)
    await conn.execute(sa.text(twin.fill_figures_table(len(known.figures))).bindparams(*dates), values)


async def _decide(session: AsyncSession, chunk: _Chunk) -> tuple[dict[str, int], int, list[str]]:
    """Write the assessments that matter of the chunk's households with usable facts; (decided per
    classification, ``none`` included, decided from an earlier run's facts, households left to the engine).

    The rules run once over the chunk's facts: on PostgreSQL one statement inserts and counts
    (``decide_and_count``), on SQLite the decided chunk is staged in a temporary table, inserted from
    and counted (``staged_decision``). Facts of regions without a standard now are not decided on.
    """
    conn = await session.connection()
    if conn.dialect.name == "sqlite":
        await _figures_table(session, chunk.known)
        for sql in twin.staged_decision(**chunk.shape):
            await conn.execute(*chunk.statement(sql))
        counts = twin.count_staged()
    else:
        counts = twin.decide_and_count(len(chunk.known.figures), **chunk.shape)
    stmt, params = chunk.statement(counts)
    decided = {c.value: 0 for c in Classification}
    reused = 0
    left: list[str] = []
    for household_id, cls, n, e in (await conn.execute(stmt, params)).all():
        if household_id is not None:
            left.append(str(household_id))
        else:
            decided[str(cls)] += int(n)
            reused += int(e)
    return {c: n for c, n in decided.items() if n}, reused, sorted(left)


async def _without_facts(session: AsyncSession, chunk: _Chunk) -> list[str]:
    """Households of the chunk with members and a standard but no usable facts of the month."""
    upper = chunk.upper is not None
    usable = twin.usable_facts("f", upper=upper, reuse=chunk.previous is not None)
    sql = (
        f"SELECT household.id FROM household WHERE {twin.chunk_where('household.id', upper=upper)} "
        "AND NOT EXISTS (SELECT 1 FROM relief_household_facts f WHERE f.household_id = household.id "
        f"AND {twin.chunk_where('f.household_id', upper=upper)} AND {usable}) "
        "AND EXISTS (SELECT 1 FROM membership m WHERE m.household_id = household.id AND m.left_on IS NULL) "
        "ORDER BY household.id"
    )
    conn = await session.connection()
    left = [str(h) for h in (await conn.execute(*chunk.statement(sql))).scalars().all()]
    # By id alone (the primary key's index covers it); the region is looked up for the few left.
    with_standard: set[str] = set()
    for start in range(0, len(left), 500):
        part = left[start : start + 500]
        found = select(Household.id).where(
            col(Household.id).in_(part), col(Household.region_code).in_(list(chunk.known.standards))
        )
        with_standard.update((await session.exec(found)).all())
    return [h for h in left if h in with_standard]


async def _open_grant_holders(session: AsyncSession, household_ids: Sequence[str]) -> set[str]:
    """Which of the households hold an open grant (active or suspended)."""
    held: set[str] = set()
    for start in range(0, len(household_ids), 500):
        stmt = select(AssistanceGrant.household_id).where(
            col(AssistanceGrant.household_id).in_(list(household_ids[start : start + 500])),
            col(AssistanceGrant.status).in_(("active", "suspended")),
        )
        held.update((await session.exec(stmt)).all())
    return held


def _row_of(
    assessment: Assessment,
    household: Household,
    *,
    run: ReliefClassificationRun,
    standards_id: str,
    now: datetime,
) -> ReliefAssessment:
    per_capita = next(r for r in assessment.reasons if r.rule == "income.per_capita")
    facts = assessment.snapshot["household"]
    members = facts["members"]
    return ReliefAssessment(
        run_id=run.id,
        household_id=household.id,
        period=run.period,
        region_code=household.region_code,
        classification=assessment.classification.value,
        amount_fen=assessment.amount_fen,
        members=len(members),
        household_monthly_income_fen=per_capita.figures["household_monthly_fen"],
        assets_fen=sum(a["value_fen"] for m in members for a in m["assets"]),
        standards_id=standards_id,
        engine=ENGINE_VERSION,
        snapshot=json.dumps(assessment.snapshot, ensure_ascii=False, sort_keys=True),
        assessed_at=now,
    )


async def _by_engine(
    session: AsyncSession,
    household_ids: Sequence[str],
    *,
    run: ReliefClassificationRun,
    known: _Book,
    month: Month,
    now: datetime,
) -> tuple[dict[str, int], int]:
    """Assess the households the SQL left with the pure engine; (decided per classification, households
    refused). Rows are written only for those that matter (classified other than none, or an open grant)."""
    decided: dict[str, int] = {}
    if not household_ids:
        return decided, 0
    households = {
        h.id: h
        for h in (await session.exec(select(Household).where(col(Household.id).in_(household_ids)))).all()
    }
    members = await members_of(session, household_ids=household_ids)
    ids = {f.region_code: f.standards_id for f in known.figures}
    holders = await _open_grant_holders(session, household_ids)
    refused = 0
    for household_id in household_ids:
        household, rows = households[household_id], members.get(household_id, [])
        standards = known.standards[household.region_code]
        person_ids = [r.person.id for r in rows]
        window = income_window(month, standards.income_window_months)
        incomes = await incomes_of(session, person_ids=person_ids, overlapping=window)
        assets = latest_per_kind(await assets_of(session, person_ids=person_ids, as_of=month.last))
        try:
            result = assess(to_household(household, rows, incomes, assets), standards, month)
        except InvalidArgument as exc:
            log.warning("household %s cannot be classified for %s: %s", household_id, month, exc.message)
            refused += 1
            continue
        cls = result.classification.value
        decided[cls] = decided.get(cls, 0) + 1
        if result.classification is not Classification.NONE or household_id in holders:
            session.add(_row_of(result, household, run=run, standards_id=ids[household.region_code], now=now))
    await session.flush()
    return decided, refused


async def _unassessed(db: Database, regions: Sequence[str]) -> int:
    """Households with members in regions that have no standard in force."""
    if not regions:
        return 0
    has_members = sa.text(
        "EXISTS (SELECT 1 FROM membership m WHERE m.household_id = household.id AND m.left_on IS NULL)"
    )
    stmt = (
        select(sa.func.count())
        .select_from(Household)
        .where(col(Household.region_code).in_(list(regions)), has_members)
    )
    async with db.read() as session:
        return int((await session.exec(stmt)).one())


async def _finish(
    db: Database,
    run: ReliefClassificationRun,
    *,
    decided: Mapping[str, int],
    engine_households: int,
    redecided: int,
    flagged: int,
    unassessed: int,
    invalid: int,
    now: datetime,
    actor: str,
) -> dict[str, int]:
    """Record the run's counts per classification (every household decided) and mark it finished."""
    counts = {c.value: decided.get(c.value, 0) for c in Classification}
    async with db.unit_of_work() as session:
        households = sum(counts.values())
        await session.exec(
            sa.update(ReliefClassificationRun)
            .where(col(ReliefClassificationRun.id) == run.id)
            .values(
                finished_at=now,
                households=households,
                engine_households=engine_households,
                flagged=flagged,
                counts=json.dumps(counts, sort_keys=True),
            )
        )
        detail = (
            f"{run.period} #{run.sequence}: {households} household(s) {json.dumps(counts, sort_keys=True)}, "
            f"{engine_households} by the engine, {redecided} from the month's stored facts, "
            f"{flagged} flagged, {unassessed} without a standard, {invalid} refused"
        )
        audit.record(
            session, actor=actor, action=AUDIT_ACTION, target=run.id, region_code=None, now=now, detail=detail
        )
    return counts


async def _first_start(db: Database, month: Month) -> datetime | None:
    """When the month's first run started (read before this run starts): every facts row of the month
    was computed after it, so it is a safe cutoff for all of them (``classification_reuse``)."""
    async with db.read() as session:
        stmt = (
            select(ReliefClassificationRun)
            .where(col(ReliefClassificationRun.period) == month.key)
            .order_by(col(ReliefClassificationRun.sequence))
            .limit(1)
        )
        first = (await session.exec(stmt)).first()
        return None if first is None else first.started_at


async def _comparable(
    db: Database, first: datetime | None, month: Month, known: _Book
) -> reuse.Previous | None:
    """What the month's stored facts offer to decide from under its standards now, if anything."""
    if first is None:
        return None
    async with db.read() as session:
        return await reuse.previous_of(session, first, month, known.standards)


async def reclassify(
    db: Database,
    *,
    book: StandardsBook,
    month: Month,
    now: datetime,
    actor: str,
    chunk_size: int | None = None,
    after_chunk: Callable[[int], None] | None = None,
    on_commit: Callable[[], None] | None = None,
    reuse_previous: bool = True,
) -> ClassificationSummary:
    """Classify every household with members for ``month`` under the standards ``book`` has for it.

    ``after_chunk(n)`` is called after the n-th chunk committed; ``on_commit`` after a commit that staged
    ``household-flagged`` events (to wake the outbox relay). ``reuse_previous=False`` aggregates everyone
    in full even when the month has stored facts to decide from. ``chunk_size``: households per chunk
    (default ``CHUNK_SIZE`` of the database's dialect).
    """
    if chunk_size is None:
        chunk_size = CHUNK_SIZE["sqlite" if db.is_sqlite else "postgresql"]
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more, got {chunk_size}")
    first = await _first_start(db, month) if reuse_previous else None
    run = await _start(db, month.key, now, actor)
    known = await _resolve(db, book, month, now)
    previous = await _comparable(db, first, month, known)
    decided: dict[str, int] = {}
    engine_households = invalid = flagged = chunks = redecided = 0
    after = ""  # every id sorts after the empty string
    while known.figures:
        async with db.unit_of_work() as session:
            await plan_each_statement(session)
            upper = await _upper_bound(session, after, chunk_size)
            chunk = _Chunk(run, known, month, after, upper, now, previous)
            stale: list[str] = []
            if previous is None:
                await _aggregate(session, chunk)
            else:
                # Only the households without usable facts are aggregated (named when few).
                stale = await _without_facts(session, chunk)
                if stale:
                    await _aggregate(session, chunk, only=stale if len(stale) <= _FEW else None)
            by_sql, reused, left = await _decide(session, chunk)
            # Households whose facts the twin cannot take (no single head, a bad fact) have none.
            if previous is None or stale:
                left = sorted(set(left) | set(await _without_facts(session, chunk)))
            by_engine, refused = await _by_engine(session, left, run=run, known=known, month=month, now=now)
            raised = await flags.raise_flags(
                session, run_id=run.id, period=run.period, after=after, upper=upper, now=now
            )
        for part in (by_sql, by_engine):
            for cls, n in part.items():
                decided[cls] = decided.get(cls, 0) + n
        engine_households, invalid, flagged, chunks = (
            engine_households + sum(by_engine.values()),
            invalid + refused,
            flagged + raised,
            chunks + 1,
        )
        redecided += reused
        if raised and on_commit is not None:
            on_commit()
        if after_chunk is not None:
            after_chunk(chunks)
        if upper is None:
            break
        after = upper
    unassessed = await _unassessed(db, known.missing)
    counts = await _finish(
        db,
        run,
        decided=decided,
        engine_households=engine_households,
        redecided=redecided,
        flagged=flagged,
        unassessed=unassessed,
        invalid=invalid,
        now=now,
        actor=actor,
    )
    summary = ClassificationSummary(
        run_id=run.id,
        period=run.period,
        households=sum(counts.values()),
        engine_households=engine_households,
        flagged=flagged,
        counts=counts,
        unassessed=unassessed,
        invalid=invalid,
        regions_without_standard=tuple(known.missing),
        redecided=redecided,
    )
    log.info(
        "classification run %s #%d: %d household(s) %s, %d by the engine, %d decided again, %d flagged, "
        "%d unassessed, %d refused",
        run.period,
        run.sequence,
        summary.households,
        counts,
        engine_households,
        redecided,
        flagged,
        unassessed,
        invalid,
    )
    return summary


async def latest_finished_run(session: AsyncSession, period: str) -> ReliefClassificationRun | None:
    """The month's latest run that finished (a crashed or running one is never read from)."""
    stmt = (
        select(ReliefClassificationRun)
        .where(
            col(ReliefClassificationRun.period) == period,
            col(ReliefClassificationRun.finished_at).is_not(None),
        )
        .order_by(col(ReliefClassificationRun.sequence).desc())
        .limit(1)
    )
    return (await session.exec(stmt)).first()
