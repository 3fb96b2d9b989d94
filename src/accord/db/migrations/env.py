"""Alembic environment: runs migrations on the connection accord hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import accord.db.models  # noqa: F401  (registers every table)
from accord.db.base import Base
from accord.db.session import get_engine
from accord.search.schema import include_name

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,  # the search index is made by hand in 0011
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on the given connection, or on the engine of the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = get_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)


run_migrations_online()
