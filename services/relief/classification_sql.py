"""The SQL of the set-based re-classification: the eligibility engine's rules as one INSERT … SELECT.

A chunk of households (``id`` in ``(after, upper]``) is aggregated by one statement
(``aggregate_chunk``). It joins each household's region to a small VALUES table of the standards
resolved in Python (``Figures``) and reads the chunk's current members once (``mem``: open memberships ×
persons); from them it sums, per household, the incomes overlapping the region's income window, each
member's latest asset valuation per kind, and the member facts (count, heads, 特困 conditions, where a
member's own income is looked at only when every other 特困 condition holds); it joins these back to
the figures and UPSERTS the exact aggregates of each household with decidable facts into
``relief_household_facts``. The rules are then applied once to the chunk's usable facts
(``decided``): the households decided that matter (classified other than none, or holding an open
grant) get a ``relief_assessment`` row, and the chunk is counted per classification, ``none``
included, with the households left to the engine listed (``_counts``) — on PostgreSQL in one
statement whose INSERT is a data-modifying CTE (``decide_and_count``), on SQLite, which has none, by
staging the decided chunk in a temporary table and inserting and counting from it
(``staged_decision``, ``count_staged``). The rules are ``eligibility``'s,
in its order: bad facts (no single head, a birth after the month) are left to the engine (which
refuses them), assets over the limit → none, every member 特困 → 特困, below the 低保 standard → 低保
with the gap rounded up, below the 低边 line → 低边, else none.

Exactness. The engine sums ``amount × overlap / period`` as exact fractions. Here each counted part is
split with integer arithmetic into a quotient and a remainder (``amount × overlap = q × period + r``);
the quotients add up exactly and the fractional part ``F = Σ r/period`` is known exactly while at most
one income per sum has a remainder (``F = r/period``: integer comparisons), and as a float otherwise.
A comparison on a float ``F`` is decided only when ``F`` is more than ``EPSILON`` from the boundary
(double rounding over a few terms is ~1e-15); closer than that, the household is left undecided (no
row), and the caller hands it to the pure engine. The gap ``ceil(standard × n − T/m)`` is
``standard × n − floor(T/m)``, and ``floor((Q + F)/m) = (Q + floor(F)) div m`` for integers Q, m: only
``floor(F)`` must be exact, and it is undecided when a float ``F`` lies within ``EPSILON`` of an
integer. The household's monthly income (half up, for reading) is ``(2Q + m + floor(2F)) div 2m``.

What it decides on is the facts row (``income_q``, ``income_r``, ``income_kf``, ``income_p1``,
``income_f``, ``assets_fen``, ``members``, ``tekun_others``, ``tekun_own_max``): a member's own income is
compared with a whole-fen limit, so ``floor`` of it decides, and the largest floor decides for every
member under any 低保 standard. A later run of the month decides from the facts an earlier run stored
(``classification_reuse``) with the same statement: same rules, same exactness, same rows.

Dialects: SQLite keeps dates as 'YYYY-MM-DD' text (days between them through ``julianday``; ``min`` and
``max`` compare the text), PostgreSQL subtracts dates; both divide integers as integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from services.relief.eligibility_models import Classification

# How far a float fractional sum must be from a boundary to decide on it (see the module docstring).
EPSILON = "1e-7"
# A member's own income too close to call (above any real sum of fen: 2^62).
UNKNOWN = "4611686018427387904"
TWIN_VERSION = "relief-eligibility-sql/1"


@dataclass(frozen=True)
class Figures:
    """The standards of one region for the month, as the SQL needs them (money in fen, dates as days)."""

    region_code: str
    standards_id: str
    dibao_fen: int
    tekun_fen: int
    dibian_numerator: int  # the 低边 multiplier as an exact fraction p/q
    dibian_denominator: int
    dibian_allowance_fen: int | None
    price_subsidy_fen: int | None
    window_months: int
    asset_limit_per_person_fen: int
    window_start: date
    window_end: date
    elder_born_by: date  # born on or before: 60 or more on the month's last day
    minor_born_after: date  # born after: younger than the minor age limit on the month's first day


_FIGURE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("region_code", "region"),
    ("standards_id", "text"),
    ("dibao_fen", "int"),
    ("tekun_fen", "int"),
    ("dibian_numerator", "int"),
    ("dibian_denominator", "int"),
    ("dibian_allowance_fen", "int"),
    ("price_subsidy_fen", "int"),
    ("window_months", "int"),
    ("asset_limit_per_person_fen", "int"),
    ("window_start", "date"),
    ("window_end", "date"),
    ("elder_born_by", "date"),
    ("minor_born_after", "date"),
)


class Dialect:
    """The few fragments that differ between SQLite and PostgreSQL."""

    def __init__(self, name: str) -> None:
        self.postgres = name == "postgresql"

    def cast(self, param: str, kind: str) -> str:
        """A bound figure typed for the VALUES table (PostgreSQL infers nothing from NULLs)."""
        if not self.postgres:
            return f"CAST(:{param} AS INTEGER)" if kind == "int" else f":{param}"
        return {
            "int": f"CAST(:{param} AS BIGINT)",
            "text": f"CAST(:{param} AS VARCHAR)",
            # household.region_code is collated "C" on PostgreSQL: the join key must be too.
            "region": f'CAST(:{param} AS VARCHAR(12)) COLLATE "C"',
            "date": f"CAST(:{param} AS DATE)",
        }[kind]

    def days_between(self, later: str, earlier: str) -> str:
        """Whole days from ``earlier`` to ``later`` (both dates)."""
        if self.postgres:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.postgres else f"min({a}, {b})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgres else f"max({a}, {b})"

    def real(self, expr: str) -> str:
        return f"CAST({expr} AS DOUBLE PRECISION)" if self.postgres else f"CAST({expr} AS REAL)"

    def floor(self, expr: str) -> str:
        """floor() of a non-negative float as an integer (SQLite's CAST truncates; PostgreSQL's rounds)."""
        return f"CAST(FLOOR({expr}) AS BIGINT)" if self.postgres else f"CAST({expr} AS INTEGER)"


def below(kf: str, r: str, p1: str, f: str, numerator: str, denominator: str = "1") -> str:
    """Three-valued ``F < numerator / denominator``: 1, 0, or NULL when too close to call.

    ``kf`` counts the fractional terms of F, ``r`` sums their remainders, ``p1`` is the period of the
    single one (when ``kf = 1``, F = r / p1 exactly), ``f`` is F as a float.
    """
    return (
        f"(CASE WHEN {kf} = 0 THEN (CASE WHEN 0 < {numerator} THEN 1 ELSE 0 END) "
        f"WHEN {kf} = 1 THEN (CASE WHEN {r} * {denominator} < ({numerator}) * {p1} THEN 1 ELSE 0 END) "
        f"WHEN {f} * {denominator} < ({numerator}) - {EPSILON} THEN 1 "
        f"WHEN {f} * {denominator} > ({numerator}) + {EPSILON} THEN 0 END)"
    )


def floor_of(sql: Dialect, kf: str, r: str, p1: str, f: str, times: int) -> str:
    """``floor(times × F)`` exactly, or NULL when a float F puts it too close to an integer."""
    whole = sql.floor(f"{f} * {times}")
    return (
        f"(CASE WHEN {kf} = 0 THEN 0 WHEN {kf} = 1 THEN ({r} * {times}) / {p1} "
        f"WHEN {f} * {times} - {whole} > {EPSILON} AND {f} * {times} - {whole} < 1 - {EPSILON} "
        f"THEN {whole} END)"
    )


def figure_params(figures: Sequence[Figures]) -> tuple[dict[str, Any], list[sa.BindParameter[Any]]]:
    """The bound values of the figures' VALUES rows, and the typed binds of the dates among them."""
    params: dict[str, Any] = {}
    dates: list[sa.BindParameter[Any]] = []
    for i, fig in enumerate(figures):
        for name, kind in _FIGURE_COLUMNS:
            key = f"{name}_{i}"
            params[key] = getattr(fig, name)
            if kind == "date":
                dates.append(sa.bindparam(key, type_=sa.Date()))
    return params, dates


FIGURES_TABLE = "temp.relief_figures"


def figures_table_sql() -> list[str]:
    """SQLite: (re)create the connection's temporary figures table, keyed by region; fill it with
    ``fill_figures_table`` (bound as ``figure_params``)."""
    columns = ", ".join(
        f"{name} {'TEXT PRIMARY KEY' if name == 'region_code' else ('INTEGER' if kind == 'int' else 'TEXT')}"
        for name, kind in _FIGURE_COLUMNS
    )
    return [f"DROP TABLE IF EXISTS {FIGURES_TABLE}", f"CREATE TABLE {FIGURES_TABLE} ({columns})"]


def fill_figures_table(count: int) -> str:
    """SQLite: INSERT the figures of ``count`` regions into the temporary figures table."""
    names = ", ".join(name for name, _ in _FIGURE_COLUMNS)
    return f"INSERT INTO {FIGURES_TABLE} ({names}) VALUES {_values(Dialect('sqlite'), count)}"


def _values(sql: Dialect, count: int) -> str:
    rows = []
    for i in range(count):
        rows.append("(" + ", ".join(sql.cast(f"{name}_{i}", kind) for name, kind in _FIGURE_COLUMNS) + ")")
    return ", ".join(rows)


def chunk_where(column: str, *, upper: bool) -> str:
    """Households of the chunk: ids after the last chunk's upper bound, up to this one's (if any)."""
    return f"{column} > :after" + (f" AND {column} <= :upper" if upper else "")


def _own_income_floor(sql: Dialect) -> str:
    """For a member row ``m``: ``floor`` of their own counted income over the window, or ``UNKNOWN``.

    The 特困 limit on it (the 低保 standard × the window's months) is whole fen, and ``x < L ⟺ floor(x)
    < L`` for a whole ``L``: the floor decides the member now and under any other 低保 standard, so the
    row can keep it (``tekun_own_max``). ``UNKNOWN`` when a float F lies too close to a whole fen.
    A correlated scalar subquery, evaluated only for members meeting every other 特困 condition.
    """
    overlap = sql.days_between(
        sql.least("i.period_end", "m.window_end"), sql.greatest("i.period_start", "m.window_start")
    )
    num = f"(i.amount_fen * ({overlap} + 1))"
    per = f"({sql.days_between('i.period_end', 'i.period_start')} + 1)"
    # BIGINT: PostgreSQL sums integers as NUMERIC, which would divide r / p1 exactly (not floor it).
    q = f"COALESCE(CAST(SUM({num} / {per}) AS BIGINT), 0)"
    r = f"COALESCE(CAST(SUM({num} % {per}) AS BIGINT), 0)"
    kf = f"COALESCE(SUM(CASE WHEN {num} % {per} > 0 THEN 1 ELSE 0 END), 0)"
    p1 = f"MAX(CASE WHEN {num} % {per} > 0 THEN {per} END)"
    f = f"COALESCE(SUM({sql.real(f'{num} % {per}')} / {per}), 0)"
    return (
        f"(SELECT COALESCE({q} + {floor_of(sql, kf, r, p1, f, 1)}, {UNKNOWN}) FROM income i "
        "WHERE i.person_id = m.person_id AND i.period_end >= m.window_start "
        "AND i.period_start <= m.window_end)"
    )


def every_member_tekun(others: str, own_max: str, limit: str) -> str:
    """2: every member 特困; 1: none refused but some own income too close to call; 0: someone is not."""
    return (
        f"(CASE WHEN {others} = 1 THEN (CASE WHEN {own_max} IS NULL OR {own_max} >= {UNKNOWN} THEN 1 "
        f"WHEN {own_max} < {limit} THEN 2 ELSE 0 END) ELSE 0 END)"
    )


def _decided(sql: Dialect) -> str:
    """The rules over ``h`` (one row per household: aggregates and figures): ``cls`` NULL when the
    household is left to the engine, ``ok`` 1 when decided exactly (the floors the amount needs too)."""
    dibao_line = "h.dibao_fen * h.n * h.window_months - h.q"
    dibian_line = "h.dibian_numerator * h.dibao_fen * h.n * h.window_months - h.q * h.dibian_denominator"
    dibao_below = below("h.kf", "h.r", "h.p1", "h.f", dibao_line)
    dibian_below = below("h.kf", "h.r", "h.p1", "h.f", dibian_line, "h.dibian_denominator")
    floor_f = floor_of(sql, "h.kf", "h.r", "h.p1", "h.f", 1)
    floor_2f = floor_of(sql, "h.kf", "h.r", "h.p1", "h.f", 2)
    tekun, dibao, dibian, none = (c.value for c in Classification)
    return f"""
rules AS (
  SELECT h.*, {floor_f} AS floor_f, {floor_2f} AS floor_2f,
         CASE
           WHEN h.bad = 1 OR h.heads <> 1 THEN NULL
           WHEN h.assets > h.asset_limit_per_person_fen * h.n THEN '{none}'
           WHEN h.tekun_all = 2 THEN '{tekun}'
           WHEN h.tekun_all = 1 THEN NULL
           WHEN {dibao_below} = 1 THEN '{dibao}'
           WHEN {dibao_below} IS NULL THEN NULL
           WHEN {dibian_below} = 1 THEN '{dibian}'
           WHEN {dibian_below} = 0 THEN '{none}'
         END AS cls
  FROM h
),
decided AS (
  SELECT r.*, CASE WHEN r.cls IS NOT NULL AND r.floor_2f IS NOT NULL
                    AND (r.cls <> '{dibao}' OR r.floor_f IS NOT NULL) THEN 1 ELSE 0 END AS ok
  FROM rules r
)"""


_ASSESSMENT_COLUMNS = (
    "run_id, household_id, period, region_code, classification, amount_fen, members, "
    "household_monthly_income_fen, assets_fen, standards_id, engine, snapshot, assessed_at"
)
# What the assessment rows and the counts read of a decided household (SQLite stages these).
_DECIDED_COLUMNS = (
    "household_id, region_code, cls, ok, n, q, floor_f, floor_2f, window_months, tekun_fen, dibao_fen, "
    "dibian_allowance_fen, price_subsidy_fen, assets, standards_id, facts_run"
)


def _assessment_rows(source: str, *, upper: bool) -> str:
    """SELECT the assessment rows of the decided households in ``source`` (alias ``d``) that hold an open
    grant or are classified other than none."""
    tekun, dibao, dibian, none = (c.value for c in Classification)
    return f"""
SELECT :run_id, d.household_id, :period, d.region_code, d.cls,
       CASE d.cls
         WHEN '{tekun}' THEN d.tekun_fen * d.n + COALESCE(d.price_subsidy_fen, 0) * d.n
         WHEN '{dibao}' THEN d.dibao_fen * d.n - (d.q + d.floor_f) / d.window_months
                          + COALESCE(d.price_subsidy_fen, 0) * d.n
         WHEN '{dibian}' THEN (COALESCE(d.dibian_allowance_fen, 0) + COALESCE(d.price_subsidy_fen, 0)) * d.n
         ELSE 0
       END,
       d.n, (2 * d.q + d.window_months + d.floor_2f) / (2 * d.window_months), d.assets, d.standards_id,
       :engine, NULL, :now
FROM {source} d
WHERE d.ok = 1 AND (d.cls <> '{none}' OR d.household_id IN (
        -- The chunk's open grants, listed once: a grant holder always has its row (payments read it).
        SELECT g.household_id FROM assistance_grant g
        WHERE g.status IN ('active', 'suspended') AND {chunk_where("g.household_id", upper=upper)}))
"""


def _counts(source: str) -> str:
    """Per classification decided (household NULL) and per household left to the engine (classification
    NULL): how many, and how many of them an earlier run computed the facts of."""
    return f"""
SELECT CASE WHEN d.ok = 0 THEN d.household_id END, CASE WHEN d.ok = 1 THEN d.cls END, COUNT(*),
       COALESCE(SUM(CASE WHEN d.facts_run = :run_id THEN 0 ELSE 1 END), 0)
FROM {source} d
GROUP BY 1, 2
"""


def usable_facts(alias: str, *, upper: bool, reuse: bool) -> str:
    """Facts rows of the month a run may decide on: computed by the run itself, or (``reuse``) computed
    under a comparable standard (``previous_ids``) for a household unchanged since (none updated from
    ``facts_since`` on: ix_household_updated lists the chunk's few, no household read per row)."""
    own = f"{alias}.period = :period AND ({alias}.run_id = :run_id"
    if not reuse:
        return own + ")"
    return (
        f"{own} OR ({alias}.standards_id IN :previous_ids AND {alias}.household_id NOT IN ("
        "SELECT c.id FROM household c WHERE c.updated_at >= :facts_since AND "
        f"{chunk_where('c.id', upper=upper)})))"
    )


def _facts_h(sql: Dialect, regions: int, *, upper: bool, reuse: bool) -> str:
    """``fig`` and ``h`` over the chunk's usable facts rows (no persons, incomes or assets read), then
    the rules (``rules``, ``decided``)."""
    columns = ", ".join(name for name, _ in _FIGURE_COLUMNS)
    tekun_all = every_member_tekun("hf.tekun_others", "hf.tekun_own_max", _OWN_LIMIT)
    # SQLite scans a VALUES table once per row joined to it: there, the figures are the chunk
    # connection's indexed temporary table (``FIGURES_TABLE``), looked up by region.
    figures = "WITH " if not sql.postgres else f"WITH fig ({columns}) AS (VALUES {_values(sql, regions)}),\n"
    source = "JOIN fig" if sql.postgres else f"JOIN {FIGURES_TABLE} fig"
    return f"""
{figures}h AS (
  SELECT hf.household_id, hf.region_code, hf.members AS n, 1 AS heads, 0 AS bad,
         hf.tekun_others, hf.tekun_own_max AS own_max, {tekun_all} AS tekun_all,
         {_H_FIGURES},
         hf.income_q AS q, hf.income_r AS r, hf.income_kf AS kf, hf.income_p1 AS p1, hf.income_f AS f,
         hf.assets_fen AS assets, hf.run_id AS facts_run
  FROM relief_household_facts hf
  {source} ON fig.region_code = hf.region_code
  WHERE {chunk_where("hf.household_id", upper=upper)} AND {usable_facts("hf", upper=upper, reuse=reuse)}
),{_decided(sql)}"""


def decide_and_count(regions: int, *, upper: bool, reuse: bool) -> str:
    """PostgreSQL: decide the chunk's households with usable facts under the figures, INSERT the
    assessments that matter (rule 2 of ``models.payments``) and count the chunk, in one statement.

    The INSERT is a data-modifying CTE (run once, to completion, whether read or not) over the same
    ``decided`` rows the final SELECT counts (``_counts``). Bound: ``after`` (and ``upper``), ``run_id``,
    ``period``, ``now``, ``engine``, the figures, and with ``reuse`` ``previous_ids`` and ``facts_since``.
    """
    return (
        _facts_h(Dialect("postgresql"), regions, upper=upper, reuse=reuse)
        + f""",
ins AS (INSERT INTO relief_assessment ({_ASSESSMENT_COLUMNS}){_assessment_rows("decided", upper=upper)})
{_counts("decided")}"""
    )


DECIDED_TABLE = "temp.relief_decided"


def staged_decision(*, upper: bool, reuse: bool) -> list[str]:
    """SQLite (no data-modifying CTEs): what ``decide_and_count`` does, as statements run in order —
    the chunk decided once into this connection's temporary table, the assessments that matter
    inserted from it; then ``count_staged`` counts it. Bound as ``decide_and_count`` (the figures in
    ``FIGURES_TABLE``)."""
    decided = _facts_h(Dialect("sqlite"), 0, upper=upper, reuse=reuse)
    return [
        f"DROP TABLE IF EXISTS {DECIDED_TABLE}",
        f"CREATE TABLE {DECIDED_TABLE} AS {decided}\nSELECT {_DECIDED_COLUMNS} FROM decided",
        f"INSERT INTO relief_assessment ({_ASSESSMENT_COLUMNS})"
        + _assessment_rows(DECIDED_TABLE, upper=upper),
    ]


def count_staged() -> str:
    """SQLite: ``_counts`` of the chunk staged by ``staged_decision``, as rows of the same shape: one with
    the decided per classification (SQLite sorts to GROUP BY; sums need one pass), then those left."""
    earlier = "CASE WHEN d.facts_run = :run_id THEN 0 ELSE 1 END"
    per_class = " UNION ALL ".join(
        f"SELECT NULL, '{c.value}', "
        f"COALESCE(SUM(CASE WHEN d.ok = 1 AND d.cls = '{c.value}' THEN 1 END), 0), "
        f"COALESCE(SUM(CASE WHEN d.ok = 1 AND d.cls = '{c.value}' THEN {earlier} END), 0) "
        f"FROM {DECIDED_TABLE} d"
        for c in Classification
    )
    left = f"SELECT d.household_id, NULL, 1, {earlier} FROM {DECIDED_TABLE} d WHERE d.ok = 0"
    return f"{per_class} UNION ALL {left}"


def _upsert_facts(sql: Dialect) -> str:
    """UPSERT ``h``'s households with decidable facts (one head, no bad fact) into the month's facts."""
    floor_2f = floor_of(sql, "h.kf", "h.r", "h.p1", "h.f", 2)
    names = (
        "region_code, standards_id, members, assets_fen, household_monthly_income_fen, income_q, income_r, "
        "income_kf, income_p1, income_f, tekun_others, tekun_own_max, run_id, computed_at"
    )
    update = ", ".join(f"{n} = excluded.{n}" for n in names.split(", "))
    return f"""
INSERT INTO relief_household_facts (period, household_id, {names})
SELECT :period, h.household_id, h.region_code, h.standards_id, h.n, h.assets,
       (2 * h.q + h.window_months + {floor_2f}) / (2 * h.window_months), h.q, h.r, h.kf, h.p1, h.f,
       h.tekun_others, CASE WHEN h.tekun_others = 1 AND h.own_max < {UNKNOWN} THEN h.own_max END,
       :run_id, :now
FROM h
WHERE h.bad = 0 AND h.heads = 1
ON CONFLICT (period, household_id) DO UPDATE SET {update}
"""


# A member's own income over the window is 特困 below the 低保 standard × the window's months.
_OWN_LIMIT = "fig.dibao_fen * fig.window_months"
_H_FIGURES = (
    "fig.standards_id, fig.dibao_fen, fig.tekun_fen, fig.dibian_numerator, fig.dibian_denominator,\n"
    "         fig.dibian_allowance_fen, fig.price_subsidy_fen, fig.window_months,\n"
    "         fig.asset_limit_per_person_fen"
)


def aggregate_chunk(
    dialect: str, regions: int, *, upper: bool, skip_done: bool = False, only: bool = False
) -> str:
    """UPSERT the aggregates of a chunk's households into ``relief_household_facts`` (module docstring).

    Bound: ``after`` (and ``upper``), ``run_id``, ``period``, ``month_last``, ``now`` and the figures of
    ``regions`` regions (``figure_params``). The chunk's members are read once (``mem``); incomes,
    assets and members are then summed per household separately and joined back to the figures, so no
    aggregate carries the figures along. ``skip_done``: households with usable facts already
    (``usable_facts`` with ``reuse``: bound ``previous_ids`` and ``facts_since`` too) are left out;
    ``only``: just the households bound as ``only_ids`` (the few without).
    """
    sql = Dialect(dialect)
    columns = ", ".join(name for name, _ in _FIGURE_COLUMNS)
    overlap = sql.days_between(
        sql.least("i.period_end", "m.window_end"), sql.greatest("i.period_start", "m.window_start")
    )
    period = sql.days_between("i.period_end", "i.period_start") + " + 1"
    done = (
        "\n    AND NOT EXISTS (SELECT 1 FROM relief_household_facts x WHERE x.household_id = hh.id "
        f"AND {chunk_where('x.household_id', upper=upper)} AND {usable_facts('x', upper=upper, reuse=True)})"
        if skip_done
        else ""
    )
    # A few households named (``only_ids``): PostgreSQL then plans for them, not for the chunk.
    which = "hh.id IN :only_ids" if only else chunk_where("hh.id", upper=upper)
    return f"""
WITH fig ({columns}) AS (VALUES {_values(sql, regions)}),
mem AS (
  SELECT ms.household_id, hh.region_code, p.id AS person_id, p.birth_date, p.disability_grade, ms.relation,
         fig.window_start, fig.window_end,
         CASE WHEN p.labour_capacity = 'none' AND NOT p.employed
              AND (p.birth_date <= fig.elder_born_by OR p.disability_grade IN (1, 2)
                   OR p.birth_date > fig.minor_born_after) THEN 1 ELSE 0 END AS tekun_other
  FROM household hh
  JOIN fig ON fig.region_code = hh.region_code
  JOIN membership ms ON ms.household_id = hh.id AND ms.left_on IS NULL
  JOIN person p ON p.id = ms.person_id
  WHERE {which}{done}
),
income_sums AS (
  SELECT x.household_id, CAST(SUM(x.num / x.per) AS BIGINT) AS q, CAST(SUM(x.num % x.per) AS BIGINT) AS r,
         SUM(CASE WHEN x.num % x.per > 0 THEN 1 ELSE 0 END) AS kf,
         MAX(CASE WHEN x.num % x.per > 0 THEN x.per END) AS p1,
         SUM({sql.real("x.num % x.per")} / x.per) AS f
  FROM (
    SELECT m.household_id, i.amount_fen * ({overlap} + 1) AS num, {period} AS per
    FROM mem m JOIN income i ON i.person_id = m.person_id
     AND i.period_end >= m.window_start AND i.period_start <= m.window_end
  ) x
  GROUP BY x.household_id
),
asset_sums AS (
  SELECT y.household_id, CAST(SUM(y.value_fen) AS BIGINT) AS assets
  FROM (
    SELECT m.household_id, a.value_fen,
           ROW_NUMBER() OVER (PARTITION BY a.person_id, a.kind
                              ORDER BY a.as_of DESC, a.recorded_at DESC, a.id) AS rn
    FROM mem m JOIN asset a ON a.person_id = m.person_id AND a.as_of <= :month_last
  ) y
  WHERE y.rn = 1
  GROUP BY y.household_id
),
member_sums AS (
  SELECT z.household_id, z.region_code, COUNT(*) AS n,
         SUM(CASE WHEN z.relation = 'head' THEN 1 ELSE 0 END) AS heads,
         MAX(CASE WHEN z.birth_date > :month_last
                  OR (z.disability_grade IS NOT NULL AND z.disability_grade NOT IN (1, 2, 3, 4))
                  THEN 1 ELSE 0 END) AS bad,
         MIN(z.tekun_other) AS tekun_others,
         -- The largest own income (floored) of the members meeting the other conditions; UNKNOWN
         -- when one is too close to call. (One reference: each would run the subquery again.)
         MAX(z.own) AS own_max
  FROM (
    SELECT m.household_id, m.region_code, m.relation, m.birth_date, m.disability_grade, m.tekun_other,
           CASE WHEN m.tekun_other = 0 THEN NULL ELSE {_own_income_floor(sql)} END AS own
    FROM mem m
  ) z
  GROUP BY z.household_id, z.region_code
),
h AS (
  SELECT b.household_id, b.region_code, b.n, b.heads, b.bad, b.tekun_others, b.own_max,
         {every_member_tekun("b.tekun_others", "b.own_max", _OWN_LIMIT)} AS tekun_all,
         {_H_FIGURES},
         COALESCE(s.q, 0) AS q, COALESCE(s.r, 0) AS r, COALESCE(s.kf, 0) AS kf, s.p1, COALESCE(s.f, 0) AS f,
         COALESCE(a.assets, 0) AS assets
  FROM member_sums b
  JOIN fig ON fig.region_code = b.region_code
  LEFT JOIN income_sums s ON s.household_id = b.household_id
  LEFT JOIN asset_sums a ON a.household_id = b.household_id
){_upsert_facts(sql)}"""
