"""``python -m services.relief``: run the relief service until SIGTERM."""

from __future__ import annotations

from services.kit.service import main
from services.relief.spec import SPEC

if __name__ == "__main__":
    main(SPEC)
