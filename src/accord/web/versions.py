"""The data version of a SQLite database, known without opening a session for each request.

The versioned cache files every entry under the newest audit event's (id, hash). Looking that up
through a SQLAlchemy session costs about a quarter of a millisecond of CPU (a session, a pooled
connection, BEGIN, an ORM query), more than serving a cached board. SQLite can say more cheaply
whether anything changed: ``PRAGMA data_version`` on a connection moves whenever another
connection, in this process or any other, commits. The watch keeps one such connection and looks
the audit event up again only when the pragma has moved, so an unchanged database costs a few
microseconds per request, and any commit made before the watch is asked is seen.

A database file replaced under the running server (``accord restore --force``) is a new file:
the watch notices the new inode, reopens, and has the engine drop its pooled connections to the
old file (best effort: requests in flight finish on the old file, so stop the server to restore).
PostgreSQL has no such pragma; there the version is looked up in the request's session.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

from accord.audit import service as audit
from accord.audit.models import AuditEvent
from accord.db.session import get_engine

Version = tuple[int, str]
_NEWEST = f"SELECT id, hash FROM {AuditEvent.__tablename__} ORDER BY id DESC LIMIT 1"  # noqa: S608 — fixed table name


def sqlite_file(url: str) -> Path | None:
    """Return the file behind a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


class VersionWatch:
    """Answer "which data version is current?" for a SQLite file without a session."""

    def __init__(self, url: str) -> None:
        """Watch the database at ``url`` (a SQLite file is watched; others are asked)."""
        self.url = url
        self._path = sqlite_file(url)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None
        self._pragma: int | None = None
        self._version: Version | None = None

    def without_session(self) -> Version | None:
        """Return the current version if it can be had without a session (else None).

        A few microseconds for a SQLite file, so it may run on the event loop.
        """
        if self._path is None:
            return None
        with self._lock:
            try:
                return self._sqlite_version(self._path)
            except (sqlite3.Error, OSError):
                self._close()
                return None

    def close(self) -> None:
        """Close the watch's own connection."""
        with self._lock:
            self._close()

    def _sqlite_version(self, path: Path) -> Version:
        status = path.stat()
        file = (status.st_dev, status.st_ino)
        if self._connection is None or file != self._file:
            replaced = self._file is not None and file != self._file
            self._close()
            self._connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
                timeout=0,  # never wait for a lock on the event loop: busy means "ask the session"
            )
            self._file = file
            if replaced:  # pooled connections still read the file that was replaced
                get_engine(self.url).dispose()
        pragma = self._connection.execute("PRAGMA data_version").fetchone()[0]
        if pragma != self._pragma or self._version is None:
            # read the pragma first: a commit landing in between moves it again next time
            newest = self._connection.execute(_NEWEST).fetchone()
            self._version = (newest[0], newest[1]) if newest else (0, audit.GENESIS_HASH)
            self._pragma = pragma
        return self._version

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._pragma, self._version = None, None, None
