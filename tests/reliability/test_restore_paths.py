"""Crafted backups: restore refuses every entry or manifest path that is not the store's own.

Each archive here is a real backup (made by `accord backup`) with one thing changed. Restore must
refuse it with one line naming the entry, and write nothing: no database, no blob folder, no file
outside the blob store.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

ESCAPED = b"written where it should not be\n"
ESCAPED_SHA = hashlib.sha256(ESCAPED).hexdigest()


@dataclass
class Backup:
    """The entries of a real backup, to be repacked with changes."""

    manifest: dict  # type: ignore[type-arg]
    database: bytes
    blobs: dict[str, bytes] = field(default_factory=dict)  # entry name -> bytes


@pytest.fixture(scope="module")
def real_backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backup]:
    """Make one real backup with one ingested document and read its entries."""
    folder = tmp_path_factory.mktemp("real-backup")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_HOME", str(folder / "home"))
        patch.delenv("ACCORD_DB", raising=False)
        runner = CliRunner()
        db = f"sqlite:///{folder / 'live.db'}"
        note = folder / "note.txt"
        note.write_text("Kyiv rejected the plan; Moscow insisted on Donbas.")
        archive = folder / "b.tar.gz"
        for args in (["init"], ["ingest", str(note)], ["backup", "-o", str(archive)]):
            result = runner.invoke(app, [*args, "--db", db])
            assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        data = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    backup = Backup(json.loads(data.pop("manifest.json")), data.pop("accord.db"))
    backup.blobs = data
    assert len(backup.blobs) == 1
    yield backup


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link(name: str, target: str, kind: bytes) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def _pack(path: Path, entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _entries(backup: Backup, manifest: dict | None = None) -> list:  # type: ignore[type-arg]
    return [
        _file("manifest.json", json.dumps(manifest or backup.manifest).encode()),
        _file("accord.db", backup.database),
        *(_file(name, data) for name, data in backup.blobs.items()),
    ]


def _with_blob(backup: Backup, name: str, relative: str) -> dict:  # type: ignore[type-arg]
    return {**backup.manifest, "blobs": {**backup.manifest["blobs"], name: relative}}


def _db_sha(backup: Backup) -> str:
    return hashlib.sha256(backup.database).hexdigest()


def _db_blob(backup: Backup) -> str:
    sha = _db_sha(backup)
    return f"{sha[:2]}/{sha[2:4]}/{sha}"


Entry = tuple[tarfile.TarInfo, bytes | None]
CASES: dict[str, Callable[[Backup], tuple[list[Entry], str]]] = {
    # the reported hole: a manifest path that climbs out of the blob folder
    "dotdot-in-manifest": lambda b: (
        [*_entries(b, _with_blob(b, ESCAPED_SHA, "../escaped.txt")), _file("escaped.txt", ESCAPED)],
        "escaped.txt",
    ),
    "dotdot-in-entry": lambda b: (
        [
            *_entries(b, _with_blob(b, ESCAPED_SHA, "../escaped.txt")),
            _file("blobs/../escaped.txt", ESCAPED),
        ],
        "blobs/../escaped.txt",
    ),
    "absolute-entry": lambda b: (
        [*_entries(b), _file("/accord-restore-absolute.txt", ESCAPED)],
        "/accord-restore-absolute.txt",
    ),
    "absolute-in-manifest": lambda b: (
        [
            *_entries(b, _with_blob(b, ESCAPED_SHA, "/accord-restore-absolute.txt")),
            _file(f"blobs/{ESCAPED_SHA[:2]}/{ESCAPED_SHA[2:4]}/{ESCAPED_SHA}", ESCAPED),
        ],
        ESCAPED_SHA,
    ),
    # a path that resolves to the right place but is not spelled as the store's own path
    "not-the-stores-path": lambda b: (
        [
            *_entries(
                b,
                {
                    **b.manifest,
                    "blobs": {
                        name: f"{rel[:2]}/../{rel}" for name, rel in b.manifest["blobs"].items()
                    },
                },
            )
        ],
        next(iter(b.manifest["blobs"])),
    ),
    "symlink-member": lambda b: (
        [
            *_entries(b, _with_blob(b, _db_sha(b), _db_blob(b))),
            _link(f"blobs/{_db_blob(b)}", "../../../accord.db", tarfile.SYMTYPE),
        ],
        f"blobs/{_db_blob(b)}",
    ),
    "hardlink-member": lambda b: (
        [
            *_entries(b, _with_blob(b, _db_sha(b), _db_blob(b))),
            _link(f"blobs/{_db_blob(b)}", "accord.db", tarfile.LNKTYPE),
        ],
        f"blobs/{_db_blob(b)}",
    ),
    "duplicate-entry": lambda b: (
        [*_entries(b), *(_file(name, data) for name, data in b.blobs.items())],
        next(iter(b.blobs)),
    ),
    "duplicate-manifest": lambda b: (
        [*_entries(b), _file("manifest.json", json.dumps(b.manifest).encode())],
        "manifest.json",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_restore_refuses_a_crafted_archive_before_writing_anything(
    case: str,
    real_backup: Backup,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ACCORD_HOME", str(home))
    monkeypatch.delenv("ACCORD_DB", raising=False)
    entries, named = CASES[case](real_backup)
    archive = _pack(tmp_path / f"{case}.tar.gz", entries)
    target = home / "restored.db"
    result = runner.invoke(app, ["restore", str(archive), "--db", f"sqlite:///{target}"])
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], result.stderr
    assert sorted(p.name for p in home.rglob("*")) == [], "restore wrote before refusing"
    assert not Path("/accord-restore-absolute.txt").exists()


def test_the_untouched_real_backup_restores(
    real_backup: Backup, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crafted cases differ from a good archive only in what they change."""
    home = tmp_path / "home"
    monkeypatch.setenv("ACCORD_HOME", str(home))
    archive = _pack(tmp_path / "good.tar.gz", _entries(real_backup))
    result = runner.invoke(
        app, ["restore", str(archive), "--db", f"sqlite:///{home / 'r.db'}", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["verify_ok"] is True
    (name,) = real_backup.manifest["blobs"]
    blob = home / "blobs" / name[:2] / name[2:4] / name
    assert blob.read_bytes() == next(iter(real_backup.blobs.values()))
