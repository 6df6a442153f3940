"""Build-time check of the image: every file the packages need was installed, not only the source.

``python -I deploy/check_install.py <source root>`` compares the source packages with the installed
ones and exits non-zero naming what the wheel left out (a folder without ``__init__.py``, a file
type missing from ``package-data``). Run with ``-I`` so the source tree is not on ``sys.path``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Top-level packages and where their source lives, relative to the repository root.
PACKAGES = {"services": "services", "gateway": "gateway", "minzheng": "proto/minzheng"}
# Files that are not needed at run time.
NOT_SHIPPED_SUFFIXES = {".proto", ".pyi", ".pyc", ".pyo", ".md"}


def missing_files(source_root: Path) -> list[str]:
    """Source files of the packages that have no installed counterpart."""
    missing: list[str] = []
    for package, relative in PACKAGES.items():
        source = source_root / relative
        if not source.is_dir() or not any(source.rglob("*.py")):
            continue  # the package does not exist yet
        spec = importlib.util.find_spec(package)
        locations = list(spec.submodule_search_locations or []) if spec else []
        installed = [Path(p) for p in locations if not Path(p).resolve().is_relative_to(source_root)]
        if not installed:
            missing.append(f"{relative}/ (the whole package)")
            continue
        for path in sorted(source.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.suffix in NOT_SHIPPED_SUFFIXES:
                continue
            rel = path.relative_to(source)
            if not any((root / rel).is_file() for root in installed):
                missing.append(f"{relative}/{rel}")
    return missing


def main() -> int:
    """Exit 1 and list the missing files, or exit 0."""
    source_root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    missing = missing_files(source_root)
    for name in missing:
        sys.stderr.write(f"not installed: {name}\n")
    if missing:
        sys.stderr.write("fix pyproject.toml (packages / package-data) so the wheel carries these files\n")
        return 1
    sys.stdout.write("installed packages carry every source file\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
