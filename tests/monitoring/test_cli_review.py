"""Dedup, review, rulings and the daily report end to end through the CLI."""

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_review_story(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    run(runner, "init", "--db", fresh_db)
    ids = []
    for lat, when in (
        (48.000, "2026-02-04T08:00"),
        (48.001, "2026-02-04T08:20"),
        (49.0, "2026-02-04T09:00"),
    ):
        out = json.loads(
            run(
                runner,
                "incidents",
                "add",
                "--type",
                "explosion",
                "--lat",
                str(lat),
                "--lon",
                "37.5",
                "--when",
                when,
                "--perpetrator",
                "ru",
                "--db",
                fresh_db,
                "--json",
            )
        )
        ids.append(out["id"])
    dedup = json.loads(run(runner, "incidents", "dedup", "--db", fresh_db, "--json"))
    assert (dedup["clusters"], dedup["duplicates"]) == (1, 1)
    clusters = json.loads(run(runner, "incidents", "clusters", "--db", fresh_db, "--json"))
    assert clusters["items"][0]["members"] == ids[:2]
    first = str(ids[0])
    bad = runner.invoke(
        app, ["incidents", "transition", first, "--to", "verified", "--db", fresh_db]
    )
    assert bad.exit_code == 4 and "cannot go from reported to verified" in bad.stderr
    monkeypatch.setenv("ACCORD_USER", "alice")
    run(runner, "incidents", "transition", first, "--to", "under_review", "--db", fresh_db)
    monkeypatch.setenv("ACCORD_USER", "bob")
    locked = runner.invoke(
        app, ["incidents", "transition", first, "--to", "verified", "--db", fresh_db]
    )
    assert locked.exit_code == 4 and "locked by alice" in locked.stderr
    early = runner.invoke(
        app,
        [
            "council",
            "rule",
            first,
            "--outcome",
            "violation",
            "--party",
            "ru",
            "--vote",
            "chair-us=yes",
            "--published",
            "2026-02-04",
            "--db",
            fresh_db,
        ],
    )
    assert early.exit_code == 4 and "only on verified" in early.stderr
    monkeypatch.setenv("ACCORD_USER", "alice")
    done = json.loads(
        run(
            runner,
            "incidents",
            "transition",
            first,
            "--to",
            "verified",
            "--attribute",
            "ru",
            "--confidence",
            "0.9",
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert done["status"] == "verified" and done["attributed_to"] == "ru"
    run(
        runner,
        "council",
        "rule",
        first,
        "--outcome",
        "violation",
        "--party",
        "ru",
        "--vote",
        "chair-us=yes",
        "--vote",
        "member-ru=no",
        "--published",
        "2026-02-04",
        "--db",
        fresh_db,
    )
    rulings = json.loads(run(runner, "council", "rulings", "--db", fresh_db, "--json"))
    assert rulings["total"] == 1 and rulings["items"][0]["votes"]["member-ru"] == "no"
    output = tmp_path / "daily.html"
    written = json.loads(
        run(
            runner,
            "report",
            "daily",
            "--date",
            "2026-02-04",
            "-o",
            str(output),
            "--pdf",
            "--db",
            fresh_db,
            "--json",
        )
    )
    assert {w["media_type"] for w in written} == {"text/html", "application/pdf"}
    html = output.read_text()
    assert "Ceasefire monitoring — daily report" in html and "violation" in html
    empty = runner.invoke(
        app,
        [
            "report",
            "daily",
            "--date",
            "2026-05-01",
            "-o",
            str(tmp_path / "x.html"),
            "--db",
            fresh_db,
        ],
    )
    assert empty.exit_code == 2 and "no incidents or rulings" in empty.stderr
    assert not (tmp_path / "x.html").exists()
    assert "OK" in run(runner, "verify", "--db", fresh_db)
