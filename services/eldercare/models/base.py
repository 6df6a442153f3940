"""The base of eldercare's tables: its own SQLAlchemy registry and metadata."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class EldercareTable(SQLModel, registry=registry()):
    """Base of eldercare's tables: its own metadata, so other services' tables never clash in one process."""


METADATA = EldercareTable.metadata
