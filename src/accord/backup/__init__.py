"""Backups: a consistent SQLite snapshot plus the blob store in one archive, and restore."""
