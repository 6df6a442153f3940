"""bench/relief.py writes its million households column by column: a migration that adds a column to
one of those tables must add it there too, or the benchmark stops before measuring anything."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_relief_benchmark_knows_every_column_of_the_tables_it_fills() -> None:
    sys.path.insert(0, str(BENCH))  # its sibling modules (benchkit, …) import by bare name
    try:
        spec = importlib.util.spec_from_file_location("bench_relief", BENCH / "relief.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        module.check_columns()
    finally:
        sys.modules.pop("bench_relief", None)
        sys.path.remove(str(BENCH))
