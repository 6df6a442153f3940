"""Helpers shared by the benchmarks: machine facts, CPU accounting, percentiles, py-spy summaries.

Not a test helper: nothing here asserts on time. Results are plain dicts written as JSON under
``bench/out/`` (git-ignored) and turned into ``docs/performance.md`` by ``bench/run.py``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    """nproc, CPU model, RAM and Python version of this machine."""
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
                break
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model or platform.processor() or "unknown",
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds used so far by a process (all its threads); this process by default."""
    stat = Path(f"/proc/{pid or os.getpid()}/stat").read_text()
    # Fields after the command name (which may hold spaces) start at ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def tree_pids(root: int) -> list[int]:
    """``root`` and every descendant process (e.g. a postmaster and its backends)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of a process and its live descendants (exited ones are not counted)."""
    total = 0.0
    for pid in tree_pids(root):
        try:
            total += cpu_seconds(pid)
        except (OSError, ValueError):
            continue
    return total


OTHERS = "everything else on the machine"


DISTURBED = 0.2  # outside work above this share of one core makes a measurement "disturbed"


def disturbance(cpu: dict[str, float], wall_s: float) -> float:
    """Outside work during a measurement, as a share of one core (0 = the machine was ours)."""
    return cpu.get(OTHERS, 0.0) / wall_s if wall_s > 0 else 0.0


def machine_busy_seconds() -> float:
    """CPU seconds the machine has spent busy, all CPUs (/proc/stat: user+nice+system+irq+softirq+steal)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _CLK_TCK


def machine_busy_fraction(seconds: float = 2.0) -> float:
    """Share of all CPUs busy over the next ``seconds`` (0..1)."""
    import time

    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / (seconds * (os.cpu_count() or 1))


class CpuMeter:
    """CPU seconds used by named processes between ``start()`` and ``stop()``.

    Also reports, under ``OTHERS``, the machine's busy CPU time not used by the named processes: other
    work sharing the CPUs during the measurement (it should be near zero for clean figures).
    """

    def __init__(self, pids: dict[str, int], *, trees: Iterable[str] = ()) -> None:
        self.pids = pids
        self.trees = set(trees)
        self._start: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        out = {OTHERS: machine_busy_seconds()}
        for name, pid in self.pids.items():
            try:
                out[name] = tree_cpu_seconds(pid) if name in self.trees else cpu_seconds(pid)
            except OSError:
                out[name] = 0.0
        return out

    def start(self) -> None:
        self._start = self._read()

    def stop(self) -> dict[str, float]:
        end = self._read()
        used = {name: end[name] - self._start.get(name, 0.0) for name in end}
        used[OTHERS] = max(0.0, used[OTHERS] - sum(v for k, v in used.items() if k != OTHERS))
        return {name: round(value, 3) for name, value in used.items()}


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation, as numpy's default does."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(latencies_s: Sequence[float], wall_s: float) -> dict[str, float]:
    """p50/p90/p99/max in milliseconds and requests per second."""
    ms = [x * 1000 for x in latencies_s]
    return {
        "requests": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else float("nan"),
        "rps": round(len(ms) / wall_s, 1) if wall_s > 0 else float("nan"),
        "wall_s": round(wall_s, 3),
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``bench/out/<name>.json``."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path


# --- py-spy -------------------------------------------------------------------------------------


def py_spy_binary() -> str | None:
    """The py-spy executable next to this interpreter or on PATH (``pip install py-spy``)."""
    candidate = Path(sys.executable).parent / "py-spy"
    if candidate.is_file():
        return str(candidate)
    return shutil.which("py-spy")


def start_py_spy(
    pid: int, out: Path, *, rate: int = 100, threads: bool = False
) -> subprocess.Popen[bytes] | None:
    """Sample ``pid`` (idle time excluded) into a collapsed-stack file until ``stop_py_spy()``.

    None when py-spy is not installed.

    ``--nonblocking`` reads the target's memory without pausing it, so the profiled process keeps its pace.
    """
    binary = py_spy_binary()
    if binary is None:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(out)]
    cmd += ["--rate", str(rate), "--nonblocking", "--full-filenames"]
    if threads:
        cmd.append("--threads")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_py_spy(proc: subprocess.Popen[bytes] | None) -> str:
    """Stop a recording (py-spy writes its file on SIGINT); its stderr, for the log."""
    if proc is None:
        return ""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err.decode(errors="replace")


_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")


def read_collapsed(path: Path) -> list[tuple[list[tuple[str, str]], int]]:
    """Stacks (root first) of (function, file) with their sample counts, from py-spy's raw format."""
    stacks = []
    for line in path.read_text().splitlines():
        stack_text, _, count = line.rpartition(" ")
        if not stack_text or not count.isdigit():
            continue
        frames = []
        for part in stack_text.split(";"):
            m = _FRAME.match(part)
            frames.append((m["func"], m["file"]) if m else (part, ""))
        stacks.append((frames, int(count)))
    return stacks


def _component(file: str, rules: Sequence[tuple[str, str]]) -> str | None:
    for needle, name in rules:
        if needle in file:
            return name
    return None


def summarise_profile(
    path: Path,
    *,
    components: Sequence[tuple[str, str]],
    inclusive: Sequence[tuple[str, str, str]],
    threads: Sequence[tuple[str, str]] = (),
    top: int = 15,
) -> dict[str, Any]:
    """Where the samples of a py-spy recording went.

    - ``self_by_component``: each sample charged to the innermost frame whose file matches a component
      rule (``(substring of the path, name)``, first match wins), i.e. the library running on the CPU;
    - ``inclusive``: share of samples whose stack holds a frame matching ``(label, substring of the
      path, function name or "")`` — time spent in that call and everything under it;
    - ``top_self``: the busiest innermost functions;
    - ``by_thread`` (recordings made with ``threads=True``): samples per thread, a thread named by the
      first ``(substring of a path, label)`` rule matching a frame of its stack, else "main thread" or
      "other threads".
    """
    stacks = read_collapsed(path)
    total = sum(count for _, count in stacks)
    by_component: Counter[str] = Counter()
    by_leaf: Counter[str] = Counter()
    by_inclusive: Counter[str] = Counter()
    by_thread: Counter[str] = Counter()
    for frames, count in stacks:
        if frames and frames[0][0].startswith("thread ("):
            thread_name = frames[0][0].partition(": ")[2]
            frames = frames[1:]
            default = "main thread" if thread_name == "MainThread" else "other threads"
            label = next((lab for needle, lab in threads if any(needle in f for _, f in frames)), default)
            by_thread[label] += count
        leaf_func, leaf_file = frames[-1] if frames else ("?", "")
        by_leaf[f"{leaf_func} ({_short(leaf_file)})"] += count
        charged = "other"
        for _func, file in reversed(frames):
            name = _component(file, components)
            if name is not None:
                charged = name
                break
        by_component[charged] += count
        for label, needle, func_name in inclusive:
            if any(needle in file and (not func_name or func == func_name) for func, file in frames):
                by_inclusive[label] += count

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    return {
        "samples": total,
        "by_thread": [{"thread": k, "pct": pct(v)} for k, v in by_thread.most_common()],
        "self_by_component": [{"component": k, "pct": pct(v)} for k, v in by_component.most_common()],
        "inclusive": [{"what": label, "pct": pct(by_inclusive[label])} for label, _, _ in inclusive],
        "top_self": [{"function": k, "pct": pct(v)} for k, v in by_leaf.most_common(top)],
    }


def _short(file: str) -> str:
    for marker in ("site-packages/", "/lib/python3.", f"{REPO}/"):
        if marker in file:
            tail = file.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/lib/python3." and "/" in tail else tail
    return file
