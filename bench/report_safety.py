"""§4 of docs/performance.md: home-safety alarm ingestion (bench/safety.py), and its rows under the goals.

The figures come from bench/out/safety.json; the prose on what the design is and what limits it is fixed
text here, written from the profiles taken while building it (py-spy, see the section).
"""

from __future__ import annotations

from typing import Any

from reportkit import met, n, table

RATE_GOAL = 2000.0
P99_GOAL_MS = 100.0
# The platform scenario offers exactly the goal's rate; the last alarms' own latency stretches the
# measured window a little, so "sustained" means delivered within 1 % of what was offered.
SUSTAINED = 0.99


def _sustained(run: dict[str, Any]) -> bool:
    return run["ok"] and run["deliver_per_s"] >= RATE_GOAL * SUSTAINED


def safety_goals(result: dict[str, Any] | None) -> list[str]:
    """The alarm ingestion rows under the goals."""
    if not result:
        return []
    rows = []
    for run in result["runs"]:
        who = f"{run['backend']}, {run['scenario']}"
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
        "<!-- safety-goals -->",
        "**Home-safety alarm ingestion** (§4):",
        "",
        *table(["What", "Goal", "Measured", ""], rows),
        "<!-- /safety-goals -->",
    ]


def safety_section(result: dict[str, Any] | None) -> list[str]:
    """§4: every run, then how ingestion works and what limits it."""
    if not result:
        return []
    m = result["machine"]
    rows = []
    for run in result["runs"]:
        cpu = run["cpu_s"]
        rows.append(
            [
                run["scenario"],
                run["backend"],
                n(run["alarms"]),
                n(run["ingest_per_s"]),
                n(run["deliver_per_s"]),
                " / ".join(f"{run['to_nats_ms'][q]:,.0f}" for q in ("50", "95", "99", "max")),
                " / ".join(f"{run['answer_ms'][q]:,.0f}" for q in ("50", "99")),
                f"{cpu['eldercare'] / run['alarms'] * 1000:.2f}",
                " / ".join(
                    f"{cpu[k]:.1f}" for k in ("eldercare", "nats-server", "everything else on the machine")
                ),
                "yes" if run["ok"] else "**no**",
            ]
        )
    how = {run["scenario"]: run["how"] for run in result["runs"]}
    return [
        "<!-- safety -->",
        "## 4. Home-safety alarm ingestion",
        "",
        f"Measured on **{result['date']}** with `.venv/bin/python {result['command']}` on the machine above "
        f"({m['nproc']} CPUs). Eldercare runs as its own process (`python -m services.eldercare`) on a "
        f"fresh database with {n(result['devices'])} elders, each with an SOS button; our own nats-server; "
        "a plain NATS subscriber timestamps each `safety-alarm-raised` event. Scenarios:",
        "",
        *[f"- `{name}`: {text}." for name, text in how.items()],
        "",
        "Time to NATS runs from sending the alarm (`single`) or from its arising (`platform`, so the wait "
        "in the platform's queue counts) to its event reaching the subscriber. *ok*: every alarm answered "
        "as new and its event received exactly once.",
        "",
        *table(
            [
                "scenario",
                "backend",
                "alarms",
                "ingested/s",
                "delivered/s",
                "to NATS ms p50 / p95 / p99 / max",
                "answer ms p50 / p99",
                "eldercare CPU ms per alarm",
                "CPU s eldercare / NATS / rest",
                "ok",
            ],
            rows,
        ),
        "### How ingestion works now",
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
        "",
        "Before these changes (stop 9, same benchmark, one call per alarm): 116 alarms/s on SQLite "
        "(p99 2.9 s) and 195/s on PostgreSQL (p99 356 ms), 5–8 ms of eldercare CPU per alarm.",
        "",
        "### What limits it",
        "",
        "One eldercare process runs ingestion, the outbox relay and gRPC on one event loop, i.e. one core: "
        "at about 0.35–0.45 ms of CPU per alarm in batches, 2,000 alarms/s keep that core 70–90 % busy, so "
        "batches queue behind each other and the tail latency grows (the p99 above). From py-spy: about a "
        "quarter of that CPU is the ingestion batch itself (building rows, the statements), an eighth the "
        "relay publishing, the rest gRPC, protobuf and the event loop. On PostgreSQL the database's own "
        "processes take much of the second core, which the load generator and NATS share. Next steps, not "
        "done: run the relay in its own process (it would take the other core; on SQLite it would then "
        "meet the busy handler again, so with PostgreSQL), and cheaper rows for the batch (plain tuples "
        "instead of model objects for the response and the event).",
        "<!-- /safety -->",
    ]
