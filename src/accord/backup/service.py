"""Write and restore backups: SQLite online backup API snapshot + blobs + a hashed manifest.

PostgreSQL databases are backed up with ``pg_dump`` (see the README); the blob store is the
same folder either way.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from accord.db.base import utcnow
from accord.errors import Conflict, InvalidInput

FORMAT = "accord-backup/1"
DB_NAME = "accord.db"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore covered."""

    archive: str
    database_sha256: str
    blobs: int


def sqlite_path(url: str) -> Path:
    """Return the file of a SQLite URL, refusing other databases with the way to back them up."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise InvalidInput(
            f"{parsed.get_backend_name()} databases are backed up with their own tools: use "
            "`pg_dump --format=custom` for PostgreSQL and copy ACCORD_HOME/blobs (see the README)"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput("an in-memory database cannot be backed up")
    return Path(parsed.database).expanduser()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _blob_files(blob_dir: Path) -> list[Path]:
    if not blob_dir.exists():
        return []
    return sorted(p for p in blob_dir.rglob("*") if p.is_file() and not p.name.startswith("."))


def backup(url: str, blob_dir: Path, output: Path) -> BackupSummary:
    """Snapshot the database with SQLite's online backup API and archive it with the blobs."""
    source = sqlite_path(url)
    if not source.exists():
        raise InvalidInput(f"{source}: no such database file")
    if output.exists():
        raise Conflict(f"-o {output}: the file exists; choose a new name")
    if not output.parent.exists():
        raise InvalidInput(f"-o {output}: folder {output.parent} does not exist")
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / DB_NAME
        with sqlite3.connect(source) as live, sqlite3.connect(snapshot) as copy:
            live.backup(copy)  # consistent even while others write
        blobs = _blob_files(blob_dir)
        database_sha256 = _sha256(snapshot)
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "database_sha256": database_sha256,
            "blobs": {p.name: p.relative_to(blob_dir).as_posix() for p in blobs},
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            archive.add(snapshot, arcname=DB_NAME)
            for path in blobs:
                archive.add(path, arcname=f"blobs/{path.relative_to(blob_dir).as_posix()}")
        partial.replace(output)
    return BackupSummary(str(output), database_sha256, len(blobs))


def restore(archive_path: Path, url: str, blob_dir: Path, *, force: bool = False) -> BackupSummary:
    """Restore a backup into a SQLite file (new, or replaced with ``force``) and the blob store."""
    target = sqlite_path(url)
    if target.exists() and not force:
        raise Conflict(f"{target} exists: restore into a new file, or pass --force to replace it")
    if not archive_path.is_file():
        raise InvalidInput(f"{archive_path}: no such backup file")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise InvalidInput(f"{archive_path}: not an accord backup ({exc})") from exc
        folder = Path(tmp)
        try:
            manifest = json.loads((folder / "manifest.json").read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{archive_path}: the manifest is missing or unreadable") from exc
        if manifest.get("format") != FORMAT:
            raise InvalidInput(f"{archive_path}: unknown backup format {manifest.get('format')!r}")
        if _sha256(folder / DB_NAME) != manifest["database_sha256"]:
            raise InvalidInput(f"{archive_path}: the database copy does not match its SHA-256")
        for name, relative in manifest["blobs"].items():
            blob = folder / "blobs" / relative
            if not blob.is_file() or _sha256(blob) != name:
                raise InvalidInput(
                    f"{archive_path}: blob {name} is missing or does not match its SHA-256"
                )
        for relative in manifest["blobs"].values():
            destination = blob_dir / relative
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                (folder / "blobs" / relative).replace(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        (folder / DB_NAME).replace(target)
    return BackupSummary(str(archive_path), manifest["database_sha256"], len(manifest["blobs"]))
