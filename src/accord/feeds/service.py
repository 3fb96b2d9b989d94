"""Feeds: add, list, show, remove; store new items as sources; record each poll's outcome.

Services flush, never commit: the poller commits one item per transaction, and the feed's
cursor (ETag, Last-Modified) only after every new item of that poll is stored, so a crash
leaves no half-stored item and never moves the cursor past an unstored one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.claims import service as claims
from accord.db.base import utcnow
from accord.errors import Conflict, InvalidInput, NotFound
from accord.feeds import stories
from accord.feeds.models import Feed, FeedItem
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.sources.readers import Metadata

MIN_INTERVAL_S = 1
MAX_ERROR_CHARS = 500


def add(
    session: Session,
    url: str,
    *,
    by: str,
    name: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
    interval_s: int = 600,
) -> Feed:
    """Watch a new feed; refuse non-http(s) URLs and a URL already watched."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"feed URL {url!r}: give an http:// or https:// URL with a host")
    if interval_s < MIN_INTERVAL_S:
        raise InvalidInput(f"--interval {interval_s}: give at least {MIN_INTERVAL_S} second")
    url = url.strip()
    if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
        raise Conflict(f"feed {url} is already watched")
    feed = Feed(
        url=url,
        name=name,
        publisher=publisher,
        language=language,
        interval_s=interval_s,
        items_seen=0,
        created_by=by,
    )
    session.add(feed)
    session.flush()
    audit.record(
        session,
        by=by,
        action="feed.add",
        entity="feed",
        entity_id=feed.id,
        payload={"url": url, "interval_s": interval_s},
    )
    return feed


def list_feeds(session: Session) -> list[Feed]:
    """Return every watched feed, oldest first."""
    return list(session.scalars(select(Feed).order_by(Feed.id)))


def get(session: Session, ref: str | int) -> Feed:
    """Return a feed by id or URL, or raise NotFound."""
    feed: Feed | None
    if isinstance(ref, int) or str(ref).isdigit():
        feed = session.get(Feed, int(ref))
    else:
        feed = session.scalar(select(Feed).where(Feed.url == str(ref)))
    if feed is None:
        raise NotFound(f"feed {ref} is not watched (see `accord feeds list`)")
    return feed


def remove(session: Session, ref: str | int, *, by: str) -> Feed:
    """Stop watching a feed; its sources stay."""
    feed = get(session, ref)
    audit.record(
        session,
        by=by,
        action="feed.remove",
        entity="feed",
        entity_id=feed.id,
        payload={"url": feed.url},
    )
    session.query(FeedItem).filter(FeedItem.feed_id == feed.id).delete()
    session.delete(feed)
    session.flush()
    return feed


def item_count(session: Session, feed_id: int) -> int:
    """Return how many items of a feed are stored."""
    return int(session.scalar(select(func.count()).where(FeedItem.feed_id == feed_id)) or 0)


def recent_items(session: Session, feed_id: int, limit: int = 20) -> list[FeedItem]:
    """Return a feed's latest items."""
    return list(
        session.scalars(
            select(FeedItem)
            .where(FeedItem.feed_id == feed_id)
            .order_by(FeedItem.id.desc())
            .limit(limit)
        )
    )


def known_keys(session: Session, feed_ids: Iterable[int]) -> dict[int, set[str]]:
    """Return the item keys already stored, per feed."""
    ids = list(feed_ids)
    found: dict[int, set[str]] = {i: set() for i in ids}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(FeedItem.feed_id, FeedItem.item_key).where(
                FeedItem.feed_id.in_(ids[start : start + 500])
            )
        )
        for feed_id, key in rows:
            found[feed_id].add(key)
    return found


def source_for_url(session: Session, canonical: str) -> int | None:
    """Return the source already stored for a canonical article URL (from any feed)."""
    return session.scalar(
        select(FeedItem.source_id)
        .where(FeedItem.url == canonical, FeedItem.source_id.is_not(None))
        .limit(1)
    )


@dataclass
class ItemDocument:
    """What an entry became: raw bytes to ingest (named like a file) and their metadata."""

    raw: bytes
    filename: str
    metadata: Metadata


def store_item(
    session: Session,
    feed: Feed,
    key: str,
    canonical: str | None,
    document: ItemDocument | None,
    *,
    by: str,
    blobs: BlobStore,
    index: stories.StoryIndex,
    extract: bool = True,
    error: str | None = None,
) -> tuple[FeedItem, bool]:
    """Store one feed item: its source (ingest, extraction, audit, story group) and its row.

    ``document`` None links the item to the source already stored for its canonical URL, or
    records it with ``error``. Returns the item and whether a new source was stored.
    """
    source_id = source_for_url(session, canonical) if canonical else None
    added = False
    if source_id is None and document is not None:
        try:
            source, added = sources.ingest_bytes(
                session,
                document.raw,
                Path(document.filename),
                by=by,
                blobs=blobs,
                metadata=document.metadata,
            )
        except InvalidInput as exc:
            error = str(exc)
        else:
            source_id = source.id
            if added and extract and packs.current(session) is not None:
                claims.extract_for_source(session, source, by=by)
            stories.assign_source(session, index, source.id, source.text, canonical)
    item = FeedItem(
        feed_id=feed.id,
        item_key=key[:2000],
        url=canonical[:2000] if canonical else None,
        source_id=source_id,
        error=error[:MAX_ERROR_CHARS] if error and source_id is None else None,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        by=by,
        action="feed.item",
        entity="feed_item",
        entity_id=item.id,
        payload={
            "feed": feed.id,
            "key": item.item_key,
            "url": item.url,
            "source": source_id,
            "error": item.error,
        },
    )
    return item, added


def record_poll(
    session: Session,
    feed_id: int,
    *,
    new_items: int,
    etag: str | None,
    last_modified: str | None,
    error: str | None,
    advance_cursor: bool,
) -> Feed:
    """Record a poll's outcome: health, and the cursor when every new item was stored."""
    feed = get(session, feed_id)
    now = utcnow()
    feed.last_polled_at = now
    feed.items_seen = (feed.items_seen or 0) + new_items
    if error:
        feed.last_error = error[:MAX_ERROR_CHARS]
        feed.last_error_at = now
    else:
        feed.last_success_at = now
    if advance_cursor:
        feed.etag = etag[:500] if etag else None
        feed.last_modified = last_modified[:100] if last_modified else None
    session.flush()
    return feed


def due(session: Session, now: dt.datetime | None = None) -> list[Feed]:
    """Return the feeds whose interval has passed since their last poll."""
    moment = now or utcnow()
    return [
        f
        for f in list_feeds(session)
        if f.last_polled_at is None
        or f.last_polled_at + dt.timedelta(seconds=f.interval_s) <= moment
    ]


def stories_of(session: Session, source_ids: Iterable[int]) -> dict[int, int]:
    """Return each source's story group id (its own id when it is in no group)."""
    return stories.stories_of(session, list(source_ids))


def story_members(session: Session, source_id: int) -> list[int]:
    """Return the ids of the other sources in a source's story group."""
    return stories.story_members(session, source_id)
