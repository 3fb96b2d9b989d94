"""SIGKILL the poller mid-work: no half-stored source, no lost cursor, nothing stored twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import func, select

from accord.audit.models import AuditEvent
from accord.db.session import session_scope
from accord.feeds import poller, service
from accord.feeds.fetch import FetchPolicy
from accord.feeds.models import Feed, FeedItem, StoryMember
from accord.sources.blobs import BlobStore
from accord.sources.models import Source
from feeds.feedserver import FeedServer, Item, article_text, rss

FEEDS, ITEMS = 8, 25


def _counts(url: str) -> tuple[int, int]:
    with session_scope(url, read_only=True) as s:
        items = int(s.scalar(select(func.count()).select_from(FeedItem)) or 0)
        sources = int(s.scalar(select(func.count()).select_from(Source)) or 0)
    return items, sources


def _check_whole(url: str, blobs: BlobStore) -> None:
    """Every stored item has its source, blob, audit events and story; nothing else is stored."""
    with session_scope(url, read_only=True) as s:
        items = list(s.scalars(select(FeedItem)))
        sources = list(s.scalars(select(Source)))
        assert all(i.source_id is not None for i in items)
        assert {i.source_id for i in items} == {src.id for src in sources}
        audited = set(
            s.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == "source.ingest"))
        )
        assert audited == {str(src.id) for src in sources}
        item_events = s.scalar(select(func.count()).where(AuditEvent.action == "feed.item"))
        assert item_events == len(items)
        grouped = set(s.scalars(select(StoryMember.source_id)))
        assert grouped == {src.id for src in sources}
        for src in sources:
            assert blobs.check(src.sha256) is None  # the blob is there and hashes right
        keys = [(i.feed_id, i.item_key) for i in items]
        assert len(keys) == len(set(keys))


def test_sigkill_mid_poll_loses_and_duplicates_nothing(feed_db: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    blobs = BlobStore(home / "blobs")
    with ExitStack() as stack:
        servers = [stack.enter_context(FeedServer()) for _ in range(FEEDS)]
        for n, srv in enumerate(servers):
            items = [
                Item(f"k{n}-{i}", srv.url(f"/a/{i}"), f"Item {n}-{i}", article_text(f"f{n} i{i}"))
                for i in range(ITEMS)
            ]
            srv.static("/feed.xml", rss(items), etag=f'"{n}"')
            with session_scope(feed_db) as s:
                service.add(s, srv.url("/feed.xml"), by="t")
        env = {
            **os.environ,
            "ACCORD_HOME": str(home),
            "ACCORD_DB": feed_db,
            "ACCORD_FEEDS_ALLOW_PRIVATE": "1",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        }
        cli = [sys.executable, "-c", "from accord.cli.main import run; run()"]
        proc = subprocess.Popen(
            [*cli, "feeds", "poll", "--no-extract", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if _counts(feed_db)[0] >= ITEMS // 2:  # mid-way through the first feed or so
                    break
                time.sleep(0.02)
            assert proc.poll() is None, "the poller finished before it could be killed"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        stored, _ = _counts(feed_db)
        assert 0 < stored < FEEDS * ITEMS
        _check_whole(feed_db, blobs)
        with session_scope(feed_db, read_only=True) as s:
            feeds = list(s.scalars(select(Feed)))
            complete = {
                f.id
                for f in feeds
                if s.scalar(select(func.count()).where(FeedItem.feed_id == f.id)) == ITEMS
            }
            # the cursor moved only for feeds whose every item was stored
            assert all(f.etag is None for f in feeds if f.id not in complete)

        policy = FetchPolicy(allow_private=True, host_interval_s=0.0)
        report = poller.poll(feed_db, by="t", blobs=blobs, policy=policy, extract=False)
        assert report.errors == []
        assert _counts(feed_db) == (FEEDS * ITEMS, FEEDS * ITEMS)
        _check_whole(feed_db, blobs)
        with session_scope(feed_db, read_only=True) as s:
            assert all(f.etag for f in s.scalars(select(Feed)))
        again = poller.poll(feed_db, by="t", blobs=blobs, policy=policy, extract=False)
        assert again.new_items == 0 and again.not_modified == FEEDS
