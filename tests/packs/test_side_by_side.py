"""Two packs in one database: each board, timeline, event list and agreement list shows only its
pack, and the Ukraine board is the same as in a database that holds Ukraine alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli.main import app
from accord.config import get_settings
from accord.db import migrate
from accord.db.session import session_scope
from accord.demo.setup import example_documents
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.users import service as users
from accord.web.app import create_app

UA, GAZA = "ukraine-2025", "gaza-2025"


def _build(url: str, blobs: BlobStore, pack_ids: list[str]) -> None:
    migrate.upgrade(url)
    with session_scope(url) as session:
        for pack_id in pack_ids:
            packs.load_by_name(session, pack_id, by="setup")
    for pack_id in pack_ids:
        for path in example_documents(pack_id):
            with session_scope(url) as session:
                sources.ingest_path(
                    session, path, by="setup", blobs=blobs, max_bytes=1_000_000, packs=[pack_id]
                )


@pytest.fixture
def dbs(home: Path, tmp_path: Path, fresh_db: str) -> Iterator[tuple[str, str]]:
    """(a SQLite database with Ukraine alone, the database under test with both packs)."""
    alone, both = f"sqlite:///{tmp_path / 'ukraine-alone.db'}", fresh_db
    blobs = BlobStore(home / "blobs")
    _build(alone, blobs, [UA])
    _build(both, blobs, [UA, GAZA])
    yield alone, both


def _cli(runner: CliRunner, *args: str) -> dict | list:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output + str(result.exception)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_each_view_shows_only_its_pack(runner: CliRunner, dbs: tuple[str, str]) -> None:
    alone, both = dbs
    day = "2026-03-01"
    ua_alone = _cli(runner, "board", "--as-of", day, "--db", alone)
    ua_both = _cli(runner, "board", "--as-of", day, "--pack", UA, "--db", both)
    assert ua_both == ua_alone  # the Ukraine figures are unchanged by a second pack
    assert _cli(runner, "board", "--as-of", day, "--db", both) == ua_alone  # ACCORD_PACK default
    gaza = _cli(runner, "board", "--as-of", day, "--pack", GAZA, "--db", both)
    assert isinstance(gaza, dict) and isinstance(ua_both, dict)
    assert gaza["pack"] == GAZA and gaza["parties"] == ["us", "il", "hamas", "eg", "qa"]
    gaza_issues = {r["issue"] for r in gaza["rows"]}
    assert "hostages" in gaza_issues and "territory" not in gaza_issues
    assert "territory" in {r["issue"] for r in ua_both["rows"]}
    filled = [c for r in gaza["rows"] for c in r["cells"].values() if c]
    assert len(filled) >= 5
    with session_scope(both) as session:
        from accord.claims import service as claims

        gaza_claims = {c.id for c in claims.list_claims(session, pack_id=GAZA)[0]}
        ua_claims = {c.id for c in claims.list_claims(session, pack_id=UA)[0]}
    assert gaza_claims and ua_claims and not gaza_claims & ua_claims
    assert {c["claim_id"] for c in filled} <= gaza_claims
    # timelines and events of one pack carry only that pack's claims
    timeline = _cli(runner, "issue", "disarmament", "--pack", GAZA, "--db", both)
    assert isinstance(timeline, dict) and timeline["entries"]
    assert {e["claim_id"] for e in timeline["entries"]} <= gaza_claims
    ua_timeline = _cli(runner, "issue", "ceasefire", "--pack", UA, "--db", both)
    assert isinstance(ua_timeline, dict)
    assert {e["claim_id"] for e in ua_timeline["entries"]} <= ua_claims
    events = _cli(runner, "events", "--as-of", day, "--pack", GAZA, "--db", both)
    assert isinstance(events, dict)
    assert all(
        "ua" not in e["participants"] and "ru" not in e["participants"] for e in events["events"]
    )
    # agreements of each pack
    listed = _cli(runner, "agreement", "list", "--pack", GAZA, "--db", both)
    assert [a["id"] for a in listed] == ["gaza-peace-plan"]
    listed = _cli(runner, "agreement", "list", "--pack", UA, "--db", both)
    assert [a["id"] for a in listed] == ["peace-agreement"]
    result = runner.invoke(app, ["board", "--pack", "nowhere-2030", "--db", both])
    assert result.exit_code != 0 and "not loaded" in result.output


def test_a_source_can_be_ingested_for_both_packs(
    runner: CliRunner, dbs: tuple[str, str], tmp_path: Path
) -> None:
    _alone, both = dbs
    note = tmp_path / "note.md"
    note.write_text(
        "Title: Two processes\nDate: 2025-12-10\n\n"
        "Hamas said it rejects any disarmament. Russia rejected the European counterproposal.\n"
    )
    first = _cli(runner, "ingest", str(note), "--pack", GAZA, "--db", both)
    assert isinstance(first, dict) and first["summary"]["added"] == 1
    assert first["summary"]["claims"] >= 1
    second = _cli(runner, "ingest", str(note), "--pack", GAZA, "--pack", UA, "--db", both)
    assert isinstance(second, dict) and second["summary"]["already_known"] == 1
    assert second["summary"]["claims"] >= 1  # only the Ukraine claims are new
    third = _cli(runner, "ingest", str(note), "--pack", GAZA, "--pack", UA, "--db", both)
    assert isinstance(third, dict) and third["summary"]["claims"] == 0
    result = runner.invoke(app, ["ingest", str(note), "--pack", "nowhere-2030", "--db", both])
    assert result.exit_code != 0 and "not loaded" in result.output


def test_api_takes_a_pack(dbs: tuple[str, str], tmp_path: Path) -> None:
    _alone, both = dbs
    with session_scope(both) as session:
        users.create(session, "viewer", "viewer", "correct horse battery", by="setup")
        token = users.issue_token(session, "viewer", by="setup")
    client = TestClient(create_app(get_settings(secret_key="test-secret"), both))
    auth = {"Authorization": f"Bearer {token}"}
    gaza = client.get("/api/v1/board?pack=gaza-2025&as_of=2026-03-01", headers=auth)
    assert gaza.status_code == 200 and gaza.json()["pack"] == GAZA
    ukraine = client.get("/api/v1/board?pack=ukraine-2025&as_of=2026-03-01", headers=auth)
    assert ukraine.json()["pack"] == UA and ukraine.json()["rows"] != gaza.json()["rows"]
    assert client.get("/api/v1/board?pack=nowhere-2030", headers=auth).status_code == 404
    agreements = client.get("/api/v1/agreements?pack=gaza-2025", headers=auth).json()
    assert [a["id"] for a in agreements] == ["gaza-peace-plan"]
    page = client.get("/board?pack=gaza-2025&as_of=2026-03-01", headers=auth)
    assert page.status_code == 200
    assert 'id="pack-selector"' in page.text and "/issues/hostages?pack=gaza-2025" in page.text
    twin = client.get("/board.json?pack=gaza-2025&as_of=2026-03-01", headers=auth).json()
    assert {p["id"] for p in twin["packs"]} == {UA, GAZA}
