"""§4 of docs/performance.md, eldercare at district scale: alarm ingestion (bench/safety.py) and the monthly
allowance run (bench/eldercare_allowances.py), and their rows under the goals.

The figures come from bench/out/safety.json and bench/out/eldercare_allowances.json; the prose on what the
design is and what limits it is fixed text here, written from the profiles taken while building it.
"""

from __future__ import annotations

from typing import Any

from reportkit import met, n, table

RATE_GOAL = 2000.0
ALLOWANCE_GOAL_S = 10.0
SERVICE_CPU = "run (this process)"  # bench/eldercare_allowances.py runs the service code in-process
RERUN_GOAL_S = 5.0
RELAY_CPU = "relay"  # bench/safety.py --relay separate: the relay process
# The CPU columns of §4.1, as bench/safety.py names the processes ("bench": load generator and subscriber).
CPU_COLUMNS = ("eldercare", RELAY_CPU, "nats-server", "bench", "everything else on the machine")
P99_GOAL_MS = 100.0
# The platform scenario offers exactly the goal's rate; the last alarms' own latency stretches the
# measured window a little, so "sustained" means delivered within 1 % of what was offered.
SUSTAINED = 0.99
# The scenario that offers the goal's rate whatever the service does (open loop); the goals judge it.
OFFERED_AT_GOAL_RATE = "platform"


def _sustained(run: dict[str, Any]) -> bool:
    return run["ok"] and run["deliver_per_s"] >= RATE_GOAL * SUSTAINED


def eldercare_goals(result: dict[str, Any] | None, allowances: dict[str, Any] | None) -> list[str]:
    """The eldercare rows under the goals."""
    if not result and not allowances:
        return []
    rows = _allowance_goal_rows(allowances)
    for run in (result or {}).get("runs", []):
        who = f"{run['backend']}, relay {run.get('relay', 'inline')}, run {run.get('attempt', 1)}"
        p99 = run["to_nats_ms"]["99"]
        if run["scenario"] != OFFERED_AT_GOAL_RATE:
            # A closed loop: its rate is what one call per alarm sustains here, not a load offered at the
            # goal's rate, so it is shown beside the goals, not judged by them.
            rows.append(
                [
                    f"One call per alarm (`{run['scenario']}`, closed loop), {who}",
                    "capacity, no goal",
                    f"{n(run['deliver_per_s'])} alarms/s, p99 to NATS {p99:,.1f} ms",
                    "see §4.1",
                ]
            )
            continue
        rows.append(
            [
                f"Alarm ingestion sustained (vendor platform, 2,000/s offered), {who}",
                f"≥ {n(RATE_GOAL)} alarms/s",
                f"{n(run['deliver_per_s'])} alarms/s delivered",
                met(_sustained(run)),
            ]
        )
        rows.append(
            [
                f"Alarm → event on NATS p99 at that rate, {who}",
                f"≤ {P99_GOAL_MS:g} ms",
                f"{p99:,.1f} ms",
                met(p99 <= P99_GOAL_MS and _sustained(run)),
            ]
        )
    return [
        "<!-- eldercare-goals -->",
        "**Eldercare** (§4):",
        "",
        *table(["What", "Goal", "Measured", ""], rows),
        "<!-- /eldercare-goals -->",
    ]


def _allowance_goal_rows(allowances: dict[str, Any] | None) -> list[list[Any]]:
    if not allowances:
        return []
    rows = []
    for run in allowances["runs"]:
        if run["elders"] != max(r["elders"] for r in allowances["runs"]):
            continue
        who = f"{run['backend']}, {n(run['elders'])} elders"
        rows.append(
            [
                f"Monthly allowance run, {who}",
                f"≤ {ALLOWANCE_GOAL_S:g} s",
                f"{run['first']['wall_s']:.2f} s ({n(run['first']['paid'])} paid)",
                met(run["ok"] and run["first"]["wall_s"] <= ALLOWANCE_GOAL_S),
            ]
        )
        rows.append(
            [
                f"Re-run paying nobody twice, {who}",
                f"≤ {RERUN_GOAL_S:g} s",
                f"{run['rerun']['wall_s']:.2f} s ({n(run['rerun']['paid'])} paid)",
                met(run["ok"] and run["rerun"]["wall_s"] <= RERUN_GOAL_S),
            ]
        )
    return rows


def eldercare_section(result: dict[str, Any] | None, allowances: dict[str, Any] | None) -> list[str]:
    """§4: alarm ingestion, then the allowance run."""
    if not result and not allowances:
        return []
    return [
        "<!-- eldercare -->",
        "## 4. Eldercare at district scale",
        "",
        *_ingestion(result),
        *_allowance_section(allowances),
        "<!-- /eldercare -->",
    ]


def _ingestion(result: dict[str, Any] | None) -> list[str]:
    """§4.1: every alarm ingestion run, then how ingestion works and what limits it."""
    if not result:
        return []
    m = result["machine"]
    rows = []
    for run in result["runs"]:
        cpu = run["cpu_s"]
        load = run.get("load_1m")
        rows.append(
            [
                run["scenario"],
                run["backend"],
                run.get("relay", "inline"),
                run.get("attempt", 1),
                n(run["alarms"]),
                n(run["ingest_per_s"]),
                n(run["deliver_per_s"]),
                " / ".join(f"{run['to_nats_ms'][q]:,.0f}" for q in ("50", "95", "99", "max")),
                " / ".join(f"{run['answer_ms'][q]:,.0f}" for q in ("50", "99")),
                f"{(cpu['eldercare'] + cpu.get(RELAY_CPU, 0.0)) / run['alarms'] * 1000:.2f}",
                " / ".join(f"{cpu.get(k, 0.0):.1f}" for k in CPU_COLUMNS),
                " → ".join(f"{x:.1f}" for x in load) if load else "–",
                "yes" if run["ok"] else "**no**",
            ]
        )
    how = {run["scenario"]: run["how"] for run in result["runs"]}
    return [
        "### 4.1 Home-safety alarm ingestion",
        "",
        f"Measured on **{result['date']}** with `.venv/bin/python {result['command'].strip()}` "
        f"on the machine above ({m['nproc']} CPUs). Eldercare runs as its own process "
        f"(`python -m services.eldercare`) on a fresh database with {n(result['devices'])} elders, "
        "each with an SOS button; our own nats-server; "
        "a plain NATS subscriber timestamps each `safety-alarm-raised` event. Scenarios:",
        "",
        *[f"- `{name}`: {text}." for name, text in how.items()],
        "",
        "Time to NATS runs from sending the alarm (`single`) or from its arising (`platform`, so the wait "
        "in the platform's queue counts) to its event reaching the subscriber. *ok*: every alarm answered "
        "as new and its event received exactly once.",
        "",
        "*relay*: where the outbox relay ran (`--relay`). `separate`, the benchmark's default: eldercare "
        "with `ELDERCARE_RELAY=separate` and `python -m services.kit.relay_main --service eldercare` as a "
        "process of its own, woken over core NATS after each commit (the deployment for this load: "
        "ingestion and relay each get a core); `inline`: the relay in eldercare's event loop. *load 1 min*: "
        "the machine's 1-minute load average before → after the run. The 2 CPUs are shared with whatever "
        "else runs: *rest* is CPU time used by other processes during the run (PostgreSQL's among them), "
        "and with a load above 2 every process waits for a CPU, which lengthens the tail more than "
        "anything below.",
        "",
        *table(
            [
                "scenario",
                "backend",
                "relay",
                "run",
                "alarms",
                "ingested/s",
                "delivered/s",
                "to NATS ms p50 / p95 / p99 / max",
                "answer ms p50 / p99",
                "eldercare + relay CPU ms per alarm",
                "CPU s eldercare / relay / NATS / bench / rest",
                "load 1 min",
                "ok",
            ],
            rows,
        ),
        "**How ingestion works now**",
        "",
        "- **Group commit** (`services/kit/group_commit.py`): concurrent ingestions share one transaction "
        "(the alarms, their first steps and their outbox rows in a few set-based statements), instead of one "
        "transaction each queueing for the database. A lone alarm waits for nobody; under load a batch "
        "grows to what arrived while the previous one was written.",
        "- **`IngestAlarms`**: a vendor platform forwards up to 500 alarms per call, each handled as "
        "`IngestAlarm` would (idempotent per vendor alarm id, refused one by one), which removes the "
        "per-call cost of gRPC, the interceptors and token checks from each alarm.",
        "- **SQLite writers queue in the process** (`Database._writer`): SQLite's busy handler slept up to "
        "100 ms between attempts while ingestion and the relay's claims and marks took turns; an asyncio "
        "lock hands the turn on at once (p99 to NATS at 2,500/s went from about 4 s to about 0.4 s).",
        "- A verified token is remembered (`TokenCodec`, expiry still checked on every call).",
        "- **The relay in its own process** (`--relay separate`). On SQLite it then shares the file's "
        "write lock with eldercare across processes, where SQLite's busy handler sleeps 1, 2, 5 … up to "
        "100 ms between attempts and eldercare's back-to-back batches left it no gap: the relay waited "
        "hundreds of milliseconds for each claim and mark (single, SQLite: p99 to NATS 744 ms against "
        "145 ms to the answer). Now the relay process's SQLite connections fail a taken lock at once and "
        "the relay tries again every 2 ms (`OutboxRelay.lock_poll_s`, `kit.relay_main`), and ingestion "
        "leaves the lock free for 3 ms between back-to-back batches (`GroupCommit(pause_s=…)`, only on "
        "SQLite with a separate relay): the relay's share of the time to NATS fell to about 15–45 ms.",
        "- **PostgreSQL: alarms and steps inserted from one JSON parameter** (`INSERT … SELECT … FROM "
        "json_populate_recordset(…)`). SQLAlchemy's multi-row insert sent a statement with a placeholder "
        "per value whose text changed with the batch size; psycopg caches no statement that long and "
        "re-parsed it with a regular expression in Python for every batch: 40 % of eldercare's CPU at "
        "2,000 alarms/s (py-spy). The new text never changes; eldercare's CPU per alarm on PostgreSQL "
        "fell by about a third.",
        "- **The start-up heap frozen out of garbage collection** (`services/kit/heap.py`, called by every "
        "service once it has started and by the relay process; the benchmark's own process freezes its "
        "heap too). CPython's collector walks every tracked object of the generations it collects; a full "
        "collection walked everything the process had built at start-up (modules, SQLAlchemy's mappers and "
        "statement cache, protobuf descriptors, pydantic schemas) and came every 2.5–3 s under this load. "
        "Each one stopped eldercare's event loop for tens of milliseconds, and every alarm in flight waited "
        "it out: the p99 of each half second of a run was 100–190 ms at those moments and 40–70 ms between "
        "them (SQLite). `gc.freeze()` sets the objects alive after start-up aside; what is made later is "
        "still collected. Platform scenario, quiet machine, p99 to NATS on SQLite: 112–133 ms in three runs "
        "before, 75–80 ms in three after.",
        "- **PostgreSQL: WAL segments created without zero-filling** (`kit.local_postgres`, the embedded "
        "server: `wal_init_zero = off`). After the freeze PostgreSQL still answered in 100–140 ms every "
        "2–3 s (p99 72–111 ms over five runs). Run with `synchronous_commit = off`, as a diagnosis only, the "
        "spikes were gone (p99 49 ms): they were commits waiting for their WAL flush. A new cluster has no "
        "old WAL segments to recycle, so the backend that fills one creates the next, 16 MB of zeroes "
        "written and flushed inside its commit — at this load one every 2–3 s. Without the zeroes the "
        "segment is created at its size at once; the WAL is flushed at every commit as before. Two runs: "
        "p99 57 and 59 ms. A server in service recycles its segments and seldom creates one; this is what "
        "a fresh server (the benchmark's, the tests', `make up` with PostgreSQL) paid.",
        "- **The relay's claims and marks commit without waiting for the disk** "
        "(`kit.db.commit_without_waiting_for_disk`, PostgreSQL): both are redone if a crash loses them (a "
        "lost mark republishes the row and JetStream drops the duplicate; a lost claim frees the row), so "
        "nothing needs their flush, and the relay's two commits per batch no longer queue on the disk with "
        "the alarms'. Not measured apart (within the run-to-run spread).",
        "",
        "Tried and not kept (same benchmark, quiet machine): preparing the next batch (its reads, the "
        "alarms and event rows built in Python) while the previous one is written — on SQLite the two "
        "threads then compete for the interpreter and the write stage took as long as the whole batch "
        "had (p50 worse, p99 no better), on PostgreSQL no difference beyond the run-to-run spread; a "
        "larger SQLite page cache or memory-mapped reads (no change: the database is small and hot); "
        "moving SQLite's WAL checkpoints out of eldercare's commits into the relay's (eldercare's commit "
        "3.6 → 1.3 ms on average, but the relay's claims then waited for the checkpoints and the time to "
        "NATS did not improve); checkpointing from a thread of its own (the WAL was never reset and grew "
        "without bound).",
        "",
        "Before these changes (stop 9, same benchmark, one call per alarm): 116 alarms/s on SQLite "
        "(p99 2.9 s) and 195/s on PostgreSQL (p99 356 ms), 5–8 ms of eldercare CPU per alarm.",
        "",
        "**What limits it**",
        "",
        "CPU, in an open loop. The platform forwards what queued while its previous call was answered, so "
        "an alarm waits about one batch's time in the queue and one batch's time being written; a batch "
        "takes longer the busier eldercare's core is (and the longer it waits for a CPU), so the tail "
        "grows steeply as that core fills up. At 2,000 alarms/s eldercare needs about two thirds of a core "
        "(0.3–0.35 ms of CPU per alarm, both its threads; the relay about 0.2 ms per event more), and the "
        "load generator, NATS and PostgreSQL much of the rest of the two CPUs: the goal is met with little "
        "to spare, and a machine busy with other work (*rest*, *load 1 min*) misses it — the p99 is then "
        "mostly waiting for a CPU. Per batch on SQLite (about 35 alarms, 15 ms): about 8.5 ms whatever its "
        "size (the transaction, seven statements through the aiosqlite thread, the commit with SQLite's "
        "WAL checkpoints) and about 0.2 ms per alarm. What is left per alarm (py-spy, eldercare at "
        "2,000/s): on SQLite about half in SQLite itself (three inserts and their indexes per alarm, the "
        "outbox row's JSON) and the aiosqlite thread hand-offs; on PostgreSQL the JSON of the rows, building "
        "each alarm (`_fresh`: two UUIDs, the escalation schedule, the event's pydantic model), gRPC and "
        "protobuf. One call per alarm (`single`) costs about 1 ms of eldercare's CPU per call (gRPC, the "
        "interceptors, the token, the span), so it sustains 800–1,000 alarms/s on this machine; a device "
        "fleet of 2,000 alarms a second reaches the bureau through its vendors' platforms, which is what "
        "`IngestAlarms` is for. Next steps, not done: on SQLite, merging the relay's mark of one batch "
        "with the claim of the next (one turn at the write lock instead of two).",
        "",
    ]


def _allowance_section(allowances: dict[str, Any] | None) -> list[str]:
    """§4.2: the allowance run and its re-run at each size."""
    if not allowances:
        return []
    rows = []
    for run in allowances["runs"]:
        first, rerun = run["first"], run["rerun"]
        rows.append(
            [
                run["backend"],
                n(run["elders"]),
                f"{n(run['expected']['old_age'])} / {n(run['expected']['voucher'])}",
                f"{first['wall_s']:.2f}",
                n(first["paid"]),
                first["chunks"],
                f"{rerun['wall_s']:.2f}",
                n(rerun["paid"]),
                " / ".join(f"{r['cpu_s'].get(SERVICE_CPU, 0):.2f}" for r in (first, rerun)),
                "yes" if run["ok"] else "**no**",
            ]
        )
    by_backend: dict[str, dict[int, float]] = {}
    for run in allowances["runs"]:
        by_backend.setdefault(run["backend"], {})[run["elders"]] = run["first"]["wall_s"]
    growth = [
        f"{backend}: {n(min(sizes))} → {n(max(sizes))} elders, {sizes[min(sizes)]:.2f} → "
        f"{sizes[max(sizes)]:.2f} s ({sizes[max(sizes)] / max(sizes[min(sizes)], 0.01):.1f}× for "
        f"{max(sizes) // min(sizes)}× the elders)"
        for backend, sizes in by_backend.items()
        if len(sizes) > 1
    ]
    return [
        "### 4.2 The monthly allowance run",
        "",
        f"Measured on **{allowances['date']}** with `.venv/bin/python bench/eldercare_allowances.py` (the "
        "module docstring says how the elders are made). The standards are the benchmark's own figures "
        "(old-age ¥100 from 80, ¥200 from 90, ¥500 from 100; e-voucher ¥300 relief + impaired, ¥100 relief): "
        "the packaged policy has none, because the seeds give none. *expected*: whom the pure rules "
        "(`allowance_rules`) pay, old-age / e-voucher; *ok*: the run paid exactly those, the re-run nobody, "
        "no payment twice.",
        "",
        *table(
            [
                "backend",
                "elders",
                "expected",
                "run s",
                "paid",
                "chunks",
                "re-run s",
                "re-run paid",
                "service CPU s run / re-run",
                "ok",
            ],
            rows,
        ),
        "How the cost grows: " + "; ".join(growth) + ". The run is one `INSERT … SELECT … ON "
        "CONFLICT DO NOTHING` per chunk of 5,000 elders of an age band (keyset walk on `ix_elder_birth`), "
        "so its work is the eligible elders plus the unique-key probes. The growth above linear was not "
        "profiled (likely the indexes outgrowing the page cache). On PostgreSQL the work is in the "
        "database's processes (the service's own CPU stays near one second). The re-run reads each band "
        "once and inserts nothing.",
        "",
    ]
