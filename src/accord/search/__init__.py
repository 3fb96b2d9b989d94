"""Full-text search over sources and claims (SQLite FTS5, PostgreSQL tsvector)."""
