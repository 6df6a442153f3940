"""DESIGN §2's import directions, checked on the source: they are what keeps the house easy to change."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
IO_MODULES = ("grpc", "sqlalchemy", "sqlmodel", "nats", "httpx", "psycopg", "aiosqlite")


def imported_modules(path: Path) -> set[str]:
    """Absolute module names a file imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def violations(package: Path, allowed: set[str]) -> list[str]:
    """Imports of platform packages outside ``allowed`` (``services.<name>`` or ``gateway``)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for name in imported_modules(path):
            parts = name.split(".")
            top = ".".join(parts[:2]) if parts[0] == "services" and len(parts) > 1 else parts[0]
            if top in {"gateway"} | {f"services.{s}" for s in SERVICES} and top not in allowed:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_kit_imports_no_service_and_no_gateway_code() -> None:
    assert violations(ROOT / "services" / "kit", {"services.kit"}) == []


def test_the_gateway_imports_kit_and_the_stubs_only() -> None:
    assert violations(ROOT / "gateway", {"gateway", "services.kit"}) == []


@pytest.mark.parametrize("service", [s for s in SERVICES if s != "kit"])
def test_a_service_never_imports_another_service_or_the_gateway(service: str) -> None:
    assert violations(ROOT / "services" / service, {f"services.{service}", "services.kit"}) == []


@pytest.mark.parametrize("rules", sorted((ROOT / "services").glob("*/rules.py")), ids=lambda p: p.parent.name)
def test_rules_modules_do_no_io_even_indirectly(rules: Path) -> None:
    module = f"services.{rules.parent.name}.rules"
    probe = (
        f"import sys, {module}; "
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({IO_MODULES!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "", f"{module} pulls in {out.strip()}"
