"""Fixtures of the feed tests: a migrated database, a local feed server, a permissive policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.db import migrate
from accord.feeds.fetch import FetchPolicy
from accord.sources.blobs import BlobStore
from feeds.feedserver import FeedServer


@pytest.fixture
def feed_db(fresh_db: str) -> str:
    """A new migrated database."""
    migrate.upgrade(fresh_db)
    return fresh_db


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A local HTTP server the test fills with routes."""
    with FeedServer() as srv:
        yield srv


@pytest.fixture
def policy() -> FetchPolicy:
    """The fetch rules with private addresses allowed (the server is on 127.0.0.1), fast limits."""
    return FetchPolicy(
        allow_private=True,
        connect_timeout=2.0,
        read_timeout=1.0,
        total_timeout=2.0,
        max_bytes=200_000,
        retries=1,
        backoff_s=0.01,
        host_interval_s=0.0,
        host_concurrency=4,
    )


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    """A blob store in the test's folder."""
    return BlobStore(tmp_path / "blobs")
