"""The versioned cache: the board and incident totals follow every write, wherever it is made."""

from pathlib import Path

from fastapi.testclient import TestClient

from accord.audit import service as audit
from accord.db import migrate
from accord.db.session import session_scope
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.users import service as users
from accord.web.cache import VersionedCache
from conftest import file_incident


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
