"""Engines and sessions. ``session_scope`` owns the transaction: the only place that commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from accord.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_WAL_CHECKPOINT_PAGES = 10_000  # pages of 4 KiB
# Execution option of read-only sessions: on SQLite they begin DEFERRED instead of IMMEDIATE.
READ_ONLY = "accord_read_only"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would begin a transaction only at the first INSERT/UPDATE, after the SELECTs that
    # decided it (a review's "is it still machine?", the audit chain's last hash), so a concurrent
    # writer could commit in between: a lost update. Take over: ``_sqlite_begin`` emits BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoint the WAL into the database every ~40 MB instead of SQLite's ~4 MB: a large import
    # otherwise spends more time in checkpoints (each one syncs the file) than in its inserts.
    # Committed transactions are as durable either way; the WAL is just longer between checkpoints.
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin SQLite transactions IMMEDIATE: a writer takes the write lock before its first read.

    Writers then queue on ``busy_timeout`` instead of failing with "database is locked" when a
    deferred read transaction cannot be upgraded after another process committed. Read-only
    sessions (``session_scope(url, read_only=True)``) begin DEFERRED and never block writers.
    """
    mode = "DEFERRED" if connection.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
    connection.exec_driver_sql(f"BEGIN {mode}")


def normalise_url(url: str) -> str:
    """Return the URL with the psycopg 3 driver for PostgreSQL and a checked form."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"database URL {url!r} is not a valid SQLAlchemy URL") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


_ENGINES: dict[str, Engine] = {}
_CHECKED: set[str] = set()
_FACTORIES: dict[tuple[str, bool], sessionmaker[Session]] = {}


# The pool keeps a few idle connections but never makes a caller wait for one. A web request
# holds its connection across several handler threads; with a capped pool, requests holding
# connections could wait for a thread while every thread waits for a connection (a deadlock
# that ended in 30 s pool time-outs under 50 clients and a small thread pool). Each request uses
# one connection, so the count stays bounded by the requests in flight.
UNBOUNDED_OVERFLOW = -1
# Connections kept open between requests; more are opened (and closed again) when needed.
# SQLite connections are cheap file handles; PostgreSQL ones take server slots.
SQLITE_POOL_SIZE = 32
POSTGRES_POOL_SIZE = 10


def get_engine(url: str) -> Engine:
    """Return the (cached) engine of a database URL; SQLite gets WAL, foreign keys, BEGIN IMMEDIATE."""
    url = normalise_url(url)
    if url in _ENGINES:
        return _ENGINES[url]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            if not folder.is_dir():  # a typo in a URL must not leave folders behind
                raise DatabaseUnavailable(
                    f"database folder {folder} does not exist: create it first, or correct "
                    "--db / ACCORD_DB"
                )
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=UNBOUNDED_OVERFLOW,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 10},
            pool_size=POSTGRES_POOL_SIZE,
            max_overflow=UNBOUNDED_OVERFLOW,
        )
    else:
        raise DatabaseUnavailable(
            f"database URL {parsed.render_as_string(hide_password=True)!r}: "
            "unsupported backend (use sqlite:/// or postgresql://)"
        )
    _ENGINES[url] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine (tests and the demo use this before deleting files)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _CHECKED.clear()
    _FACTORIES.clear()


def check_connection(engine: Engine) -> None:
    """Open one connection, turning a failure into a one-line DatabaseUnavailable."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"cannot reach database {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from exc


def commit_so_far(session: Session) -> None:
    """Commit a ``session_scope`` session's work so far, releasing its locks (SQLite's write lock).

    For a caller that must open its own transactions while the scope stays open (the web import
    endpoint); later work in the scope runs in a new transaction.
    """
    session.commit()


def session_ready(url: str) -> bool:
    """Say whether ``session_scope(url)`` can open without I/O (the database was reached before)."""
    return url in _CHECKED


def commit_now(session: Session) -> None:
    """Commit a session's transaction before its scope ends.

    For a web form that answers with a redirect: the web request's session otherwise commits
    after the answer has gone out, and the browser, following the redirect at once, could load
    the next page before the change is stored. The scope's own commit then has nothing to do.
    """
    session.commit()


@contextmanager
def session_scope(url: str, *, read_only: bool = False) -> Iterator[Session]:
    """Yield a session in one transaction: commit on success, roll back on any error.

    ``read_only`` marks a transaction that only reads (``accord verify``): on SQLite it does not
    take the write lock, so a long read never holds writers up.
    """
    engine = get_engine(url)
    if url not in _CHECKED:
        check_connection(engine)  # once per engine: later failures surface from the query itself
        _CHECKED.add(url)
    factory = _FACTORIES.get((url, read_only))
    if factory is None:
        bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
        factory = _FACTORIES.setdefault(
            (url, read_only),
            sessionmaker(bind=bind, expire_on_commit=False, info={READ_ONLY: read_only}),
        )
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
