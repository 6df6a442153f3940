"""What the child welfare figures say: how each cost grows with the data, what limits the scan.

Part of §3 of docs/performance.md (report_childwelfare.py puts the section together).
"""

from __future__ import annotations

from typing import Any

from benchkit import OTHERS
from reportkit import n, pct, table


def sizes_in_order(runs: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(run number, size result) for every size of every run, in backend, size, run order."""
    rows = [(i + 1, size) for i, r in enumerate(runs) for size in r["runs"]]
    return sorted(rows, key=lambda x: (x[1]["backend"] != "sqlite", x[1]["n"], x[0]))


BENCH_PROCESS = "bench process (scan + relay)"  # childwelfare.py --relay inline
SCAN_PROCESS = "bench process (scan)"  # --relay separate (the default)
RELAY_PROCESS = "relay process"


def _cpu_text(cpu: dict[str, float], wall: float, events: int) -> str:
    """Where the CPU went during the scan + publishing: each process as a share of one core."""
    per_event = max(events, 1)
    if RELAY_PROCESS in cpu:
        scan, relay = cpu.get(SCAN_PROCESS, 0.0), cpu[RELAY_PROCESS]
        text = (
            f"The scan's process used {pct(scan, wall)} of a core ({1e6 * scan / per_event:.0f} µs of CPU "
            f"per event), the relay's {pct(relay, wall)} ({1e6 * relay / per_event:.0f} µs per event)"
        )
    else:
        both = cpu.get(BENCH_PROCESS, 0.0)
        text = (
            f"The one process running both used {pct(both, wall)} of a core "
            f"({1e6 * both / per_event:.0f} µs of CPU per event)"
        )
    text += f", nats-server {pct(cpu.get('nats-server', 0.0), wall)}"
    if "postgres" in cpu:
        text += f", PostgreSQL {pct(cpu['postgres'], wall)}"
    ours = sum(v for k, v in cpu.items() if k != OTHERS)
    return text + (
        f", other work on the machine {pct(cpu.get(OTHERS, 0.0), wall)}; ours together "
        f"{ours:.1f} CPU-s, {ours / 2:.1f} s of wall time at the least on two cores."
    )


def childwelfare_limits(runs: list[dict[str, Any]]) -> list[str]:
    """What the overdue scan's figures say about where its time goes (from /proc CPU during the scan)."""
    out = ["**What limits the overdue scan + publishing.**", ""]
    separate = False
    for run_no, s in sizes_in_order(runs):
        if s["n"] != max(x["n"] for _, x in sizes_in_order(runs)):
            continue
        sc = s["scan"]
        wall, cpu = sc["scan_and_publish_s"], sc["cpu_s"]
        separate = separate or sc.get("relay") == "separate"
        rate = sc["published"] / wall if wall else 0.0
        out.append(
            f"- {s['backend']}, run {run_no}: {n(sc['published'])} events in {wall:.2f} s = "
            f"{n(rate)} events/s ({1e6 * wall / max(sc['published'], 1):.0f} µs per event, scan and relay "
            f"together; the last event acknowledged {wall - sc['scan_s']:.2f} s after the scan ended). "
            f"{_cpu_text(cpu, wall, sc['published'])}"
        )
    if separate:
        out += [
            "",
            "The scan and the relay run in two processes, beside nats-server and PostgreSQL, on the two",
            "CPUs. Where the relay ends soon after the scan, the scan's wall time bounds the whole; and the",
            "CPU all of them need together bounds that on two cores (the last figure of each line). See",
            "*Changes made* 7–10 and *Still open*.",
            "",
        ]
        return out
    out += [
        "",
        "The scan and the relay share one Python event loop, as in the service. The relay alone publishes",
        "10–15,000 events/s on this machine (§1: 65–100 µs of wall time per event), so 50,000 events take",
        "3.5–5 s of relay time before the scan has done anything; the scan's own work (query, notices,",
        "payloads, outbox rows) is added to that on the same core. 5 s for 50,000 events would need the",
        "two to cost under 100 µs per event together. See *Changes made* for what was cut from the scan and",
        "*Still open* for what would take it further.",
        "",
    ]
    return out


def _value(value: float | None, unit: str) -> str:
    return "–" if value is None else f"{value:.2f} {unit}"


def growth(runs: list[dict[str, Any]]) -> list[str]:
    """How each cost grew from the smallest to the largest size (medians over the runs)."""
    rows = []
    by: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for _, s in sizes_in_order(runs):
        by.setdefault((s["backend"], s["n"]), []).append(s)
    for backend in ("sqlite", "postgresql"):
        ns = sorted(k[1] for k in by if k[0] == backend)
        if len(ns) < 2:
            continue
        small, big = ns[0], ns[-1]

        def med(key: Any, size: int, backend: str = backend) -> float | None:
            vals = sorted(v for v in (key(s) for s in by[(backend, size)]) if v is not None)
            return vals[(len(vals) - 1) // 2] if vals else None

        measures = [
            ("scan + acked", lambda s: s["scan"]["scan_and_publish_s"], "s"),
            ("scan alone", lambda s: s["scan"]["scan_s"], "s"),
            ("re-scan (nothing new)", lambda s: s["scan"]["rescan_s"], "s"),
            ("allowance run", lambda s: s["allowances"]["first"]["wall_s"], "s"),
            ("allowance re-run", lambda s: s["allowances"]["rerun"]["wall_s"], "s"),
            (
                "overdue list via gateway, p50",
                lambda s: s["gateway"]["gateway"]["p50_ms"] if "gateway" in s else None,
                "ms",
            ),
            (
                "ListChildren via gRPC, p50",
                lambda s: s["gateway"]["direct"]["p50_ms"] if "gateway" in s else None,
                "ms",
            ),
        ]
        for label, key, unit in measures:
            a, b = med(key, small), med(key, big)
            if a is None and b is None:
                continue  # not measured at all (--no-gateway): no row rather than a row of dashes
            ratio = f"{b / a:.1f}×" if a and b is not None else "–"
            rows.append([backend, label, _value(a, unit), _value(b, unit), ratio])
    if not rows:
        return []
    return [
        "**Growth** (per size the median of the runs, the faster one of two; the data grow 10×, and the "
        "overdue "
        "events with them):",
        "",
        *table(["backend", "what", "smaller size", "larger size", "ratio"], rows),
    ]
