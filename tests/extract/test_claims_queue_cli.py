"""The review queue: unreviewed claims, lowest confidence first, in the CLI and the web."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

NOTE = (
    "Title: Geneva round\nDate: 2025-11-24\n\n"
    "Russia rejected the European counter-proposal on Monday.\n"
    "Rubio said the talks had made tremendous progress on security guarantees.\n"
    "Zelenskiy will meet Trump in Washington next week.\n"
    "Kyiv insists on freezing the front at the current line.\n"
    "Trump said they were about 95% there on security guarantees.\n"
)


def _queue(runner: CliRunner, db: str, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["claims", "queue", "--db", db, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_queue_lists_unreviewed_claims_lowest_confidence_first(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    assert runner.invoke(app, ["ingest", str(note), "--db", fresh_db]).exit_code == 0
    every = json.loads(runner.invoke(app, ["claims", "list", "--db", fresh_db, "--json"]).stdout)
    queue = _queue(runner, fresh_db)
    confidences = [c["confidence"] for c in queue["items"]]
    assert queue["total"] == every["total"] >= 4
    assert confidences == sorted(confidences) and len(set(confidences)) > 1
    # a reviewed claim leaves the queue; the rest keep their order
    first = queue["items"][0]["id"]
    assert runner.invoke(app, ["claims", "reject", str(first), "--db", fresh_db]).exit_code == 0
    after = _queue(runner, fresh_db)
    assert after["total"] == queue["total"] - 1
    assert [c["id"] for c in after["items"]] == [c["id"] for c in queue["items"][1:]]
    # filters and paging
    statuses = _queue(runner, fresh_db, "--kind", "status")
    assert statuses["total"] >= 1 and {c["kind"] for c in statuses["items"]} == {"status"}
    assert statuses["total"] < after["total"]
    page = _queue(runner, fresh_db, "--limit", "1", "--offset", "1")
    assert [c["id"] for c in page["items"]] == [after["items"][1]["id"]]
    assert _queue(runner, fresh_db, "--source", "999")["total"] == 0
    table = runner.invoke(app, ["claims", "queue", "--db", fresh_db])
    assert table.exit_code == 0 and "lowest confidence first" in table.stdout
    bad = runner.invoke(app, ["claims", "queue", "--db", fresh_db, "--kind", "rumour"])
    assert bad.exit_code == 2 and "--kind: unknown claim kind 'rumour'" in bad.stderr
