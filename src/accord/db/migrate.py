"""Create or upgrade the schema with Alembic, and report the current revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from accord.db.session import check_connection, get_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at accord's migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> str | None:
    """Upgrade the database to a revision (default head); return the revision reached."""
    engine = get_engine(url)
    check_connection(engine)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current(url)


def current(url: str) -> str | None:
    """Return the database's current revision, or None when it has no schema yet."""
    engine = get_engine(url)
    check_connection(engine)
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head() -> str | None:
    """Return the newest revision shipped with this version of accord."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
