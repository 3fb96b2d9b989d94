"""Write and restore backups: SQLite online backup API snapshot + blobs + a hashed manifest.

PostgreSQL databases are backed up with ``pg_dump`` (see the README); the blob store is the
same folder either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from accord.backup.archive import DB_NAME, FORMAT, MANIFEST, checked_manifest, unpack
from accord.db.base import utcnow
from accord.errors import Conflict, InvalidInput
from accord.sources.blobs import BlobStore, fsync_folder


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
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / MANIFEST, arcname=MANIFEST)
            archive.add(snapshot, arcname=DB_NAME)
            for path in blobs:
                archive.add(path, arcname=f"blobs/{path.relative_to(blob_dir).as_posix()}")
        partial.replace(output)
    return BackupSummary(str(output), database_sha256, len(blobs))


def restore(archive_path: Path, url: str, blob_dir: Path, *, force: bool = False) -> BackupSummary:
    """Restore a backup into a SQLite file (new, or replaced with ``force``) and the blob store.

    Every entry of the archive and of its manifest is checked, and every hash, before anything
    is written outside a temporary folder: an entry that is not a regular file an accord backup
    holds, appears twice, or a blob whose path is not the store's own path for its hash is
    refused with one line naming it.
    """
    target = sqlite_path(url)
    if target.exists() and not force:
        raise Conflict(f"{target} exists: restore into a new file, or pass --force to replace it")
    if not archive_path.is_file():
        raise InvalidInput(f"{archive_path}: no such backup file")
    store = BlobStore(blob_dir)
    with tempfile.TemporaryDirectory() as tmp:
        files = unpack(archive_path, Path(tmp))
        manifest = checked_manifest(archive_path, files)
        if _sha256(files[DB_NAME]) != manifest["database_sha256"]:
            raise InvalidInput(f"{archive_path}: the database copy does not match its SHA-256")
        for name in manifest["blobs"]:
            if _sha256(files[f"blobs/{store.relative_path(name)}"]) != name:
                raise InvalidInput(f"{archive_path}: blob {name} does not match its SHA-256")
        # everything checked: only now write outside the temporary folder
        for name in manifest["blobs"]:
            store.put(files[f"blobs/{store.relative_path(name)}"].read_bytes(), name)
        _install_database(files[DB_NAME], target)
    return BackupSummary(str(archive_path), manifest["database_sha256"], len(manifest["blobs"]))


def _install_database(copy: Path, target: Path) -> None:
    """Put the database copy at target atomically (copied beside it, fsynced, renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, partial)
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    fsync_folder(target.parent)
