"""Append-only, hash-chained audit log written in the same transaction as each change."""
