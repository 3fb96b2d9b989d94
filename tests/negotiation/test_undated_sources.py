"""An undated source: flagged at ingest, kept out of as-of views, counted once dated."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.session import get_engine

NOTE = """Kremlin rejects ceasefire plan

Kremlin spokesman Dmitry Peskov said on Tuesday that Russia opposes a ceasefire before a final \
settlement.

Zelensky and Trump met in Florida on Sunday to discuss security guarantees.
"""


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(run(runner, *args, "--json"))  # type: ignore[no-any-return]


@pytest.fixture
def db(runner: CliRunner, home: Path, fresh_db: str) -> str:
    run(runner, "init", "--db", fresh_db)
    return fresh_db


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "kremlin-note.txt"  # no date in the name or the text's front matter
    path.write_text(NOTE, encoding="utf-8")
    return path


def ru_ceasefire(runner: CliRunner, db: str, as_of: str) -> dict | None:  # type: ignore[type-arg]
    board = as_json(runner, "board", "--as-of", as_of, "--db", db)
    row = next(r for r in board["rows"] if r["issue"] == "ceasefire")
    return row["cells"]["ru"]  # type: ignore[no-any-return]


def test_ingest_warns_about_a_missing_date(runner: CliRunner, db: str, note: Path) -> None:
    result = runner.invoke(app, ["ingest", str(note), "--db", db])
    assert result.exit_code == 0, result.output
    assert "no publication date" in result.output and "sources set-date 1" in result.output
    listed = as_json(runner, "sources", "list", "--undated", "--db", db)
    assert listed["total"] == 1 and listed["items"][0]["date_missing"] is True
    assert "undated" in run(runner, "sources", "list", "--db", db)
    shown = runner.invoke(app, ["sources", "show", "1", "--db", db])
    assert "no publication date" in shown.output


def test_ingest_json_flags_the_source(runner: CliRunner, db: str, note: Path) -> None:
    data = as_json(runner, "ingest", str(note), "--db", db)
    outcome = data["files"][0]
    assert outcome["date_missing"] is True and "no publication date" in outcome["warning"]
    assert data["summary"]["undated"] == 1
    dated = as_json(runner, "ingest", str(note), "--date", "2025-12-10", "--db", db)
    assert dated["files"][0]["status"] == "known"  # same bytes: the stored source is undated


def test_undated_source_is_out_of_as_of_views_until_dated(
    runner: CliRunner, db: str, note: Path
) -> None:
    run(runner, "ingest", str(note), "--db", db)
    run(runner, "ingest", str(note.parent), "--date", "2025-11-01", "--db", db)  # no-op
    claims = as_json(runner, "claims", "list", "--db", db)["items"]
    assert claims and all(c["date"] is None for c in claims)  # nothing to resolve against
    for as_of in ("2025-01-01", "2025-12-31", "2030-01-01"):
        assert ru_ceasefire(runner, db, as_of) is None
    board = as_json(runner, "board", "--as-of", "2025-12-31", "--db", db)
    assert board["undated_sources"] == 1
    assert "1 undated source(s) left out" in run(runner, "board", "--db", db)
    assert as_json(runner, "issue", "ceasefire", "--db", db)["entries"] == []
    assert as_json(runner, "events", "--as-of", "2025-12-31", "--db", db)["events"] == []

    dated = as_json(runner, "sources", "set-date", "1", "2025-12-10", "--db", db)
    assert dated["previous"] is None and dated["source"]["date_missing"] is False
    assert len(dated["claims_redated"]) == 2

    cell = ru_ceasefire(runner, db, "2025-12-31")
    assert cell is not None and (cell["stance"], cell["date"]) == ("oppose", "2025-12-09")
    early = runner.invoke(app, ["board", "--as-of", "2025-12-09", "--db", db])
    assert early.exit_code == 2 and "before the first source (2025-12-10)" in early.output
    board = as_json(runner, "board", "--as-of", "2025-12-31", "--db", db)
    assert board["undated_sources"] == 0
    entries = as_json(runner, "issue", "ceasefire", "--db", db)["entries"]
    assert [(e["holder"], e["date"]) for e in entries] == [("ru", "2025-12-09")]
    events = as_json(runner, "events", "--as-of", "2025-12-31", "--db", db)["events"]
    assert [(e["participants"], e["date"]) for e in events] == [(["ua", "us"], "2025-12-07")]

    with get_engine(db).connect() as conn:
        audit = conn.execute(
            text("SELECT payload FROM audit_events WHERE action = 'source.set_date'")
        ).all()
    assert len(audit) == 1
    payload = audit[0][0] if isinstance(audit[0][0], dict) else json.loads(audit[0][0])
    assert (payload["from"], payload["to"]) == (None, "2025-12-10")


def test_set_date_refuses_bad_dates(runner: CliRunner, db: str, note: Path) -> None:
    run(runner, "ingest", str(note), "--db", db)
    assert runner.invoke(app, ["sources", "set-date", "1", "2999-01-01", "--db", db]).exit_code
    assert runner.invoke(app, ["sources", "set-date", "1", "soon-ish", "--db", db]).exit_code
    assert runner.invoke(app, ["sources", "set-date", "9", "2025-12-10", "--db", db]).exit_code
    assert as_json(runner, "sources", "list", "--undated", "--db", db)["total"] == 1
