"""Formatting shared by the report sections of docs/performance.md: numbers, tables, profile rows."""

from __future__ import annotations

from typing import Any

from benchkit import DISTURBED, disturbance


def n(value: float) -> str:
    """12345.6 → 12,346."""
    return f"{value:,.0f}"


def ms(value: float) -> str:
    """Milliseconds to one decimal, with thousands separators."""
    return f"{value:,.1f}"


def pct(part: float, whole: float) -> str:
    """``part`` as a whole percentage of ``whole``; a dash when there is no whole."""
    return f"{100 * part / whole:.0f} %" if whole else "–"


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table, followed by the blank line that ends it."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*out, ""]


def met(ok: bool) -> str:
    """The verdict cell of a goals row."""
    return "**met**" if ok else "**not met**"


def component_rows(profile: dict[str, Any], limit: int = 8) -> list[list[Any]]:
    """Profile rows: the libraries the samples were charged to (self time), largest first."""
    return [[c["component"], f"{c['pct']} %"] for c in profile["self_by_component"][:limit]]


def inclusive_rows(profile: dict[str, Any]) -> list[list[Any]]:
    """Profile rows: the share of samples under each call of interest."""
    return [[c["what"], f"{c['pct']} %"] for c in profile["inclusive"]]


def top_rows(profile: dict[str, Any], limit: int = 10) -> list[list[Any]]:
    """Profile rows: the functions with the most self time."""
    return [[f"`{c['function']}`", f"{c['pct']} %"] for c in profile["top_self"][:limit]]


def threads_line(profile: dict[str, Any]) -> str:
    """How the samples split across threads, as one line."""
    parts = [f"{t['thread']} {t['pct']} %" for t in profile.get("by_thread", [])]
    return ", ".join(parts)


def share(profile: dict[str, Any], component_prefix: str) -> float:
    """Self-time share of the components whose name starts with ``component_prefix``."""
    return sum(c["pct"] for c in profile["self_by_component"] if c["component"].startswith(component_prefix))


def incl(profile: dict[str, Any], what_prefix: str) -> float:
    """Share of samples under the calls whose label starts with ``what_prefix``."""
    return sum(c["pct"] for c in profile["inclusive"] if c["what"].startswith(what_prefix))


def flag(cpu: dict[str, float], wall_s: float) -> str:
    """A warning mark when outside work shared the CPUs during a measurement."""
    busy = disturbance(cpu, wall_s)
    return f" ⚠ (other work: {busy:.0%} of a core)" if busy > DISTURBED else ""


def splice(doc: str, name: str, block: list[str], *, before: str) -> str:
    """Replace the ``<!-- name -->`` … ``<!-- /name -->`` block of the page, or insert it before a heading."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    text = "\n".join(block).rstrip() + "\n"
    if start in doc and end in doc:
        head, rest = doc.split(start, 1)
        return head + text + rest.split(end, 1)[1].lstrip("\n")
    at = doc.find(before)
    return doc + "\n" + text if at < 0 else doc[:at] + text + "\n" + doc[at:]
