"""``python -m services.eldercare``: run the eldercare service until SIGTERM."""

from __future__ import annotations

from services.eldercare.spec import SPEC
from services.kit.service import main

if __name__ == "__main__":
    main(SPEC)
