"""Databases for tests: a new empty one of the backend under test (SQLite, or PostgreSQL from
ACCORD_TEST_DB), and dropping it again.

A module of its own, not conftest, so that test modules can import it by a name no other test
folder's conftest shadows.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import make_url

from accord.db.session import dispose_engines, normalise_url


def _pg_admin_url() -> str | None:
    url = os.environ.get("ACCORD_TEST_DB")
    return normalise_url(url) if url else None


def _create_pg_database(admin_url: str) -> str:
    import psycopg

    name = f"accord_test_{uuid.uuid4().hex[:12]}"
    parsed = make_url(admin_url)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(admin_url: str, url: str) -> None:
    import psycopg

    name = make_url(url).database
    dispose_engines()
    conninfo = (
        make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_database_url(tmp_dir: Path) -> str:
    """Return the URL of a new, empty database of the backend under test."""
    admin = _pg_admin_url()
    if admin:
        return _create_pg_database(admin)
    return f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.db'}"


def drop_database_url(url: str) -> None:
    """Drop a database made by new_database_url (SQLite files go with their tmp folder)."""
    admin = _pg_admin_url()
    if admin and url.startswith("postgresql"):
        _drop_pg_database(admin, url)
