"""Alembic migrations of the relief database (a package so that installed copies ship them)."""
