from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import accord.db.models  # noqa: F401  (registers every table)
from accord.db import migrate
from accord.db.base import Base
from accord.db.session import get_engine
from accord.search.schema import include_name


def test_upgrade_from_empty_reaches_head(fresh_db: str) -> None:
    assert migrate.current(fresh_db) is None
    assert migrate.upgrade(fresh_db) == migrate.head()
    assert migrate.upgrade(fresh_db) == migrate.head()  # idempotent


def test_models_match_migrations(database_url: str) -> None:
    with get_engine(database_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
