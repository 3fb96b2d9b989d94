"""full-text search over sources and claims

SQLite: FTS5 tables ``sources_fts`` (title, text) and ``claims_fts`` (quote, summary) over the
rows of ``sources`` and ``claims`` (external content), kept in step by triggers, so every write
updates the index in its own transaction. PostgreSQL: a stored generated ``search_vector``
column (English configuration) on both tables with a GIN index.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 22:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, FTS table, indexed columns)
_SQLITE = (
    ("sources", "sources_fts", ("title", "text")),
    ("claims", "claims_fts", ("quote", "summary")),
)
_PG = {
    "sources": "coalesce(title, '') || ' ' || text",
    "claims": "quote || ' ' || coalesce(summary, '')",
}


def _sqlite_upgrade() -> None:
    for table, fts, columns in _SQLITE:
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "  # noqa: S608 (our names)
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "  # noqa: S608 (our names)
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "  # noqa: S608
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608 (our names)


def upgrade() -> None:
    """Create the search indexes and fill them from the stored rows."""
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
        return
    for table, expression in _PG.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('english', {expression})) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")


def downgrade() -> None:
    """Drop the search indexes."""
    if op.get_bind().dialect.name == "sqlite":
        for _table, fts, _columns in _SQLITE:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        return
    for table in _PG:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
