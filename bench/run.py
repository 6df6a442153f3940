"""Run the benchmarks and rewrite docs/performance.md from what they measured (``make bench``).

    .venv/bin/python bench/run.py            # every benchmark, full size (relay + gateway about 4-5 minutes;
                                             # child welfare about 5-6 minutes per run, 2 runs)
    .venv/bin/python bench/run.py --quick    # smaller N, fewer requests (a smoke run, ~1 minute)
    .venv/bin/python bench/run.py --only relay|gateway|childwelfare|eldercare|relief
    .venv/bin/python bench/run.py --only relief --households 100000   # relief at 100k only (2 runs)
    .venv/bin/python bench/run.py --only childwelfare --children 20000   # child welfare, small and quick
    .venv/bin/python bench/run.py --render   # only rewrite the page from bench/out/*.json

Each benchmark runs in its own process (bench/relay.py, bench/gateway.py, bench/childwelfare.py) and
leaves its figures in bench/out/<name>.json (git-ignored), with the profiles beside them. Nothing here
asserts on time. The child welfare benchmark runs twice (``--cw-runs``; the machine is shared, so one run
says little) and both runs are shown. When the relay or gateway results are missing (``--only
childwelfare``), the child welfare parts are spliced into the existing page and the rest is kept.

This file only runs things. The page is put together by report.py from one module per section
(report_relay.py, report_gateway.py, report_childwelfare.py with report_childwelfare_analysis.py;
shared formatting in reportkit.py), and the child welfare findings are fixed text in
childwelfare_notes.py: edit those, never the page.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchkit import BENCH_DIR, OUT_DIR, REPO, machine_busy_fraction
from report import render, splice_childwelfare, splice_eldercare, splice_relief

DOC = REPO / "docs" / "performance.md"
CW_SIZES = [100_000, 1_000_000]
RELIEF_SIZES = [100_000, 1_000_000]


def run(script: str, quick: bool, extra: list[str]) -> None:
    """Run one benchmark script in its own process; a failure stops ``make bench``."""
    cmd = [sys.executable, str(BENCH_DIR / script), *(["--quick"] if quick else []), *extra]
    print(f"$ {' '.join(cmd)}", flush=True)
    subprocess.run(cmd, cwd=REPO, check=True)


QUIET_BELOW = 0.10  # share of all CPUs busy
QUIET_WAIT_S = 120


def wait_for_quiet() -> None:
    """Wait (up to two minutes) until the machine is nearly idle, so other work does not skew the run."""
    busy = machine_busy_fraction()
    waited = 0.0
    while busy > QUIET_BELOW and waited < QUIET_WAIT_S:
        print(f"machine {busy:.0%} busy; waiting for it to settle", flush=True)
        busy = machine_busy_fraction(5.0)
        waited += 5.0
    if busy > QUIET_BELOW:
        print(f"machine still {busy:.0%} busy after {QUIET_WAIT_S} s; running anyway", flush=True)


def git_state() -> str:
    """The commit measured, and whether the code under test had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "services", "gateway", "proto"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"`{head}`" + (" plus uncommitted changes in services/, gateway/ or proto/" if dirty else "")


def load(name: str) -> dict[str, Any] | None:
    """One benchmark's results from bench/out/, or None when it has not run."""
    path = OUT_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    """Run what was asked for, then rewrite the page from whatever results are in bench/out/."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small N and few requests (smoke run)")
    parser.add_argument(
        "--only",
        choices=["relay", "gateway", "childwelfare", "eldercare", "relief"],
        help="run one benchmark",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip py-spy/pyinstrument")
    parser.add_argument("--render", action="store_true", help="only rewrite the page from bench/out/*.json")
    parser.add_argument(
        "--children", type=int, nargs="+", help=f"child welfare sizes (default {CW_SIZES}; --quick: 20000)"
    )
    parser.add_argument("--cw-runs", type=int, default=2, help="child welfare runs, all shown (default 2)")
    parser.add_argument(
        "--households", type=int, nargs="+", help=f"relief sizes (default {RELIEF_SIZES}; --quick: 20000)"
    )
    parser.add_argument("--relief-runs", type=int, default=2, help="relief runs, all shown (default 2)")
    args = parser.parse_args()
    extra = ["--no-profile"] if args.no_profile else []
    sizes = args.children or ([20_000] if args.quick else CW_SIZES)
    if not args.render:
        wait_for_quiet()
        if args.only in (None, "relay"):
            run("relay.py", args.quick, extra)
        if args.only in (None, "gateway"):
            run("gateway.py", args.quick, extra)
        if args.only in (None, "eldercare"):
            wait_for_quiet()
            run("safety.py", False, [])
            wait_for_quiet()
            run("eldercare_allowances.py", False, [])
        if args.only in (None, "childwelfare"):
            for old in OUT_DIR.glob("childwelfare-*.json"):
                old.unlink()
            for i in range(1, args.cw_runs + 1):
                wait_for_quiet()
                cw_args = ["--children", *map(str, sizes), "--out", f"childwelfare-{i}"]
                run("childwelfare.py", False, cw_args)
        if args.only in (None, "relief"):
            for old in OUT_DIR.glob("relief-*.json"):
                old.unlink()
            households = args.households or ([20_000] if args.quick else RELIEF_SIZES)
            for i in range(1, args.relief_runs + 1):
                wait_for_quiet()
                run("relief.py", False, ["--households", *map(str, households), "--out", f"relief-{i}"])
    relay, gateway = load("relay"), load("gateway")
    safety, allowances = load("safety"), load("eldercare_allowances")
    cw = [json.loads(p.read_text()) for p in sorted(OUT_DIR.glob("childwelfare-*.json"))]
    relief = [json.loads(p.read_text()) for p in sorted(OUT_DIR.glob("relief-*.json"))]
    if relay is None and gateway is None and not cw and safety is None and allowances is None and not relief:
        sys.exit("no results in bench/out/; run the benchmarks first")
    if (relay is None or gateway is None) and DOC.exists():
        # Keep the sections whose results are not here; replace only the child welfare, eldercare and relief
        # parts.
        doc = splice_childwelfare(DOC.read_text(), cw) if cw else DOC.read_text()
        doc = splice_eldercare(doc, safety, allowances) if safety or allowances else doc
        DOC.write_text(splice_relief(doc, relief) if relief else doc)
    else:
        DOC.write_text(render(relay, gateway, git_state(), cw, safety, allowances, relief))
    print(f"wrote {Path(DOC).relative_to(REPO)}")


if __name__ == "__main__":
    main()
