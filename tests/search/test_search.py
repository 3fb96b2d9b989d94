"""Full-text search: ranked hits with marked matches, filters, the index in step with every write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.claims import workflow
from accord.cli.main import app
from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.search.service import SearchFilter, fts5_query, search
from accord.sources import service as sources
from accord.sources.blobs import BlobStore

NOTES = {
    "a.md": (
        "Title: Geneva round\nDate: 2025-11-24\nSource: Mission A\n\n"
        "Russia rejected the European counter-proposal on security guarantees.\n"
        "Zelenskiy said the territorial question remained unresolved.\n"
    ),
    "b.md": (
        "Title: Berlin talks\nDate: 2025-12-15\nSource: Mission B\n\n"
        "Witkoff said the security guarantees were ninety percent agreed.\n"
    ),
}


def _cli(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output + str(result.exception)
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def db(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> str:
    _cli(runner, "init", "--db", fresh_db)
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, body in NOTES.items():
        (folder / name).write_text(body)
    _cli(runner, "ingest", str(folder), "--db", fresh_db)
    return fresh_db


def test_search_ranks_claims_and_sources_with_marked_matches(runner: CliRunner, db: str) -> None:
    out = json.loads(_cli(runner, "search", "security guarantees", "--db", db, "--json"))
    assert out["total"] >= 3
    kinds = {h["type"] for h in out["hits"]}
    assert kinds == {"claim", "source"}
    for hit in out["hits"]:
        assert [m.lower() for m in hit["matches"]] >= ["security", "guarantees"][:1]
        assert "security guarantees" in hit["snippet"].lower()
    ranks = [h["rank"] for h in out["hits"]]
    assert ranks == sorted(ranks)  # best first
    text = _cli(runner, "search", "security guarantees", "--db", db)
    assert text.startswith(f"{out['total']} match(es) for 'security guarantees'")
    assert "claim #" in text and "source #" in text


def test_filters_narrow_the_hits(runner: CliRunner, db: str) -> None:
    def hits(*args: str) -> list[dict[str, object]]:
        found = json.loads(_cli(runner, "search", *args, "--db", db, "--json"))
        return found["hits"]  # type: ignore[no-any-return]

    ru = hits("guarantees", "--in", "claims", "--holder", "ru")
    assert ru and all(h["claim"]["holder_id"] == "ru" for h in ru)  # type: ignore[index]
    assert hits("guarantees", "--in", "claims", "--holder", "gb") == []
    mission_b = hits("guarantees", "--in", "sources", "--publisher", "Mission B")
    assert [h["title"] for h in mission_b] == ["Berlin talks"]
    december = hits("guarantees", "--from", "2025-12-01", "--to", "2025-12-31")
    assert december and all(h["published_at"].startswith("2025-12") for h in december)  # type: ignore[union-attr]
    assert [h["title"] for h in hits("guarantees -Witkoff", "--in", "sources")] == ["Geneva round"]
    assert {h["title"] for h in hits("Zelenskiy or Witkoff", "--in", "sources")} == {
        "Geneva round",
        "Berlin talks",
    }


def test_bad_queries_and_filters_are_one_line(runner: CliRunner, db: str) -> None:
    err = _cli(runner, "search", "!!!", "--db", db, code=2)
    assert err == "error: q: give at least one word to search for\n"
    err = _cli(runner, "search", "talks", "--kind", "rumour", "--db", db, code=2)
    assert "unknown claim kind 'rumour' (use position, status, proposal, event)" in err
    err = _cli(runner, "search", "talks", "--in", "sources", "--holder", "ru", "--db", db, code=2)
    assert "use in=claims" in err
    # FTS5 syntax in the user's words is taken as words, never as an operator
    assert fts5_query('NEAR(a b) "x" AND-y') == '"NEAR a" "b" "x" "AND y"'


def test_the_index_follows_every_write_in_its_transaction(db: str, home: Path) -> None:
    with session_scope(db) as session:
        assert search(session, SearchFilter(query="ceasefire monitors")).total == 0
    with pytest.raises(RuntimeError), session_scope(db) as session:
        sources.ingest_bytes(
            session,
            b"Date: 2025-12-20\n\nThe ceasefire monitors arrived in Zaporizhzhia.\n",
            Path("monitors.md"),
            by="tester",
            blobs=BlobStore(home / "blobs"),
        )
        assert search(session, SearchFilter(query="ceasefire monitors")).total >= 1
        raise RuntimeError("roll back")
    with session_scope(db) as session:  # rolled back: neither the source nor its index entry
        assert search(session, SearchFilter(query="ceasefire monitors")).total == 0
        claim_hits = search(session, SearchFilter(query="counter-proposal", scope="claims"))
        claim_id = claim_hits.hits[0].id
        replacement = workflow.correct(
            session, claim_id, workflow.Correction(holder="us"), by="tester"
        )
    with session_scope(db) as session:
        found = search(session, SearchFilter(query="counter-proposal", scope="claims"))
        ids = {h.id for h in found.hits}
        assert {claim_id, replacement.id} <= ids
        corrected = search(
            session, SearchFilter(query="counter-proposal", scope="claims", state="corrected")
        )
        assert [h.id for h in corrected.hits] == [claim_id]


def test_unknown_state_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown review state"):
        SearchFilter(query="x", state="maybe").check()
