"""Alembic environment of eldercare: migrations run at service start on the service's own connection."""

from __future__ import annotations

from services.eldercare.models import METADATA
from services.kit.migrations import run_migrations

run_migrations(METADATA)
