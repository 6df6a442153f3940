"""The base of relief's tables: its own SQLAlchemy registry and metadata."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class ReliefTable(SQLModel, registry=registry()):
    """Base of relief's tables: its own metadata, so other services' tables never clash in one process."""


METADATA = ReliefTable.metadata
