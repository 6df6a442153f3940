"""``python -m services.childwelfare``: run the child welfare service until SIGTERM."""

from __future__ import annotations

from services.childwelfare.spec import SPEC
from services.kit.service import main

if __name__ == "__main__":
    main(SPEC)
