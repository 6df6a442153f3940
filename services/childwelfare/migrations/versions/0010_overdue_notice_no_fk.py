"""The overdue notices without a foreign key to child (bench/childwelfare.py, docs/performance.md §3).

The overdue scan writes 50,000 notices at a million children, one insert per page of 1,000. The key
``overdue_notice.child_id → child.id`` made each row check its child: on PostgreSQL a ``SELECT 1 FROM
child … FOR KEY SHARE`` per row (a row lock written into 50,000 child tuples scattered over the table),
on SQLite a probe of child's id index per row. Measured at a million children (scan alone, one run
each, no relay): PostgreSQL's CPU for the scan 2.27 → 1.37 s, the notice inserts 1.68 → 0.89 s.

It guarded nothing the code can break: a notice is written only by the scan, for the child row the
same transaction has just read; children are never deleted (no code path deletes one) and their id
never changes. The index on (child_id, anchor_on, level) stays: the scan's anti-join reads it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps the key unnamed; batch mode names it by this convention to drop it (alembic's recipe).
_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
_SQLITE_FK = "fk_overdue_notice_child_id_child"
_POSTGRES_FK = "overdue_notice_child_id_fkey"  # PostgreSQL's default name for the key of 0002


def upgrade() -> None:
    """Drop the foreign key overdue_notice.child_id → child.id."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("overdue_notice", naming_convention=_NAMING, recreate="always") as batch:
            batch.drop_constraint(_SQLITE_FK, type_="foreignkey")
    else:
        op.drop_constraint(_POSTGRES_FK, "overdue_notice", type_="foreignkey")


def downgrade() -> None:
    """Restore the foreign key."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("overdue_notice", recreate="always") as batch:
            batch.create_foreign_key(_SQLITE_FK, "child", ["child_id"], ["id"])
    else:
        op.create_foreign_key(_POSTGRES_FK, "overdue_notice", "child", ["child_id"], ["id"])
