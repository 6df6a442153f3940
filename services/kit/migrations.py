"""The body of every service's alembic ``env.py``: online migrations on a shared connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData


def run_migrations(target_metadata: MetaData | None = None) -> None:
    """Run migrations on the connection that ``kit.db.migrate`` put in the config's attributes."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("migrations run at service start (kit.db.migrate), not from the alembic CLI")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
