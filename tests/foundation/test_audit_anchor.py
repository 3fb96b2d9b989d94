"""Anchors: a chain whose tail was cut, or rewritten, fails against a signed checkpoint.

Reproduces the review's finding: with 41 audit rows, deleting the last 40 still verified "OK".
Events here come from real incident filings committed to a real database file; the anchor is
made and checked through the CLI.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db import migrate
from accord.db.session import dispose_engines, session_scope
from accord.incidents import service as incidents
from accord.incidents.rows import from_accord

KEY = "a test secret key, long enough to mean it"


def _file_events(url: str, n: int, start: int = 0) -> None:
    with session_scope(url) as session:
        for i in range(start, start + n):
            data = {
                "occurred_at": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
                "latitude": 47.5 + i / 100,
                "longitude": 37.5,
                "type": "explosion",
            }
            incidents.create(session, from_accord(data), by="monitor")


def _rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, hash FROM audit_events ORDER BY id").fetchall()


def _cut_tail(path: Path, keep: int) -> None:
    dispose_engines()
    ids = [row[0] for row in _rows(path)]
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM audit_events WHERE id > ?", (ids[keep - 1],))


@pytest.fixture
def chain(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """A database file with 41 audit events, and ACCORD_SECRET_KEY set."""
    monkeypatch.setenv("ACCORD_SECRET_KEY", KEY)
    path = tmp_path / "chain.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    _file_events(url, 41)
    assert len(_rows(path)) == 41
    return url, path


def _anchor(runner: CliRunner, url: str, out: Path) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["audit", "anchor", "-o", str(out), "--db", url])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_a_cut_tail_fails_against_the_anchor(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path
) -> None:
    url, path = chain
    anchor = _anchor(runner, url, tmp_path / "anchor.json")
    assert anchor["events"] == 41 and anchor["head_hash"] == _rows(path)[-1][1]
    _cut_tail(path, keep=1)
    # without the anchor the chain is still consistent, but the output shows what is left
    plain = runner.invoke(app, ["verify", "--db", url])
    assert plain.exit_code == 0, plain.output
    assert "1 audit events" in plain.stdout and _rows(path)[0][1] in plain.stdout
    as_json = json.loads(runner.invoke(app, ["verify", "--db", url, "--json"]).stdout)
    assert as_json["events"] == 1 and as_json["head_hash"] == _rows(path)[0][1]
    checked = runner.invoke(app, ["verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url])
    assert checked.exit_code == 6, checked.output
    lines = checked.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "has 1 events but the anchor" in lines[0] and "has 41" in lines[0]


def test_a_rewritten_tail_of_the_same_length_fails(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path
) -> None:
    """Cut 40 events and append 40 others: the length matches, event 41's hash does not."""
    url, path = chain
    anchor = _anchor(runner, url, tmp_path / "anchor.json")
    _cut_tail(path, keep=1)
    _file_events(url, 45, start=100)
    checked = runner.invoke(app, ["verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url])
    assert checked.exit_code == 6
    assert f"audit event number 41 has hash {_rows(path)[40][1]}" in checked.stderr
    assert anchor["head_hash"] in checked.stderr and "rewritten" in checked.stderr


def test_a_chain_that_grew_extends_its_anchor(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path
) -> None:
    url, _path = chain
    _anchor(runner, url, tmp_path / "anchor.json")
    _file_events(url, 3, start=50)
    checked = runner.invoke(
        app, ["verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url, "--json"]
    )
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["ok"] and report["events"] == 44 and report["anchor"]["events"] == 41
    text = runner.invoke(app, ["verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url])
    assert "extends the anchor" in text.stdout and "(41 events)" in text.stdout


@pytest.mark.parametrize(
    "edit",
    [
        {"events": 1},  # lowered to hide a cut tail
        {"head_hash": "0" * 64},
        {"created_at": "2020-01-01T00:00:00+00:00"},
        {"hmac_sha256": "0" * 64},
    ],
)
def test_an_edited_anchor_is_refused(
    edit: dict,
    runner: CliRunner,
    chain: tuple[str, Path],
    tmp_path: Path,  # type: ignore[type-arg]
) -> None:
    url, path = chain
    anchor = _anchor(runner, url, tmp_path / "anchor.json")
    _cut_tail(path, keep=1)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**anchor, **edit}))
    checked = runner.invoke(app, ["verify", "--anchor", str(edited), "--db", url])
    assert checked.exit_code == 6, checked.output
    assert "signature does not match" in checked.stderr
    assert len(checked.stderr.strip().splitlines()) == 1


def test_an_anchor_signed_with_another_key_or_without_one(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _path = chain
    _anchor(runner, url, tmp_path / "anchor.json")
    monkeypatch.setenv("ACCORD_SECRET_KEY", "another key")
    other = runner.invoke(app, ["verify", "--anchor", str(tmp_path / "anchor.json"), "--db", url])
    assert other.exit_code == 6 and "another ACCORD_SECRET_KEY" in other.stderr
    monkeypatch.delenv("ACCORD_SECRET_KEY")
    unsigned = runner.invoke(app, ["audit", "anchor", "--db", url])
    assert unsigned.exit_code == 2 and "ACCORD_SECRET_KEY" in unsigned.stderr
    junk = tmp_path / "junk.json"
    junk.write_text("not json")
    monkeypatch.setenv("ACCORD_SECRET_KEY", KEY)
    refused = runner.invoke(app, ["verify", "--anchor", str(junk), "--db", url])
    assert refused.exit_code == 2 and "junk.json" in refused.stderr


def test_anchor_prints_without_output_and_keeps_an_existing_file(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path
) -> None:
    url, path = chain
    printed = runner.invoke(app, ["audit", "anchor", "--db", url])
    assert printed.exit_code == 0, printed.output
    anchor = json.loads(printed.stdout)
    assert anchor["events"] == 41 and anchor["head_hash"] == _rows(path)[-1][1]
    kept = tmp_path / "kept.json"
    kept.write_text("earlier anchor")
    again = runner.invoke(app, ["audit", "anchor", "-o", str(kept), "--db", url])
    assert again.exit_code == 4 and kept.read_text() == "earlier anchor"


def test_a_broken_chain_is_not_anchored(
    runner: CliRunner, chain: tuple[str, Path], tmp_path: Path
) -> None:
    url, path = chain
    dispose_engines()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE audit_events SET user = 'mallory' WHERE id = 5")
    result = runner.invoke(app, ["audit", "anchor", "-o", str(tmp_path / "a.json"), "--db", url])
    assert result.exit_code == 6 and "audit event 5" in result.stderr
    assert not (tmp_path / "a.json").exists()
