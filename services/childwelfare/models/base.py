"""The base of child welfare's tables: its own SQLAlchemy registry and metadata."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class ChildWelfareTable(SQLModel, registry=registry()):
    """Base of child welfare's tables: its own metadata, so other services' tables never clash."""


METADATA = ChildWelfareTable.metadata
