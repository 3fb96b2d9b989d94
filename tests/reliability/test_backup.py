"""Backups: snapshot + blobs + manifest; restore checks every hash; verify is OK afterwards."""

import json
import tarfile
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_backup_and_restore(runner: CliRunner, home: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'live.db'}"
    run(runner, "init", "--db", db)
    note = tmp_path / "note.txt"
    note.write_text("Kyiv rejected the plan; Moscow insisted on Donbas.")
    run(runner, "ingest", str(note), "--db", db)
    archive = tmp_path / "backup.tar.gz"
    made = json.loads(run(runner, "backup", "-o", str(archive), "--db", db, "--json"))
    assert made["blobs"] == 1
    again = runner.invoke(app, ["backup", "-o", str(archive), "--db", db])
    assert again.exit_code == 4 and "exists" in again.stderr
    monkeypatch.setenv("ACCORD_HOME", str(tmp_path / "elsewhere"))
    restored_db = f"sqlite:///{tmp_path / 'restored.db'}"
    out = json.loads(run(runner, "restore", str(archive), "--db", restored_db, "--json"))
    assert out["verify_ok"] is True
    listed = json.loads(run(runner, "sources", "list", "--db", restored_db, "--json"))
    assert listed["total"] == 1
    clash = runner.invoke(app, ["restore", str(archive), "--db", restored_db])
    assert clash.exit_code == 4 and "--force" in clash.stderr


def test_restore_refuses_a_tampered_archive(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'live.db'}"
    run(runner, "init", "--db", db)
    note = tmp_path / "note.txt"
    note.write_text("Brussels backed Kyiv.")
    run(runner, "ingest", str(note), "--db", db)
    archive = tmp_path / "b.tar.gz"
    run(runner, "backup", "-o", str(archive), "--db", db)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    blob = next((unpacked / "blobs").rglob("*"), None)
    while blob is not None and blob.is_dir():
        blob = next(blob.iterdir())
    assert blob is not None
    blob.write_bytes(b"forged")
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for item in unpacked.iterdir():
            tar.add(item, arcname=item.name)
    result = runner.invoke(app, ["restore", str(forged), "--db", f"sqlite:///{tmp_path / 'r.db'}"])
    assert result.exit_code == 2 and "does not match its SHA-256" in result.stderr
    assert not (tmp_path / "r.db").exists()
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    assert (
        runner.invoke(
            app, ["restore", str(junk), "--db", f"sqlite:///{tmp_path / 'j.db'}"]
        ).exit_code
        == 2
    )
    pg = runner.invoke(
        app, ["backup", "-o", str(tmp_path / "pg.tgz"), "--db", "postgresql://u@localhost/db"]
    )
    assert pg.exit_code == 2 and "pg_dump" in pg.stderr
