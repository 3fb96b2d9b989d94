"""Content-addressed blob store: raw bytes at ``<root>/ab/cd/<sha256>``, written atomically.

A write checks the bytes against the digest it is given, and is durable when ``put`` returns:
the file is fsynced before it is renamed into place, and each folder it created or changed
(the blob's folder, and the folders made for it) is fsynced after.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from accord.errors import IntegrityFailure

_BLOB_NAME = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".tmp-"


class BlobStore:
    """A folder of immutable files named by the SHA-256 of their bytes."""

    def __init__(self, root: Path) -> None:
        """Use (and create on first write) the given folder."""
        self.root = root

    @staticmethod
    def is_name(text: str) -> bool:
        """Tell whether text is a blob name: 64 lower-case hex digits."""
        return _BLOB_NAME.fullmatch(text) is not None

    @staticmethod
    def relative_path(sha256: str) -> str:
        """Return a blob's path inside the store (``ab/cd/<sha256>``), the only one it may have."""
        if _BLOB_NAME.fullmatch(sha256) is None:
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path_for(self, sha256: str) -> Path:
        """Return where the blob with this hash lives."""
        return self.root / self.relative_path(sha256)

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store bytes (no-op when present) and return their SHA-256.

        A given ``sha256`` must be the bytes' own: otherwise IntegrityFailure, and nothing is
        stored.
        """
        digest = hashlib.sha256(data).hexdigest()
        if sha256 is not None and sha256 != digest:
            raise IntegrityFailure(
                f"blob store: the bytes given for {sha256} have SHA-256 {digest}; nothing stored"
            )
        target = self.path_for(digest)
        if target.exists():
            return digest
        created = _make_folders(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for folder in [target.parent, *created]:  # the rename, then each new folder's entry
            fsync_folder(folder)
        return digest

    def get(self, sha256: str) -> bytes:
        """Return a blob's bytes."""
        return self.path_for(sha256).read_bytes()

    def check(self, sha256: str) -> str | None:
        """Return None when the blob exists with the right hash, else the reason it does not."""
        if not self.is_name(sha256):
            return f"{sha256!r} is not a SHA-256 hex digest"
        path = self.path_for(sha256)
        if not path.exists():
            return f"blob {sha256} is missing from {self.root}"
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            return f"blob {sha256} does not match its SHA-256 ({path})"
        return None

    def iter_files(self) -> Iterator[tuple[str | None, Path]]:
        """Yield (sha256, path) for every blob file, and (None, path) for leftover temp files."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if _BLOB_NAME.fullmatch(path.name):
                yield path.name, path
            elif path.name.startswith(TEMP_PREFIX):
                yield None, path


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new file in it) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_folders(folder: Path) -> list[Path]:
    """Create a folder and its missing parents; return the parents whose entries changed."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    folder.mkdir(parents=True, exist_ok=True)
    return [m.parent for m in missing]  # deepest first: each new folder's entry is in its parent
