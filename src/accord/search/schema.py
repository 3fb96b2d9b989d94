"""Database objects of the search index that the ORM models do not declare (migration 0011)."""

from __future__ import annotations

FTS_TABLES = ("sources_fts", "claims_fts")
SEARCH_COLUMN = "search_vector"


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Tell schema comparison to leave the search index's own tables, columns and indexes out."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLES)  # the FTS tables and their shadow tables
    if type_ == "column":
        return name != SEARCH_COLUMN
    if type_ == "index":
        return not name.endswith(f"_{SEARCH_COLUMN}")
    return True
