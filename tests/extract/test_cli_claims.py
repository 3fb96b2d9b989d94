import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

NOTE = (
    "Title: Geneva round\nDate: 2025-11-24\n\n"
    "Russia rejected the European counter-proposal on Monday.\n"
    "Rubio said the talks had made tremendous progress on security guarantees.\n"
    "Zelenskiy will meet Trump in Washington next week.\n"
)


def test_ingest_stores_claims_with_extractor_version(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    result = runner.invoke(app, ["ingest", str(note), "--db", fresh_db, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["claims"] >= 2
    listed = json.loads(runner.invoke(app, ["claims", "list", "--db", fresh_db, "--json"]).stdout)
    assert listed["total"] >= 2
    claim = listed["items"][0]
    assert claim["extractor"] == "accord-rules" and claim["review_state"] == "machine"
    assert claim["extractor_version"]
    kinds = {
        (c["kind"], c["holder_id"] or ",".join(c["participants"] or [])) for c in listed["items"]
    }
    assert ("status", "us") in kinds and ("event", "ua,us") in kinds
    again = json.loads(runner.invoke(app, ["ingest", str(note), "--db", fresh_db, "--json"]).stdout)
    assert again["summary"]["claims"] == 0
    assert runner.invoke(app, ["verify", "--db", fresh_db]).exit_code == 0


def test_extract_prints_a_table_and_a_clear_message_when_empty(
    runner: CliRunner, tmp_path: Path
) -> None:
    note = tmp_path / "n.txt"
    note.write_text(NOTE)
    result = runner.invoke(app, ["extract", str(note)])
    assert result.exit_code == 0 and "claims in n.txt" in result.stdout
    empty = tmp_path / "weather.txt"
    empty.write_text("It rained all day in the capital and the river rose.")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 0 and "no claims found" in result.stderr


def test_extract_bad_input(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 2 and "file is empty" in result.stderr
    bad_pack = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), "--pack", "nowhere"])
    assert bad_pack.exit_code == 2


def test_eval_bad_gold(runner: CliRunner, tmp_path: Path) -> None:
    gold = tmp_path / "x.expected.json"
    gold.write_text('{"source": {"file": "x.txt"}, "claims": [{"kind": "rumour"}]}')
    (tmp_path / "x.txt").write_text("text")
    result = runner.invoke(app, ["eval", str(gold)])
    assert result.exit_code == 2 and "field claims.0.kind" in result.stderr
    assert runner.invoke(app, ["eval", str(tmp_path / "none")]).exit_code == 2
