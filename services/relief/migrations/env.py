"""Alembic environment of relief: migrations run at service start on the service's own connection."""

from __future__ import annotations

from services.kit.migrations import run_migrations
from services.relief.models import METADATA

run_migrations(METADATA)
