"""Alembic environment of childwelfare: migrations run at service start on the service's own connection."""

from __future__ import annotations

from services.childwelfare.models import METADATA
from services.kit.migrations import run_migrations

run_migrations(METADATA)
