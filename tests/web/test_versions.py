"""The version watch: SQLite's data version followed without a session, and PostgreSQL asked."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from accord.audit import service as audit
from accord.audit.models import AuditEvent
from accord.db import migrate
from accord.db.session import get_engine, session_scope
from accord.web.cache import VersionedCache, data_version
from accord.web.versions import VersionWatch, sqlite_file


def write_event(url: str, who: str) -> None:
    with session_scope(url) as session:
        audit.record(session, by=who, action="test.write", entity="t", entity_id=1, payload={})


def stored_version(url: str) -> tuple[int, str]:
    with session_scope(url, read_only=True) as session:
        return audit.data_version(session)


@pytest.fixture
def sqlite_db(fresh_db: str) -> str:
    if sqlite_file(fresh_db) is None:
        pytest.skip("the watch reads SQLite files; other databases are asked in the session")
    migrate.upgrade(fresh_db)
    write_event(fresh_db, "alice")
    return fresh_db


def test_the_watch_sees_commits_from_this_process_and_others(sqlite_db: str) -> None:
    watch = VersionWatch(sqlite_db)
    assert watch.without_session() == stored_version(sqlite_db)
    write_event(sqlite_db, "bob")  # another connection in this process
    assert watch.without_session() == stored_version(sqlite_db)
    script = (
        "import sys; from accord.audit import service as audit; "
        "from accord.db.session import session_scope\n"
        "with session_scope(sys.argv[1]) as s:\n"
        "    audit.record(s, by='cli', action='test.write', entity='t', entity_id=2, payload={})\n"
    )
    before = watch.without_session()
    subprocess.run([sys.executable, "-c", script, sqlite_db], check=True)
    after = watch.without_session()
    assert after != before and after == stored_version(sqlite_db)
    watch.close()


def test_an_unchanged_database_is_not_queried_again(sqlite_db: str) -> None:
    watch = VersionWatch(sqlite_db)
    watch.without_session()
    statements: list[str] = []
    assert watch._connection is not None
    watch._connection.set_trace_callback(statements.append)
    for _ in range(5):
        watch.without_session()
    assert statements == ["PRAGMA data_version"] * 5  # no audit look-up while nothing changed
    write_event(sqlite_db, "carol")
    watch.without_session()
    assert any("audit_events" in statement for statement in statements[5:])
    watch.close()


def test_a_file_replaced_under_the_watch_is_followed(sqlite_db: str, tmp_path: Path) -> None:
    """`accord restore --force` replaces the file: the watch and the pool move to the new one."""
    path = sqlite_file(sqlite_db)
    assert path is not None
    copy = tmp_path / "copy.db"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    restored = stored_version(f"sqlite:///{copy}")
    watch = VersionWatch(sqlite_db)
    write_event(sqlite_db, "dave")
    assert watch.without_session() != restored
    checkouts: list[object] = []
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    copy.replace(path)
    assert watch.without_session() == restored
    # the engine dropped its pooled connections to the old file: sessions read the restored one
    event.listen(get_engine(sqlite_db), "connect", lambda *_: checkouts.append(1))
    assert stored_version(sqlite_db) == restored
    assert checkouts, "a new connection was opened to the replaced file"
    watch.close()


def test_databases_without_a_cheap_version_are_asked_in_the_session(fresh_db: str) -> None:
    migrate.upgrade(fresh_db)
    write_event(fresh_db, "erin")
    assert VersionWatch("sqlite://").without_session() is None
    watch = VersionWatch(fresh_db)
    with session_scope(fresh_db, read_only=True) as session:
        assert data_version(session, watch) == audit.data_version(session)
    if sqlite_file(fresh_db) is None:  # PostgreSQL
        assert watch.without_session() is None


def test_data_read_before_a_commit_is_not_filed_under_the_newer_version(fresh_db: str) -> None:
    """What a session computes from a snapshot older than a commit is not served after it.

    SQLite's read transaction keeps its snapshot, so the value must be filed under the older
    version; PostgreSQL's statements see the commit, and version and value both move on.
    """
    migrate.upgrade(fresh_db)
    write_event(fresh_db, "frank")
    cache = VersionedCache(watch=VersionWatch(fresh_db))
    count = select(func.count()).select_from(AuditEvent)
    with session_scope(fresh_db, read_only=True) as session:
        before = session.execute(count).scalar_one()  # SQLite's snapshot begins here
        write_event(fresh_db, "grace")  # committed by another connection meanwhile
        cache.get(session, "events", lambda: session.execute(count).scalar_one())
    with session_scope(fresh_db, read_only=True) as session:
        now = cache.get(session, "events", lambda: session.execute(count).scalar_one())
    assert now == before + 1
    assert cache.peek("events") in (None, now)


def test_a_write_session_never_files_its_uncommitted_rows_under_the_committed_version(
    fresh_db: str,
) -> None:
    migrate.upgrade(fresh_db)
    write_event(fresh_db, "heidi")
    cache = VersionedCache(watch=VersionWatch(fresh_db))
    count = select(func.count()).select_from(AuditEvent)
    try:
        with session_scope(fresh_db) as session:
            audit.record(
                session, by="ivan", action="test.write", entity="t", entity_id=3, payload={}
            )
            cache.get(session, "events", lambda: session.execute(count).scalar_one())
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    with session_scope(fresh_db, read_only=True) as session:
        stored = session.execute(count).scalar_one()
        assert cache.get(session, "events", lambda: session.execute(count).scalar_one()) == stored
    assert cache.peek("events") in (None, stored)
