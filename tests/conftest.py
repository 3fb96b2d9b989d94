"""Shared fixtures: a real database (SQLite, or PostgreSQL from ACCORD_TEST_DB), sessions, CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.db import migrate
from accord.db.session import get_engine
from dbtools import drop_database_url, new_database_url

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_DIR = SHARED / "seed"
DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database shared by the session; tests use rolled-back transactions on it."""
    url = new_database_url(tmp_path_factory.mktemp("db"))
    migrate.upgrade(url)
    yield url
    drop_database_url(url)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    engine = get_engine(database_url)
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[str]:
    """A new empty database (no schema) for tests that commit, such as CLI tests."""
    url = new_database_url(tmp_path)
    yield url
    drop_database_url(url)


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[str]:
    """A second new empty database, for tests that carry data from one database to another."""
    (tmp_path / "other").mkdir(exist_ok=True)
    url = new_database_url(tmp_path / "other")
    yield url
    drop_database_url(url)


@pytest.fixture(scope="module")
def module_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new empty database shared by one module's tests (built once, then only read)."""
    url = new_database_url(tmp_path_factory.mktemp("module-db"))
    yield url
    drop_database_url(url)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ACCORD_HOME for the test, with ACCORD_DB unset."""
    folder = tmp_path / "home"
    monkeypatch.setenv("ACCORD_HOME", str(folder))
    monkeypatch.delenv("ACCORD_DB", raising=False)
    monkeypatch.setenv("ACCORD_USER", "tester")
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """A Typer CLI runner."""
    return CliRunner()


@pytest.fixture
def ukraine_data() -> Path:
    """The shared real-data folder; skips the test when it is absent."""
    folder = SHARED / "data" / "ukraine"
    if not (folder / "oblasts-2020.geojson").exists():
        pytest.skip("../shared/data/ukraine is not present")
    return folder


@pytest.fixture
def seed_dir() -> Path:
    """The shared seed folder; skips the test when ../shared is absent."""
    if not SEED_DIR.is_dir():
        pytest.skip("../shared/seed is not present")
    return SEED_DIR


DB_FIXTURES = {"session", "fresh_db", "database_url", "other_db", "module_db"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the database, so CI can rerun them on PostgreSQL."""
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
