"""docs/performance.md as a whole: the header, the goals, how to run, the sections in order, the ideas.

``render`` writes the page from every benchmark's results; ``splice_childwelfare`` replaces only the
child welfare parts of an existing page, for runs that measured child welfare alone.
"""

from __future__ import annotations

from typing import Any

import report_gateway
import report_relay
from benchkit import DISTURBED
from report_childwelfare import childwelfare_goals, childwelfare_section
from report_eldercare import eldercare_goals, eldercare_section
from report_gateway import gateway_ideas, gateway_section
from report_relay import relay_ideas, relay_section
from report_relief import relief_goals, relief_section
from reportkit import splice, table


def render(
    relay: dict[str, Any] | None,
    gateway: dict[str, Any] | None,
    git: str,
    cw: list[dict[str, Any]],
    safety: dict[str, Any] | None = None,
    allowances: dict[str, Any] | None = None,
    relief: list[dict[str, Any]] | None = None,
) -> str:
    """The whole page from every benchmark's results."""
    any_result = relay or gateway
    assert any_result is not None
    m = any_result["machine"]
    date = any_result["date"]
    quick = any((r or {}).get("quick") for r in (relay, gateway))
    lines = [
        "# Performance",
        "",
        "<!-- Written by bench/run.py (make bench) from bench/out/*.json; edit the generator -->",
        "",
        f"Measured on **{date}** by `make bench` (`.venv/bin/python bench/run.py"
        + (" --quick`: a smoke run with small N, not the reference figures" if quick else "`")
        + f"), working tree at {git}. Every figure below is what that run measured; nothing is estimated.",
        "",
        "**Machine:** "
        f"{m['nproc']} CPUs (`nproc`), {m['cpu_model']} (/proc/cpuinfo), {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}, {m['platform']}"
        + (
            f"; nats-server {relay['nats_server_version']}"
            if relay and relay.get("nats_server_version")
            else ""
        )
        + (f"; embedded {relay['postgres_version']}" if relay and relay.get("postgres_version") else "")
        + ". NATS, PostgreSQL, the services, the gateway and the load generator all share these CPUs"
        + load_note(relay, gateway)
        + ".",
        "",
    ]
    lines += summary(relay, gateway)
    lines += childwelfare_goals(cw)
    lines += eldercare_goals(safety, allowances)
    lines += relief_goals(relief or [])
    lines += how_to_run()
    if relay:
        lines += relay_section(relay)
    if gateway:
        lines += gateway_section(gateway)
    lines += childwelfare_section(cw)
    lines += eldercare_section(safety, allowances)
    lines += relief_section(relief or [])
    lines += ideas(relay, gateway)
    return "\n".join(lines).rstrip() + "\n"


def load_note(relay: dict[str, Any] | None, gateway: dict[str, Any] | None) -> str:
    """The load averages before the benchmarks, for the machine line."""
    parts = []
    for name, result in (("relay", relay), ("gateway", gateway)):
        avg = (result or {}).get("loadavg_at_start")
        if avg:
            parts.append(f"{avg[0]:.2f} before the {name} benchmark")
    return f" (1-minute load average {', '.join(parts)})" if parts else ""


def summary(relay: dict[str, Any] | None, gateway: dict[str, Any] | None) -> list[str]:
    """The goals table of the relay and the gateway."""
    rows = []
    if relay:
        rows += report_relay.goal_rows(relay)
    if gateway:
        rows += report_gateway.goal_rows(gateway)
    return [
        "## Goals",
        "",
        *table(["What", "Goal", "Measured", ""], rows),
        f"⚠ marks a figure measured while other work used more than {DISTURBED:.0%} of a core (runs",
        "so disturbed are repeated once and the less disturbed of the two is kept; a ⚠ that remains means",
        "the machine stayed busy).",
        "",
    ]


def how_to_run() -> list[str]:
    """The commands that run the benchmarks and rewrite the page."""
    return [
        "## How to run",
        "",
        "```",
        "make bench                                  # = .venv/bin/python bench/run.py; rewrites this page",
        ".venv/bin/python bench/run.py --quick       # small N, fewer requests (smoke run)",
        ".venv/bin/python bench/relay.py [--n 20000 100000] [--backends sqlite postgresql]",
        ".venv/bin/python bench/gateway.py [--quick] [--keep-logs]",
        ".venv/bin/python bench/childwelfare.py [--children 100000 1000000] [--backends sqlite postgresql]",
        ".venv/bin/python bench/safety.py [--scenarios single platform] [--backends sqlite postgresql]",
        ".venv/bin/python bench/eldercare_allowances.py [--elders 100000 1000000] [--backends …]",
        ".venv/bin/python bench/relief.py [--households 100000 1000000] [--backends sqlite postgresql]",
        ".venv/bin/python bench/run.py --render      # rewrite this page from bench/out/*.json",
        "```",
        "",
        "The profilers are not project dependencies; install them into the venv to get the profile",
        "sections (without them the benchmarks still run and say the profile was skipped):",
        "",
        "```",
        ".venv/bin/pip install py-spy pyinstrument",
        "```",
        "",
        "Each benchmark starts its own nats-server on a free port and, for PostgreSQL, an embedded server",
        "in a temp dir (unix socket only): a system NATS on 4222 or PostgreSQL on 5432 is never used.",
        "Raw results and profiles land in `bench/out/` (git-ignored): `relay.json`, `gateway.json`,",
        "py-spy collapsed stacks (`*-py-spy-*.txt`, loadable in speedscope or flamegraph.pl) and",
        "pyinstrument call trees (`relay-pyinstrument-*.txt`/`.html`).",
        "",
    ]


def ideas(relay: dict[str, Any] | None, gateway: dict[str, Any] | None) -> list[str]:
    """Ideas drawn from this run's profiles; one is listed only when its cost showed up (≥ 2 %)."""
    out = ["## Ideas to improve (not implemented)", "", "None of these was tried.", ""]
    rel = relay_ideas(relay)
    if rel:
        out += ["Relay:", "", *rel, ""]
    gw = gateway_ideas(gateway)
    if gw:
        out += ["Gateway and the service behind it:", "", *gw, ""]
    return out


def splice_childwelfare(doc: str, cw: list[dict[str, Any]]) -> str:
    """The page with its child welfare parts rewritten and every other section kept as it is."""
    text = splice(doc, "childwelfare-goals", childwelfare_goals(cw), before="## How to run")
    return splice(text, "childwelfare", childwelfare_section(cw), before="## Ideas to improve")


def splice_eldercare(doc: str, safety: dict[str, Any] | None, allowances: dict[str, Any] | None) -> str:
    """The page with its eldercare parts rewritten and every other section kept as it is."""
    text = splice(doc, "eldercare-goals", eldercare_goals(safety, allowances), before="## How to run")
    return splice(text, "eldercare", eldercare_section(safety, allowances), before="## Ideas to improve")


def splice_relief(doc: str, relief: list[dict[str, Any]]) -> str:
    """The page with its relief parts rewritten and every other section kept as it is."""
    text = splice(doc, "relief-goals", relief_goals(relief), before="## How to run")
    return splice(text, "relief", relief_section(relief), before="## Ideas to improve")
