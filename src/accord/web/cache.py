"""Results derived from the database, kept until anything stored changes.

The board and the incident counts are recomputed from many rows but change only when someone
writes. Every write appends an audit event in the same transaction, so the newest audit event
(its id, and its hash, which differs between databases) versions the whole database: an entry
computed at one version is served until the version moves on. Knowing the version costs a
few microseconds on SQLite (``accord.web.versions``) and one indexed look-up on PostgreSQL, in
place of the recomputation, and no write, by this server, another worker or the CLI, can leave a
stale entry behind. API list pages, tokens and the board are kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.audit import service as audit
from accord.db.session import READ_ONLY
from accord.incidents import service as incidents
from accord.incidents.service import IncidentFilter
from accord.users import service as users
from accord.web.versions import Version, VersionWatch

T = TypeVar("T")
_VERSION = "accord_data_version"


def data_version(session: Session, watch: VersionWatch | None = None) -> Version:
    """Return the data version for work done in this session (the newest audit event's id, hash).

    An entry must never be older than the version it is filed under, so the version has to be
    read no later than the data. ``watch`` reads it on its own connection, which is right only
    while the session has not begun its transaction (SQLite fixes a read snapshot at the first
    read) and only for read-only sessions (a writer sees its own uncommitted rows); otherwise the
    version is read in the session itself. A read-only transaction sees one snapshot, so its
    version is kept in the session for the rest of the request.
    """
    version: Version | None = session.info.get(_VERSION)
    if version is None:
        read_only = bool(session.info.get(READ_ONLY))
        if watch is not None and read_only and not session.in_transaction():
            version = watch.without_session()
        if version is None:
            version = audit.data_version(session)
        if read_only:
            session.info[_VERSION] = version
    return version


def note_version(session: Session, watch: VersionWatch | None) -> None:
    """Fix a fresh read-only session's data version now, if the watch can tell it cheaply.

    Called when a request's session opens, before anything reads: later cache look-ups in the
    request (after, say, the signed-in user was read) still file their data correctly.
    """
    if watch is not None and session.info.get(READ_ONLY) and _VERSION not in session.info:
        version = watch.without_session()
        if version is not None:
            session.info[_VERSION] = version


class VersionedCache:
    """A small least-recently-used cache whose entries hold for one data version.

    Bounded by entries and, for entries that are bytes (response bodies), by their total size.
    """

    def __init__(
        self, size: int = 256, watch: VersionWatch | None = None, max_bytes: int = 32 << 20
    ) -> None:
        """Keep at most ``size`` entries and ``max_bytes`` of bytes values.

        ``watch`` tells the version of the app's database without a session where it can.
        """
        self.size = size
        self.max_bytes = max_bytes
        self.watch = watch
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[Version, object]] = OrderedDict()
        self._flights: dict[tuple[Hashable, Version], threading.Event] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        """Return how many entries are kept."""
        return len(self._entries)

    def forget(self, key: Hashable) -> None:
        """Drop one entry."""
        with self._lock:
            self._drop(key)

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and isinstance(entry[1], bytes):
            self._bytes -= len(entry[1])

    def peek(self, key: Hashable) -> object | None:
        """Return the entry for ``key`` if it is current and that can be told without a session.

        For the event loop: no database round trip, no thread. None means "ask ``get``".
        """
        version = self.watch.without_session() if self.watch is not None else None
        if version is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the value for ``key`` at the session's data version, computing it if needed.

        The version is read before the data (see ``data_version``), so an entry is never older
        than the version it is filed under. Requests that miss the same entry at the same
        version together wait for one computation instead of each running their own: after a
        write, a page that fifty clients are polling is read from the database once.
        """
        version = data_version(session, self.watch)
        while True:
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None and entry[0] == version:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry[1]  # type: ignore[return-value]
                flight = self._flights.get((key, version))
                if flight is None:  # nobody is computing it: this thread does
                    flight = self._flights[(key, version)] = threading.Event()
                    self.misses += 1
                    break
            flight.wait()  # then look again; if that computation failed, one waiter takes over
        try:
            value = compute()
            self._store(key, version, value)
        finally:
            with self._lock:
                del self._flights[(key, version)]
            flight.set()
        return value

    def _store(self, key: Hashable, version: Version, value: object) -> None:
        size = len(value) if isinstance(value, bytes) else 0
        with self._lock:
            self._drop(key)
            if size > self.max_bytes:
                return  # larger than the whole budget: served once, never kept
            self._entries[key] = (version, value)
            self._bytes += size
            while len(self._entries) > self.size or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))


async def cached_body(
    cache: VersionedCache, session: Session, key: Hashable, compute: Callable[[], bytes]
) -> bytes:
    """Return a response body from the cache, computing it on a worker thread when needed.

    A current entry that the cache can confirm without the database is answered on the event
    loop: no thread, no session.
    """
    body = cache.peek(key)
    if isinstance(body, bytes):
        return body
    return await run_in_threadpool(cache.get, session, key, compute)


def incident_count(request: Request, session: Session, filters: IncidentFilter) -> int:
    """Return how many incidents match the filters, from the app's cache when still current."""
    cache: VersionedCache = request.app.state.cache
    return cache.get(
        session, ("incident-count", filters), lambda: incidents.count_incidents(session, filters)
    )


def token_holder(request: Request, session: Session, token: str) -> users.TokenHolder | None:
    """Return the holder of an unrevoked API token, from the app's cache when still current.

    Unknown tokens are not cached, so made-up tokens cannot push other entries out. Revoking a
    token writes an audit event, which moves the version: the entry is dropped at once. The
    expiry time is kept in the entry and checked by the caller on every request.
    """
    cache: VersionedCache = request.app.state.cache
    key = ("token", users.token_digest(token))
    found = cache.get(session, key, lambda: users.holder_of_token(session, token))
    if found is None:
        cache.forget(key)
    return found


def cached_token_holder(request: Request, token: str) -> users.TokenHolder | None:
    """Return the holder of an API token if the cache can tell without the database."""
    cache: VersionedCache = request.app.state.cache
    found = cache.peek(("token", users.token_digest(token)))
    return found if isinstance(found, users.TokenHolder) else None
