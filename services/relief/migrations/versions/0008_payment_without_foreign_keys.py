"""relief_payment without foreign keys (household, grant, assessment).

The payment run writes every row by one INSERT … SELECT from the grants and assessments it names, in
the same statement; households, grants and assessments are never deleted. PostgreSQL checked each key
with a per-row lookup that also row-locks the referenced household, grant and assessment: 1.1 s of
1.5 s per 20,000 payments at 1,000,000 households (docs/performance.md §5).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (column, referenced table, referenced column)
_KEYS = (
    ("household_id", "household", "id"),
    ("grant_id", "assistance_grant", "id"),
    ("assessment_id", "relief_assessment", "id"),
)
# Names for the unnamed keys of migration 0005: PostgreSQL's defaults, and on SQLite (which keeps no
# names) the ones batch mode gives them through this convention when it rebuilds the table.
_CONVENTION = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}


def _defer_keys_on_sqlite() -> None:
    # SQLite rebuilds the table (create, copy, drop, rename). Dropping the old one while
    # relief_overpayment rows reference it fails with foreign keys on, and the pragma that turns them
    # off is ignored inside the migration's transaction; deferred, they are checked at commit, when
    # the rebuilt table holds every referenced row again.
    if op.get_context().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")


def upgrade() -> None:
    """Drop the three foreign keys."""
    _defer_keys_on_sqlite()
    with op.batch_alter_table("relief_payment", naming_convention=_CONVENTION) as batch:
        for column, _, _ in _KEYS:
            batch.drop_constraint(f"relief_payment_{column}_fkey", type_="foreignkey")


def downgrade() -> None:
    """Add them back."""
    _defer_keys_on_sqlite()
    with op.batch_alter_table("relief_payment", naming_convention=_CONVENTION) as batch:
        for column, table, key in _KEYS:
            batch.create_foreign_key(f"relief_payment_{column}_fkey", table, [column], [key])
