"""Poll feeds: fetch in worker threads, store in the calling thread, one item per transaction.

Workers fetch a feed (conditional GET), parse it, and for each entry not seen before build the
document to ingest: the entry's own full text when the feed carries it, else the article page
(fetched politely and cleaned by trafilatura on ingest). The calling thread stores each item in
its own transaction and moves the feed's cursor only when all of that poll's new items are
stored, so a killed poller loses nothing and stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accord.db.base import utcnow
from accord.db.session import session_scope
from accord.feeds import service, stories
from accord.feeds.fetch import Fetcher, FetchError, FetchPolicy
from accord.feeds.models import Feed, FeedItem
from accord.feeds.parse import Entry, FeedFormatError, parse_feed
from accord.feeds.text import html_to_text
from accord.feeds.urls import canonical_url
from accord.sources.blobs import BlobStore
from accord.sources.readers import Metadata

# An entry whose own text is at least this long is stored as is; shorter ones fetch the page.
FULL_TEXT_CHARS = 800
# When the page cannot be fetched, an entry's own text of at least this length is stored instead;
# a shorter one (a one-line teaser) is retried at the next poll.
FALLBACK_CHARS = 200
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True)
class FeedSnapshot:
    """What a worker needs to know of a feed."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    publisher: str | None
    language: str | None


@dataclass
class FetchedItem:
    """A new entry, ready to store (``document``), or failed (``error``; ``transient`` retries)."""

    key: str
    canonical: str | None
    document: service.ItemDocument | None = None
    error: str | None = None
    transient: bool = False


@dataclass
class FeedResult:
    """One feed's fetch: its new items, its new cursor, or why it failed."""

    feed_id: int
    url: str
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    items: list[FetchedItem] = field(default_factory=list)
    error: str | None = None


@dataclass
class PollReport:
    """What one poll did."""

    feeds: int = 0
    not_modified: int = 0
    new_items: int = 0
    new_sources: int = 0
    failed_items: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)
    stopped: bool = False


def _snapshot(feed: Feed) -> FeedSnapshot:
    return FeedSnapshot(
        feed.id,
        feed.url,
        feed.etag,
        feed.last_modified,
        feed.publisher or feed.name,
        feed.language,
    )


def _entry_text(entry: Entry) -> str:
    return html_to_text(entry.content_html or entry.summary_html or "")


def _document(
    entry: Entry, body: str, snap: FeedSnapshot, feed_title: str | None, language: str | None
) -> service.ItemDocument:
    title = entry.title or ""
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    meta = Metadata(
        title=entry.title,
        publisher=snap.publisher or feed_title,
        url=entry.link,
        published_at=entry.published,
        language=snap.language or language,
    )
    return service.ItemDocument(text.encode("utf-8"), "feed-item.txt", meta)


def fetch_feed(
    fetcher: Fetcher,
    snap: FeedSnapshot,
    known: set[str],
    known_urls: set[str],
    stop: threading.Event,
) -> FeedResult:
    """Fetch and parse one feed, and build the documents of its entries not seen before."""
    result = FeedResult(snap.id, snap.url)
    try:
        response = fetcher.get(
            snap.url, etag=snap.etag, last_modified=snap.last_modified, accept=FEED_ACCEPT
        )
    except FetchError as exc:
        result.error = str(exc)
        return result
    if response.not_modified:
        result.not_modified = True
        result.etag, result.last_modified = snap.etag, snap.last_modified
        return result
    result.etag = response.headers.get("etag")
    result.last_modified = response.headers.get("last-modified")
    try:
        parsed = parse_feed(
            response.body, content_type=response.headers.get("content-type"), url=snap.url
        )
    except FeedFormatError as exc:
        result.error = str(exc)
        return result
    seen_now: set[str] = set()
    for entry in parsed.entries:
        if entry.key in known or entry.key in seen_now:
            continue
        if stop.is_set():
            result.error = "stopped before every item was fetched"
            break
        seen_now.add(entry.key)
        result.items.append(
            _fetch_item(fetcher, entry, snap, parsed.title, parsed.language, known_urls)
        )
    return result


def _fetch_item(
    fetcher: Fetcher,
    entry: Entry,
    snap: FeedSnapshot,
    feed_title: str | None,
    language: str | None,
    known_urls: set[str],
) -> FetchedItem:
    canonical = canonical_url(entry.link) if entry.link else None
    item = FetchedItem(entry.key, canonical)
    own_text = _entry_text(entry)
    if canonical and canonical in known_urls:
        return item  # stored already from another feed or under another id: link it
    if len(own_text) >= FULL_TEXT_CHARS or not entry.link:
        if own_text.strip() or entry.title:
            item.document = _document(entry, own_text, snap, feed_title, language)
        else:
            item.error = "the entry has neither text nor a link"
        return item
    try:
        page = fetcher.get(entry.link, accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
    except FetchError as exc:
        if len(own_text) >= FALLBACK_CHARS:
            item.document = _document(entry, own_text, snap, feed_title, language)
        else:
            item.error, item.transient = str(exc), True
        return item
    meta = Metadata(
        title=entry.title,
        publisher=snap.publisher or feed_title,
        url=entry.link,
        published_at=entry.published,
        language=snap.language or language,
    )
    item.document = service.ItemDocument(page.body, "article.html", meta)
    return item


def _store(
    url: str,
    result: FeedResult,
    *,
    by: str,
    blobs: BlobStore,
    index: stories.StoryIndex,
    extract: bool,
    stop: threading.Event,
    report: PollReport,
) -> None:
    stored, failed_transient = 0, 0
    problems: list[str] = []
    for item in result.items:
        if stop.is_set():
            report.stopped = True
            return  # the cursor stays: the next poll sees the rest again
        if item.transient:
            failed_transient += 1
            problems.append(item.error or "failed")
            continue
        try:
            with session_scope(url) as session:
                feed = session.get(Feed, result.feed_id)
                if feed is None:
                    return  # removed meanwhile
                row, added = service.store_item(
                    session,
                    feed,
                    item.key,
                    item.canonical,
                    item.document,
                    by=by,
                    blobs=blobs,
                    index=index,
                    extract=extract,
                    error=item.error,
                )
                if row.error:
                    problems.append(row.error)
        except IntegrityError:
            continue  # another poller stored this item first
        stored += 1
        report.new_sources += int(added)
    report.new_items += stored
    report.failed_items += failed_transient + sum(
        1 for i in result.items if i.error and not i.transient
    )
    error = result.error or (
        f"{len(problems)} item(s) failed, e.g. {problems[0]}" if problems else None
    )
    with session_scope(url) as session:
        if session.get(Feed, result.feed_id) is None:
            return
        service.record_poll(
            session,
            result.feed_id,
            new_items=stored,
            etag=result.etag,
            last_modified=result.last_modified,
            error=error,
            advance_cursor=result.error is None and failed_transient == 0,
        )
    if error:
        report.errors.append({"feed": result.feed_id, "url": result.url, "error": error})


def poll(
    url: str,
    feed_ids: list[int] | None = None,
    *,
    by: str,
    blobs: BlobStore,
    policy: FetchPolicy | None = None,
    extract: bool = True,
    workers: int = 16,
    stop: threading.Event | None = None,
    on_feed: Callable[[FeedResult], None] | None = None,
) -> PollReport:
    """Poll the feeds named (default: all) once; return what was stored."""
    stop = stop or threading.Event()
    report = PollReport()
    with session_scope(url, read_only=True) as session:
        feeds = service.list_feeds(session)
        if feed_ids is not None:
            wanted = set(feed_ids)
            feeds = [f for f in feeds if f.id in wanted]
        snaps = [_snapshot(f) for f in feeds]
        known = service.known_keys(session, [s.id for s in snaps])
        known_urls = {
            u
            for u in session.scalars(select(FeedItem.url).where(FeedItem.source_id.is_not(None)))
            if u
        }
        index = stories.load_index(session)
    report.feeds = len(snaps)
    with Fetcher(policy) as fetcher, ThreadPoolExecutor(max(1, workers)) as pool:
        pending: set[Future[FeedResult]] = {
            pool.submit(fetch_feed, fetcher, s, known[s.id], known_urls, stop) for s in snaps
        }
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                report.not_modified += int(result.not_modified)
                _store(
                    url,
                    result,
                    by=by,
                    blobs=blobs,
                    index=index,
                    extract=extract,
                    stop=stop,
                    report=report,
                )
                if on_feed is not None:
                    on_feed(result)
            if stop.is_set():
                report.stopped = True
                for future in pending:
                    future.cancel()
                break
    return report


def watch(
    url: str,
    *,
    by: str,
    blobs: BlobStore,
    policy: FetchPolicy | None = None,
    extract: bool = True,
    workers: int = 16,
    stop: threading.Event,
    on_poll: Callable[[PollReport], None] | None = None,
    max_sleep_s: float = 5.0,
) -> None:
    """Poll each feed when its interval has passed, until ``stop`` is set."""
    while not stop.is_set():
        with session_scope(url, read_only=True) as session:
            due = [f.id for f in service.due(session)]
            feeds = service.list_feeds(session)
        if due:
            report = poll(
                url,
                due,
                by=by,
                blobs=blobs,
                policy=policy,
                extract=extract,
                workers=workers,
                stop=stop,
            )
            if on_poll is not None:
                on_poll(report)
            continue
        now = utcnow()
        waits = [
            ((f.last_polled_at or now) + dt.timedelta(seconds=f.interval_s) - now).total_seconds()
            for f in feeds
        ]
        stop.wait(min([max_sleep_s, *[max(w, 0.05) for w in waits]]))
