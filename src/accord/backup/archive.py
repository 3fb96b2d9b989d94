"""Read a backup archive without trusting it: every entry and manifest path is checked first.

A backup holds exactly ``manifest.json``, ``accord.db`` and ``blobs/ab/cd/<sha256>`` regular
files (plus, when repacked by hand, the ``blobs`` folders). Anything else — an absolute or
``..`` path, a symbolic or hard link, a device, an entry that appears twice, a manifest path that
is not the blob store's own path for its hash — is refused with one line naming the entry.
Entries are copied into a temporary folder under names chosen here, never under their own.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

from accord.errors import InvalidInput
from accord.sources.blobs import BlobStore

FORMAT = "accord-backup/1"
DB_NAME = "accord.db"
MANIFEST = "manifest.json"
_BLOB_ENTRY = re.compile(r"blobs/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
_FOLDER_ENTRY = re.compile(r"blobs(/[0-9a-f]{2}){0,2}")


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return f"a symbolic link (to {member.linkname!r})"
    if member.islnk():
        return f"a hard link (to {member.linkname!r})"
    if member.isdir():
        return "a folder"
    return "a device, FIFO or other special file"


def _is_backup_file(name: str) -> bool:
    if name in (MANIFEST, DB_NAME):
        return True
    match = _BLOB_ENTRY.fullmatch(name)
    return match is not None and match[3][:2] == match[1] and match[3][2:4] == match[2]


def unpack(archive_path: Path, folder: Path) -> dict[str, Path]:
    """Copy the archive's files into folder; return entry name -> copy. Refuse any other entry."""
    seen: set[str] = set()
    files: dict[str, Path] = {}
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                name = member.name
                if name in seen:
                    raise InvalidInput(f"{archive_path}: entry {name!r} appears more than once")
                seen.add(name)
                if member.isdir() and _FOLDER_ENTRY.fullmatch(name):
                    continue
                if not _is_backup_file(name):
                    raise InvalidInput(
                        f"{archive_path}: entry {name!r} is not a file an accord backup holds"
                    )
                if not member.isreg():
                    raise InvalidInput(f"{archive_path}: entry {name!r} is {_kind(member)}")
                source = archive.extractfile(member)
                if source is None:  # pragma: no cover - isreg() members always have data
                    raise InvalidInput(f"{archive_path}: entry {name!r} has no data")
                copy = folder / f"entry-{len(files)}"
                with source, copy.open("xb") as out:
                    shutil.copyfileobj(source, out)
                files[name] = copy
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise InvalidInput(f"{archive_path}: not an accord backup ({exc})") from exc
    for required in (MANIFEST, DB_NAME):
        if required not in files:
            raise InvalidInput(f"{archive_path}: not an accord backup (no {required})")
    return files


def checked_manifest(archive_path: Path, files: dict[str, Path]) -> dict[str, Any]:
    """Read the manifest; each blob's path must be the store's path for its hash, and present."""
    try:
        manifest = json.loads(files[MANIFEST].read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{archive_path}: the manifest is unreadable ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise InvalidInput(f"{archive_path}: unknown backup format {found!r}")
    blobs = manifest.get("blobs")
    if not isinstance(blobs, dict) or not isinstance(manifest.get("database_sha256"), str):
        raise InvalidInput(f"{archive_path}: the manifest has no blob list or database hash")
    for name, relative in blobs.items():
        if not BlobStore.is_name(name) or relative != BlobStore.relative_path(name):
            raise InvalidInput(
                f"{archive_path}: manifest entry {name!r}: path {relative!r} is not the blob "
                "store's own path for that hash"
            )
        if f"blobs/{relative}" not in files:
            raise InvalidInput(f"{archive_path}: blob {name} is missing from the archive")
    listed = {f"blobs/{relative}" for relative in blobs.values()}
    for name in files:
        if name.startswith("blobs/") and name not in listed:
            raise InvalidInput(f"{archive_path}: entry {name!r} is not in the manifest")
    return manifest
