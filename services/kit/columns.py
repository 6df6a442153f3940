"""Column types and filters every service's tables share: region codes scoped by prefix, UTC times.

Every row that belongs somewhere carries its region code, indexed, so region scoping is a range
scan on the row itself and never a join (DESIGN §6, dhis2-core #23492).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa


def region_code_type() -> sa.types.TypeEngine[str]:
    """Region codes compare byte-wise on PostgreSQL too, so prefix ranges can use the index."""
    return sa.String(12).with_variant(sa.String(12, collation="C"), "postgresql")


def utc_datetime(*, nullable: bool = False) -> sa.Column[datetime]:
    """A timezone-aware timestamp column (values are UTC)."""
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


def in_regions(column: sa.ColumnElement[str], scopes: Sequence[str]) -> sa.ColumnElement[bool]:
    """Rows whose region code lies under one of the scopes, as ranges an ordinary index serves."""
    if not scopes:
        return sa.false()
    # Codes are ASCII digits and ':' sorts right after '9', so a prefix p covers exactly [p, p + ':').
    return sa.or_(*(sa.and_(column >= scope, column < scope + ":") for scope in scopes))
