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


def _sustained(run: dict[str, Any]) -> bool:
    return run["ok"] and run["deliver_per_s"] >= RATE_GOAL * SUSTAINED


def eldercare_goals(result: dict[str, Any] | None, allowances: dict[str, Any] | None) -> list[str]:
    """The eldercare rows under the goals."""
    if not result and not allowances:
        return []
    rows = _allowance_goal_rows(allowances)
    for run in (result or {}).get("runs", []):
        who = f"{run['backend']}, {run['scenario']}, relay {run.get('relay', 'inline')}"
        rows.append(
            [
                f"Alarm ingestion sustained, {who}",
                f"≥ {n(RATE_GOAL)} alarms/s",
                f"{n(run['deliver_per_s'])} alarms/s delivered",
                met(_sustained(run)),
            ]
        )
        p99 = run["to_nats_ms"]["99"]
        rows.append(
            [
                f"Alarm → event on NATS p99, {who}",
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
        "",
        "Before these changes (stop 9, same benchmark, one call per alarm): 116 alarms/s on SQLite "
        "(p99 2.9 s) and 195/s on PostgreSQL (p99 356 ms), 5–8 ms of eldercare CPU per alarm.",
        "",
        "**What limits it**",
        "",
        "CPU, in an open loop. The platform forwards what queued while its previous call was answered, so "
        "an alarm waits about one batch's time in the queue and one batch's time being written; a batch "
        "takes longer the busier eldercare's core is (and the longer it waits for a CPU), so the tail "
        "grows steeply as that core fills up. At 2,000 alarms/s eldercare alone needs about half a core "
        "(0.2–0.35 ms of CPU per alarm; the relay about 0.1–0.15 ms per event more), the load generator, "
        "NATS and PostgreSQL much of the rest of the two CPUs. The figures above were taken with other "
        "work sharing the machine (*rest*, *load 1 min*): the p99 to NATS is then mostly waiting for a "
        "CPU, and the 100 ms goal is not met there. What is left per alarm (py-spy, eldercare at 2,000/s): "
        "on SQLite about half in SQLite itself (three inserts and their indexes per alarm, the outbox row's "
        "JSON) and the aiosqlite thread hand-offs; on PostgreSQL the JSON of the rows, building each alarm "
        "(`_fresh`: two UUIDs, the escalation schedule, the event's pydantic model), gRPC and protobuf. "
        "Next steps, not done: a second ingestion transaction in flight on PostgreSQL (the database "
        "works while Python builds the next batch), and on SQLite merging the relay's mark of one batch "
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
