"""`accord sources edit ID --date --title --publisher`: audited, searchable at once, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from accord.audit.models import AuditEvent
from accord.cli.main import app
from accord.db.session import session_scope
from accord.sources.models import Source

NOTE = """Kremlin rejects ceasefire plan

Kremlin spokesman Dmitry Peskov said on Tuesday that Russia opposes a ceasefire before a final \
settlement.
"""


@pytest.fixture
def db(runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path) -> str:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    note = tmp_path / "kremlin-note.txt"
    note.write_text(NOTE, encoding="utf-8")
    ingested = runner.invoke(app, ["ingest", str(note), "--db", fresh_db])
    assert ingested.exit_code == 0, ingested.output
    return fresh_db


def _source(db: str) -> tuple[str | None, str | None, str | None]:
    with session_scope(db) as session:
        row = session.get(Source, 1)
        assert row is not None
        date = row.published_at.isoformat() if row.published_at else None
        return row.title, row.publisher, date


def _events(db: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with session_scope(db) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(("source.edit", "source.set_date")))
        )
        return [(e.action, e.payload) for e in rows]


def test_edit_changes_title_publisher_and_date_with_audit(runner: CliRunner, db: str) -> None:
    result = runner.invoke(
        app,
        [
            "sources", "edit", "1", "--title", "Zanzibar  memo", "--publisher", "Mission",
            "--date", "2025-12-09", "--db", db, "--json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["source"]["title"] == "Zanzibar memo"  # spaces folded
    assert out["changes"]["title"] == {
        "from": "Kremlin rejects ceasefire plan",
        "to": "Zanzibar memo",
    }
    assert out["changes"]["published_at"]["from"] is None
    assert _source(db) == ("Zanzibar memo", "Mission", "2025-12-09")
    events = _events(db)
    assert [a for a, _ in events] == ["source.edit", "source.set_date"]
    assert events[0][1]["publisher"] == {"from": None, "to": "Mission"}
    # the search index follows the write: the new title is found, the old one is not
    old = runner.invoke(app, ["search", "kremlin", "--in", "sources", "--db", db, "--json"])
    assert all(
        h["title"] != "Kremlin rejects ceasefire plan" for h in json.loads(old.stdout)["hits"]
    )
    found = runner.invoke(app, ["search", "zanzibar", "--in", "sources", "--db", db, "--json"])
    assert found.exit_code == 0, found.output
    assert [h["id"] for h in json.loads(found.stdout)["hits"]] == [1]
    # the same values again: nothing changes, nothing is audited
    again = runner.invoke(app, ["sources", "edit", "1", "--title", "Zanzibar memo", "--db", db])
    assert again.exit_code == 0 and "nothing changed" in again.stdout
    assert len(_events(db)) == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["1"], 2, "nothing to change: give --title, --publisher or --date"),
        (["1", "--title", "  "], 2, "--title: must not be empty"),
        (["1", "--publisher", "x" * 201], 2, "--publisher: 201 characters, at most 200"),
        (["1", "--title", "New", "--date", "2999-01-01"], 2, "in the future"),
        (["1", "--title", "New", "--date", "2025-02-30"], 2, "--date"),
        (["7", "--title", "New"], 3, "source 7 does not exist"),
    ],
)
def test_bad_edit_is_one_line_and_writes_nothing(
    runner: CliRunner, db: str, args: list[str], code: int, message: str
) -> None:
    before = _source(db)
    result = runner.invoke(app, ["sources", "edit", *args, "--db", db])
    assert result.exit_code == code, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _source(db) == before and _events(db) == []
