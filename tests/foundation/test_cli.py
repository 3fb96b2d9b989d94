import json
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.session import get_engine


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + str(result.exception)
    return result.stdout


def _docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Title: A\nDate: 2025-12-01\n\nKyiv rejected the plan.")
    (folder / "sub" / "b.md").write_text("# B\n\nMoscow demanded withdrawal.")
    (folder / "c.json").write_text(json.dumps({"text": "Brussels backed Kyiv.", "title": "C"}))
    return folder


def test_ingest_twice_adds_nothing_and_verify_is_ok(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    _ok(runner, "init", "--db", fresh_db)
    docs = _docs(tmp_path)
    first = json.loads(_ok(runner, "ingest", str(docs), "--db", fresh_db, "--json"))
    assert first["summary"]["added"] == 3 and first["summary"]["failed"] == 0
    assert first["summary"]["claims"] >= 2
    second = json.loads(_ok(runner, "ingest", str(docs), "--db", fresh_db, "--json"))
    assert second["summary"] == {
        "added": 0,
        "already_known": 3,
        "failed": 0,
        "claims": 0,
        "undated": 2,
    }  # the two undated documents are flagged again: they are still undated
    listing = json.loads(_ok(runner, "sources", "list", "--db", fresh_db, "--json"))
    assert listing["total"] == 3
    shown = json.loads(
        _ok(runner, "sources", "show", str(listing["items"][0]["id"]), "--db", fresh_db, "--json")
    )
    assert shown["text"]
    clean = runner.invoke(app, ["verify", "--db", fresh_db])
    assert clean.exit_code == 0 and "OK:" in clean.stdout and clean.stderr == ""
    checked = json.loads(_ok(runner, "verify", "--sweep", "--db", fresh_db, "--json"))
    assert checked["ok"] and (checked["leftover_files"], checked["swept"]) == (0, 0)
    table = _ok(runner, "ingest", str(docs), "--db", fresh_db)
    assert "already known" in table


def test_a_failed_file_does_not_stop_the_others(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    _ok(runner, "db", "upgrade", "--db", fresh_db)
    docs = _docs(tmp_path)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["ingest", str(docs), "--db", fresh_db, "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "added": 3,
        "already_known": 0,
        "failed": 2,
        "claims": 0,
        "undated": 2,
    }
    errors = sorted(f["error"] for f in data["files"] if f["status"] == "failed")
    assert errors[0].endswith("bin.txt: looks like a binary file, not text")
    assert errors[1].endswith("empty.txt: file is empty")
    with get_engine(fresh_db).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sources")).scalar() == 3


def test_size_limit_is_configurable(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ACCORD_MAX_FILE_BYTES", "10")
    _ok(runner, "db", "upgrade", "--db", fresh_db)
    f = tmp_path / "long.txt"
    f.write_text("Kyiv said many things today.")
    result = runner.invoke(app, ["ingest", str(f), "--db", fresh_db])
    assert result.exit_code == 2
    assert "over the limit of 10 bytes" in result.stderr


def test_unreachable_database_is_one_line(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["sources", "list", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach database")
    assert "Traceback" not in result.output


def test_root_db_option_and_debug_traceback(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["--db", "postgresql://nobody@127.0.0.1:1/none", "db", "current"])
    assert result.exit_code == 5
    result = runner.invoke(
        app, ["--debug", "sources", "show", "1", "--db", "postgresql://nobody@127.0.0.1:1/x"]
    )
    assert result.exit_code != 0 and result.exception is not None
    assert type(result.exception).__name__ == "DatabaseUnavailable"


def test_default_database_lives_in_accord_home(runner: CliRunner, home: Path) -> None:
    _ok(runner, "db", "upgrade")
    assert (home / "accord.db").exists()
    current = json.loads(_ok(runner, "db", "current", "--json"))
    assert current["up_to_date"] is True


def test_pack_load_and_show(runner: CliRunner, home: Path, fresh_db: str) -> None:
    _ok(runner, "db", "upgrade", "--db", fresh_db)
    assert "loaded" in _ok(runner, "pack", "load", "ukraine-2025", "--db", fresh_db)
    assert "unchanged" in _ok(runner, "pack", "load", "ukraine-2025", "--db", fresh_db)
    data = json.loads(_ok(runner, "pack", "show", "--db", fresh_db, "--json"))
    assert data["packs"][0]["id"] == "ukraine-2025"
    assert len(data["actors"]) >= 40 and len(data["issues"]) >= 13
    bad = runner.invoke(app, ["pack", "load", "/nonexistent/pack", "--db", fresh_db])
    assert bad.exit_code == 2 and "no such pack folder" in bad.stderr


def test_verify_fails_after_tampering(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    _ok(runner, "init", "--db", fresh_db)
    _ok(runner, "ingest", str(_docs(tmp_path)), "--db", fresh_db)
    with get_engine(fresh_db).begin() as conn:
        conn.execute(text("UPDATE audit_events SET action = 'forged' WHERE id = 2"))
    result = runner.invoke(app, ["verify", "--db", fresh_db])
    assert result.exit_code == 6
    assert "audit event 2: event hash does not match its fields" in result.stderr


def test_demo_builds_a_fresh_database(runner: CliRunner, home: Path) -> None:
    out = json.loads(_ok(runner, "demo", "--json"))
    assert out["counts"]["sources"] >= 5
    assert out["counts"]["actors"] >= 40 and out["counts"]["issues"] >= 13
    again = json.loads(_ok(runner, "demo", "--json"))
    assert again["sources_added"] == out["sources_added"]  # fresh each time
    assert (home / "demo" / "accord.db").exists()
    assert (home / "demo" / "daily-2026-02-14.pdf").read_bytes().startswith(b"%PDF")
    assert (
        out["monitoring"]["dedup"]["clusters"] > 0
        and out["monitoring"]["workflow"]["verified"] == 3
    )
    text_out = _ok(runner, "demo")
    assert "sources" in text_out and "actors" in text_out


def test_every_command_has_help(runner: CliRunner) -> None:
    for args in (
        ["--help"],
        ["ingest", "--help"],
        ["sources", "list", "--help"],
        ["pack", "show", "--help"],
        ["verify", "--help"],
        ["db", "upgrade", "--help"],
        ["demo", "--help"],
        ["init", "--help"],
    ):
        assert runner.invoke(app, args).exit_code == 0


def test_text_that_looks_like_console_markup_prints_as_written(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    """Titles and quotes are untrusted: "[/bold]" or "[red]" in them is shown, not obeyed."""
    _ok(runner, "init", "--db", fresh_db)
    note = tmp_path / "note.md"
    title = "[/bold] Talks [red]resume[/red]"
    note.write_text(f"Title: {title}\nDate: 2025-12-01\n\nKyiv rejected the plan [/i] again.\n")
    _ok(runner, "ingest", str(note), "--db", fresh_db)
    listing = _ok(runner, "sources", "list", "--db", fresh_db)
    assert "[/bold]" in listing and "[red]resume[/red]" in listing
    assert title in _ok(runner, "sources", "show", "1", "--db", fresh_db)
    assert "[/i]" in _ok(runner, "claims", "list", "--db", fresh_db)
