"""What changed on the board between two dates, through the CLI and over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

EARLY = "Title: Geneva\nDate: 2025-11-24\n\nRussia rejected the European counter-proposal.\n"
LATE = "Title: Moscow\nDate: 2025-12-15\n\nRussia accepted the European counter-proposal.\n"


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + str(result.exception)
    return result.stdout


def test_board_diff_names_each_change_and_its_claims(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    _ok(runner, "init", "--db", fresh_db)
    for name, body in (("early.md", EARLY), ("late.md", LATE)):
        (tmp_path / name).write_text(body)
        _ok(runner, "ingest", str(tmp_path / name), "--db", fresh_db)
    claims = json.loads(_ok(runner, "claims", "list", "--db", fresh_db, "--json"))["items"]
    early = next(c for c in claims if c["source_id"] == 1 and c["holder_id"] == "ru")
    late = next(c for c in claims if c["source_id"] == 2 and c["holder_id"] == "ru")
    out = json.loads(
        _ok(runner, "board", "diff", "--from", "2025-11-30", "--to", "2025-12-31",
            "--db", fresh_db, "--json")
    )  # fmt: skip
    ru = [c for c in out["changes"] if c["party"] == "ru" and c["what"] == "stance"]
    assert len(ru) == 1
    assert ru[0]["before"]["claim_id"] == early["id"] and ru[0]["before"]["value"] == "oppose"
    assert ru[0]["after"]["claim_id"] == late["id"] and ru[0]["after"]["value"] == "support"
    same = json.loads(
        _ok(runner, "board", "diff", "--from", "2025-12-20", "--to", "2025-12-31",
            "--db", fresh_db, "--json")
    )  # fmt: skip
    assert same["changes"] == []
    table = _ok(runner, "board", "diff", "--from", "2025-11-30", "--to", "2025-12-31",
                "--db", fresh_db)  # fmt: skip
    assert f"oppose (#{early['id']})" in table and f"support (#{late['id']})" in table
    assert "negotiation board as of" in _ok(runner, "board", "--db", fresh_db)
    bad = runner.invoke(
        app, ["board", "diff", "--from", "2025-12-31", "--to", "2025-11-30", "--db", fresh_db]
    )
    assert bad.exit_code == 2 and "before --from" in bad.stderr
