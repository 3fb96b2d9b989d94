"""The versioned cache: the board and incident totals follow every write, wherever it is made."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from accord.audit import service as audit
from accord.config import get_settings
from accord.db import migrate
from accord.db.session import get_engine, session_scope
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.users import service as users
from accord.web.app import create_app
from accord.web.cache import VersionedCache
from accord.web.versions import sqlite_file
from conftest import EXACT, file_incident


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def guarantees_row(client: TestClient, token: str) -> dict:  # type: ignore[type-arg]
    board = client.get("/api/v1/board", headers=auth(token)).json()
    return next(row for row in board["rows"] if row["issue"] == "security-guarantees")


def test_versioned_cache_recomputes_after_any_commit(fresh_db: str) -> None:
    migrate.upgrade(fresh_db)
    cache = VersionedCache(size=2)
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return f"{key}-{len(calls)}"

    with session_scope(fresh_db, read_only=True) as session:
        first = cache.get(session, "a", lambda: compute("a"))
        assert cache.get(session, "a", lambda: compute("a")) == first
    assert calls == ["a"]
    with session_scope(fresh_db) as session:  # any write appends an audit event
        audit.record(session, by="t", action="test.write", entity="test", entity_id=1, payload={})
    with session_scope(fresh_db, read_only=True) as session:
        assert cache.get(session, "a", lambda: compute("a")) != first
        cache.get(session, "b", lambda: compute("b"))
        cache.get(session, "c", lambda: compute("c"))  # evicts "a", the least recently used
        cache.get(session, "a", lambda: compute("a"))
    assert calls == ["a", "a", "b", "c", "a"]
    assert (cache.hits, cache.misses) == (1, 5)


def test_board_follows_reviews_and_outside_ingests(web, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    viewer = tokens["viewer"]
    before = guarantees_row(client, viewer)
    assert before["status"] == "agreed"
    assert guarantees_row(client, viewer) == before  # served again from the cache
    claims = client.get(f"/api/v1/claims?source={source_id}", headers=auth(viewer)).json()
    status = next(c for c in claims["items"] if c["kind"] == "status")
    rejected = client.post(
        f"/api/v1/claims/{status['id']}/review",
        json={"action": "reject"},
        headers=auth(tokens["analyst"]),
    )
    assert rejected.status_code == 200
    assert guarantees_row(client, viewer)["status"] is None
    # a write made outside the server (the CLI, another worker) is seen as well
    memo = tmp_path / "memo.md"
    memo.write_text("Title: Memo\nDate: 2025-11-25\n\nKyiv said the guarantees were agreed.\n")
    with session_scope(client.app.state.db_url) as session:  # type: ignore[attr-defined]
        sources.ingest_path(
            session, memo, by="cli", blobs=BlobStore(home / "blobs"), max_bytes=100_000
        )
    assert guarantees_row(client, viewer)["status"] == "agreed"


def test_incident_totals_follow_writes(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    db_url = client.app.state.db_url  # type: ignore[attr-defined]

    def total(query: str = "") -> int:
        page = client.get(f"/api/v1/incidents{query}", headers=auth(tokens["viewer"])).json()
        return int(page["total"])

    assert (total(), total("?type=explosion"), total("?type=projectile")) == (0, 0, 0)
    file_incident(db_url, "monitor-1")  # filed outside the server
    assert (total(), total("?type=explosion"), total("?type=projectile")) == (1, 1, 0)
    filed = client.post(
        "/api/v1/incidents",
        json={
            "type": "projectile",
            "latitude": 48.0,
            "longitude": 37.5,
            "occurred_at": "2026-02-03",
        },
        headers=auth(tokens["monitor"]),
    )
    assert filed.status_code == 201
    assert (total(), total("?type=explosion"), total("?type=projectile")) == (2, 1, 1)
    assert client.get("/incidents.json", headers=auth(tokens["viewer"])).json()["total"] == 2


def test_tokens_are_checked_against_current_data(web) -> None:  # type: ignore[no-untyped-def]
    """A token issued elsewhere works at once; made-up tokens are refused and not cached."""
    client, tokens, _source_id = web
    cache = client.app.state.cache  # type: ignore[attr-defined]
    assert client.get("/api/v1/board", headers=auth(tokens["viewer"])).status_code == 200
    with session_scope(client.app.state.db_url) as session:  # type: ignore[attr-defined]
        fresh = users.issue_token(session, "viewer", by="cli")
    assert client.get("/api/v1/board", headers=auth(fresh)).status_code == 200
    hits = cache.hits
    for n in range(cache.size + 10):
        assert client.get("/api/v1/board", headers=auth(f"acc_made-up-{n}")).status_code == 401
    assert client.get("/api/v1/board", headers=auth(fresh)).status_code == 200
    assert cache.hits == hits + 2  # the token and the board entries were not pushed out


def test_a_database_restored_over_another_is_not_served_from_the_cache(
    fresh_db: str, tmp_path: Path
) -> None:
    """Two databases at the same audit id differ in the newest event's hash."""
    other = f"sqlite:///{tmp_path / 'restored.db'}"
    cache = VersionedCache()
    for url, who in ((fresh_db, "alice"), (other, "bob")):
        migrate.upgrade(url)
        with session_scope(url) as session:
            audit.record(session, by=who, action="test.write", entity="t", entity_id=1, payload={})
    versions = []
    for url in (fresh_db, other):
        with session_scope(url, read_only=True) as session:
            versions.append(audit.data_version(session))
    assert versions[0][0] == versions[1][0] and versions[0][1] != versions[1][1]
    seen = []
    for url in (fresh_db, other):
        with session_scope(url, read_only=True) as session:
            seen.append(cache.get(session, "board", lambda url=url: url))  # type: ignore[misc]
    assert seen == [fresh_db, other]


def test_a_cached_board_is_served_without_touching_the_database(web) -> None:  # type: ignore[no-untyped-def]
    """On SQLite the version comes from the watch: a current entry needs no pooled connection."""
    client, tokens, _source_id = web
    db_url = client.app.state.db_url  # type: ignore[attr-defined]
    if sqlite_file(db_url) is None:
        pytest.skip("PostgreSQL looks the version up in the request's session")
    checkouts: list[int] = []

    def count_checkout(*_: object) -> None:
        checkouts.append(1)

    event.listen(get_engine(db_url), "checkout", count_checkout)
    try:
        board = client.get("/api/v1/board", headers=auth(tokens["viewer"]))
        assert board.status_code == 200 and checkouts  # computed once
        checkouts.clear()
        for _ in range(5):
            again = client.get("/api/v1/board", headers=auth(tokens["viewer"]))
            assert again.json() == board.json()
        assert checkouts == []
        file_incident(db_url, "monitor-1")  # any write moves the version on
        client.get("/api/v1/board", headers=auth(tokens["viewer"]))
        assert checkouts
    finally:
        event.remove(get_engine(db_url), "checkout", count_checkout)


def test_cached_list_pages_keep_what_each_role_may_see(web) -> None:  # type: ignore[no-untyped-def]
    """A monitor's page (exact place, reporter) is never served to a viewer, nor the reverse."""
    client, tokens, _source_id = web
    file_incident(client.app.state.db_url, "monitor-1")  # type: ignore[attr-defined]

    def first(role: str) -> dict:  # type: ignore[type-arg]
        page = client.get("/api/v1/incidents", headers=auth(tokens[role]))
        return page.json()["items"][0]  # type: ignore[no-any-return]

    for _ in range(2):  # the second round is served from the cache
        exact, coarse = first("monitor"), first("viewer")
        assert (exact["latitude"], exact["reporter"]) == (EXACT[0], "monitor-1")
        assert coarse["latitude"] == 47.51 and coarse["reporter"] is None
    assert client.app.state.pages.hits >= 2  # type: ignore[attr-defined]


def test_the_page_cache_can_be_turned_off(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    db_url = client.app.state.db_url  # type: ignore[attr-defined]
    app = create_app(get_settings(secret_key="test-secret", page_cache_mb=0), db_url)
    file_incident(db_url, "monitor-1")
    with TestClient(app) as uncached:
        for _ in range(3):
            page = uncached.get("/api/v1/incidents", headers=auth(tokens["viewer"])).json()
            assert page["total"] == 1
    assert len(app.state.pages) == 0


def test_the_cache_keeps_to_its_byte_budget(fresh_db: str) -> None:
    migrate.upgrade(fresh_db)
    cache = VersionedCache(max_bytes=10)
    with session_scope(fresh_db, read_only=True) as session:
        cache.get(session, "a", lambda: b"123456")
        cache.get(session, "b", lambda: b"abcdef")  # 12 bytes in all: "a" goes
        assert len(cache) == 1
        assert cache.get(session, "b", lambda: b"other") == b"abcdef"
        assert cache.get(session, "a", lambda: b"again") == b"again"
        assert cache.get(session, "huge", lambda: b"x" * 11) == b"x" * 11  # served, not kept
        assert cache.get(session, "a", lambda: b"new") == b"again"  # nothing was pushed out


def test_concurrent_misses_compute_once(fresh_db: str) -> None:
    """Requests missing the same entry wait for one computation; a failed one is taken over."""
    migrate.upgrade(fresh_db)
    cache = VersionedCache()
    calls: list[int] = []
    started = threading.Barrier(6)

    def slow() -> bytes:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.3)
            raise RuntimeError("the first computation fails")
        time.sleep(0.3)
        return b"page"

    def request() -> bytes | str:
        with session_scope(fresh_db, read_only=True) as session:
            started.wait()
            try:
                return cache.get(session, "page", slow)
            except RuntimeError as exc:
                return str(exc)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: request(), range(6)))
    assert sorted(answers, key=str) == [b"page"] * 5 + ["the first computation fails"]
    assert len(calls) == 2  # the failed one and the one that took over
