"""Alembic migrations of the eldercare database (a package so that installed copies ship them)."""
