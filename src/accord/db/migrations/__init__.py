"""Alembic migration scripts of accord's schema."""
