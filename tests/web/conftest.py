import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.config import get_settings
from accord.db import migrate
from accord.db.session import dispose_engines, session_scope
from accord.incidents import service as incidents
from accord.incidents.rows import build_incident
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.users import service as users
from accord.web.app import create_app

EXACT = (47.512345, 35.087654)  # an incident location, to six decimals
ROLES = ("viewer", "analyst", "monitor", "council", "admin")
PASSWORD = "correct horse battery"
NOTE = (
    "Title: Geneva note\nDate: 2025-11-24\n\nRussia rejected the European counter-proposal.\n"
    "Zelenskiy said the guarantees were agreed. <script>alert('x')</script> stays text.\n"
)


@pytest.fixture
def web(
    home: Path, fresh_db: str, tmp_path: Path
) -> Iterator[tuple[TestClient, dict[str, str], int]]:
    """A test client on a fresh database with one user per role; yields (client, tokens, source id)."""
    migrate.upgrade(fresh_db)
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    tokens = {}
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, "ukraine-2025", by="setup")
        for role in ROLES:
            users.create(session, role, role, PASSWORD, by="setup")
            tokens[role] = users.issue_token(session, role, by="setup")
        source, _added, _n = sources.ingest_path(
            session, note, by="setup", blobs=BlobStore(home / "blobs"), max_bytes=100_000
        )
        source_id = source.id
    client = TestClient(create_app(get_settings(secret_key="test-secret"), fresh_db))
    yield client, tokens, source_id


def file_incident(web_db: str, reporter: str) -> int:
    """File one explosion incident on 2026-02-04 at EXACT; return its id."""
    with session_scope(web_db) as session:
        data = build_incident(
            {
                "type": "explosion",
                "latitude": EXACT[0],
                "longitude": EXACT[1],
                "occurred_at": dt.datetime(2026, 2, 4, 9, tzinfo=dt.UTC),
                "reporter": reporter,
                "observer": {"latitude": 47.5, "longitude": 35.0},
            }
        )
        return incidents.create(session, data, by=reporter).id


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run an app with Uvicorn on a free loopback port in a thread; yield its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (``accord demo``), built once per run as a SQLite file to copy."""
    from accord.demo import setup

    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACCORD_HOME", str(folder / "home"))
        setup.build_demo(
            f"sqlite:///{folder / 'accord.db'}",
            folder / "home" / "blobs",
            folder / "files",
            "ukraine-2025",
            by="setup",
            fresh_file=folder / "accord.db",
            max_bytes=1_000_000,
        )
    dispose_engines()  # the last connection to close folds the write-ahead log into the file
    return folder / "accord.db"


@contextmanager
def demo_site(template: Path, folder: Path) -> Iterator[tuple[str, FastAPI]]:
    """Serve a copy of the demo database with one user per role; yield (base URL, app)."""
    import shutil

    copy = folder / "site.db"
    shutil.copyfile(template, copy)
    url = f"sqlite:///{copy}"
    with session_scope(url) as session:
        for role in ROLES:
            users.create(session, role, role, PASSWORD, by="setup")
    app = create_app(get_settings(secret_key="test-secret"), url)
    with serving(app) as base:
        yield base, app
