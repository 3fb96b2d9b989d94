"""Content-addressed blob store: raw bytes at ``<root>/ab/cd/<sha256>``, written atomically."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_BLOB_NAME = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".tmp-"


class BlobStore:
    """A folder of immutable files named by the SHA-256 of their bytes."""

    def __init__(self, root: Path) -> None:
        """Use (and create on first write) the given folder."""
        self.root = root

    def path_for(self, sha256: str) -> Path:
        """Return where the blob with this hash lives."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, sha256: str | None = None) -> str:
        """Store bytes (no-op when present) and return their SHA-256."""
        digest = sha256 or hashlib.sha256(data).hexdigest()
        target = self.path_for(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
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
        return digest

    def get(self, sha256: str) -> bytes:
        """Return a blob's bytes."""
        return self.path_for(sha256).read_bytes()

    def check(self, sha256: str) -> str | None:
        """Return None when the blob exists with the right hash, else the reason it does not."""
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
