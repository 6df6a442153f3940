"""Eldercare's monthly allowance run at district scale: the run, and a re-run that pays nobody twice.

For each backend (a SQLite file; the embedded PostgreSQL) and each size: a fresh database migrated with
eldercare's schema, filled straight through the driver with N synthetic elders — ages 60 and over with
five-year bands weighted so that about 13.5 % are 80 or over, 1 % died before the
month, 3 % in a household holding 低保 / 低边 / 特困 (open relief periods), 10 % with a capability
level of moderate or worse. Then ``allowances.run_allowances`` for the month (old-age tiers and e-voucher
groups, one ``INSERT … SELECT`` per chunk of 5,000, vouchers credited to balances and ledgers in the same
transaction), then the same month again (the re-run: pays nobody, must end fast).

The standards are THIS BENCHMARK'S figures (the seeds give none, so the packaged policy pays nobody):
old-age ¥100 from 80, ¥200 from 90, ¥500 from 100; e-voucher ¥300 for relief + impaired, ¥100 for
relief. Checked: the first run pays exactly the elders the pure rules (``allowance_rules``) say, the
re-run pays none, and every payment is unique per elder, programme and month.

    .venv/bin/python bench/eldercare_allowances.py [--elders 100000 1000000] [--backends sqlite postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from benchkit import CpuMeter, machine, write_result
from childwelfare import _sqlite_rows  # bench/childwelfare.py: SQLAlchemy's SQLite storage formats

from services.eldercare import allowance_rules as rules
from services.eldercare.allowance_policy import load_allowance_policy
from services.eldercare.allowances import run_allowances
from services.eldercare.spec import SPEC
from services.kit.db import Database
from services.kit.idcard import make_id_number
from services.kit.local_postgres import LocalPostgres, libpq_url_from_sqlalchemy
from services.kit.periods import Month

POLICY = """
tables:
  old_age_allowance:
    entries:
      - {key: age_80, from: 2020-01-01, value: {min_age: 80, monthly: "100.00"}}
      - {key: age_90, from: 2020-01-01, value: {min_age: 90, monthly: "200.00"}}
      - {key: age_100, from: 2020-01-01, value: {min_age: 100, monthly: "500.00"}}
  eldercare_voucher:
    entries:
      - key: relief_impaired
        from: 2020-01-01
        value:
          {min_age: 60, capability_levels: [moderate, severe, complete], relief: [dibao, dibian, tekun],
           monthly: "300.00"}
      - key: relief
        from: 2020-01-01
        value: {min_age: 60, relief: [dibao, dibian, tekun], monthly: "100.00"}
"""
MONTH = Month(2026, 12)
NOW = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)
VILLAGES = [f"330109{t:03d}{v:03d}" for t in range(1, 23) for v in range(1, 11)]
RELIEF = ("dibao", "dibian", "tekun")
IMPAIRED = ("moderate", "severe", "complete")
BATCH = 50_000
DUPLICATES_SQL = (
    "SELECT count(*) FROM (SELECT elder_id, programme, period FROM elder_allowance_payment "
    "GROUP BY elder_id, programme, period HAVING count(*) > 1) AS d"
)
# Share of over-60s per five-year band: an assumed age pyramid (13.5 % are 80 or over, 1 in 5,000 is 100+).
AGE_BANDS = [60, 65, 70, 75, 80, 85, 90, 95, 100]
AGE_WEIGHTS = [30.0, 26.0, 18.0, 12.5, 7.5, 4.2, 1.5, 0.28, 0.02]


@dataclass
class Expected:
    old_age: int = 0
    voucher: int = 0


def _id_number(birth: date, taken: dict[date, int]) -> str:
    """A valid, unused ID number for someone born that day (sequence numbers counted per birth date)."""
    sequence = taken[birth] = taken.get(birth, 0) + 1
    return make_id_number(area_code="330109", birth_date=birth, sequence=sequence)


def generate(
    n: int, columns: list[str], exp: Expected, policy: Any
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Batches of (elder rows in ``columns`` order, relief period rows), counting whom the rules pay."""
    rng = random.Random(20261206)
    age_bands = rules.age_bands(policy.old_age, MONTH)
    voucher_bands = rules.voucher_bands(policy.voucher, MONTH)
    elders: list[tuple[Any, ...]] = []
    periods: list[tuple[Any, ...]] = []
    relief_id = 0
    taken: dict[date, int] = {}
    for i in range(n):
        age = rng.choices(AGE_BANDS, AGE_WEIGHTS)[0] + rng.randrange(5)
        birth = date(MONTH.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        deceased = MONTH.first - timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.01 else None
        level = rng.choice(IMPAIRED) if rng.random() < 0.10 else None
        relief = rng.choice(RELIEF) if rng.random() < 0.03 else None
        elder_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        values = {
            "id": elder_id,
            "id_number": _id_number(birth, taken),
            "name": f"老人{i}",
            "sex": "M" if i % 2 else "F",
            "birth_date": birth,
            "region_code": VILLAGES[i % len(VILLAGES)],
            "living_arrangement": "with_family",
            "widowed_childless": False,
            "left_behind": False,
            "special_family": False,
            "capability_level": level,
            "capability_assessed_on": date(2026, 1, 10) if level else None,
            "deceased_on": deceased,
            "registered_at": NOW,
            "registered_by": "bench",
            "updated_at": NOW,
        }
        elders.append(tuple(values.get(c) for c in columns))
        if relief:
            relief_id += 1
            periods.append(
                (relief_id, elder_id, relief, date(2025, 1, 1), None, f"h-{i}", f"bench-{relief_id}")
            )
        held = {relief} if relief else set()
        if rules.old_age_tier(age_bands, birth_date=birth, deceased_on=deceased, month=MONTH):
            exp.old_age += 1
        if rules.voucher_group(
            voucher_bands,
            birth_date=birth,
            deceased_on=deceased,
            capability_level=level,
            relief_held=held,
            month=MONTH,
        ):
            exp.voucher += 1
        if len(elders) >= BATCH:
            yield elders, periods
            elders, periods = [], []
    if elders:
        yield elders, periods


def fill(url: str, n: int, policy: Any) -> Expected:
    from services.eldercare.models import Elder, ElderReliefPeriod

    elder_cols = list(Elder.__table__.c.keys())  # type: ignore[attr-defined]
    relief_cols = list(ElderReliefPeriod.__table__.c.keys())  # type: ignore[attr-defined]
    exp = Expected()
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=OFF")  # loading only; the service uses NORMAL
            conn.execute("BEGIN")
            for elders, periods in generate(n, elder_cols, exp, policy):
                marks = ", ".join("?" * len(elder_cols))
                conn.executemany(
                    f"INSERT INTO elder ({', '.join(elder_cols)}) VALUES ({marks})", _sqlite_rows(elders)
                )
                conn.executemany(
                    f"INSERT INTO elder_relief_period ({', '.join(relief_cols)}) "
                    f"VALUES ({', '.join('?' * len(relief_cols))})",
                    _sqlite_rows(periods),
                )
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        return exp
    import psycopg

    with psycopg.connect(libpq_url_from_sqlalchemy(url)) as conn:
        with conn.cursor() as cur:
            for elders, periods in generate(n, elder_cols, exp, policy):
                with cur.copy(f"COPY elder ({', '.join(elder_cols)}) FROM STDIN") as copy:
                    for row in elders:
                        copy.write_row(row)
                with cur.copy(f"COPY elder_relief_period ({', '.join(relief_cols)}) FROM STDIN") as copy:
                    for row in periods:
                        copy.write_row(row)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return exp


async def timed_run(db: Database, policy: Any) -> dict[str, Any]:
    meter = CpuMeter({"run (this process)": os.getpid()})
    meter.start()
    started = time.perf_counter()
    summary = await run_allowances(db, policy, MONTH, NOW)
    wall = time.perf_counter() - started
    return {
        "wall_s": round(wall, 2),
        "paid": summary.persons_paid,
        "by_group": {k: v.persons for k, v in summary.paid.items()},
        "chunks": summary.chunks,
        "cpu_s": meter.stop(),
    }


async def measure(url: str, n: int, policy: Any) -> dict[str, Any]:
    db = Database(url)
    try:
        await db.migrate(SPEC.migrations)
    finally:
        await db.dispose()
    started = time.perf_counter()
    exp = fill(url, n, policy)
    fill_s = time.perf_counter() - started
    db = Database(url)
    try:
        first = await timed_run(db, policy)
        rerun = await timed_run(db, policy)
        async with db.read() as session:
            dupes = (
                await session.exec(  # type: ignore[call-overload]
                    sa.text(DUPLICATES_SQL)
                )
            ).scalar_one()
    finally:
        await db.dispose()
    expected = exp.old_age + exp.voucher
    return {
        "elders": n,
        "fill_s": round(fill_s, 1),
        "expected": {"old_age": exp.old_age, "voucher": exp.voucher},
        "first": first,
        "rerun": rerun,
        "duplicates": int(dupes),
        "ok": first["paid"] == expected and rerun["paid"] == 0 and dupes == 0,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="minzheng-bench-eldercare-"))
    policy_file = workdir / "allowances.yaml"
    policy_file.write_text(POLICY)
    policy = load_allowance_policy(str(policy_file))
    pg: LocalPostgres | None = None
    results: dict[str, Any] = {
        "benchmark": "eldercare_allowances",
        "machine": machine(),
        "date": date.today().isoformat(),
        "month": MONTH.key,
        "runs": [],
    }
    try:
        for backend in args.backends:
            for n in args.elders:
                if backend == "sqlite":
                    url = f"sqlite+aiosqlite:///{workdir / f'eldercare-{n}.db'}"
                else:
                    if pg is None:
                        pg = LocalPostgres(workdir / "pg" / "data")
                        pg.start()
                    url = pg.create_database(f"bench_allowances_{n}")
                run = {"backend": backend, **await measure(url, n, policy)}
                print(run, flush=True)
                results["runs"].append(run)
    finally:
        if pg is not None:
            pg.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--elders", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--out", default="eldercare_allowances", help="result name under bench/out/")
    args = parser.parse_args()
    write_result(args.out, asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
