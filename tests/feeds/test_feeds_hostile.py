"""Hostile servers: every bad answer ends as one line in the feed's health, nothing half-stored."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
from sqlalchemy import func, select

from accord.db.session import session_scope
from accord.feeds import poller, service
from accord.feeds.fetch import Fetcher, FetchError, FetchPolicy
from accord.feeds.models import Feed
from accord.sources.blobs import BlobStore
from accord.sources.models import Source
from feeds.feedserver import FeedServer, Item, article_text, rss


def _poll_one(
    url: str, server: FeedServer, path: str, blobs: BlobStore, policy: FetchPolicy
) -> tuple[poller.PollReport, Feed]:
    with session_scope(url) as s:
        feed_id = service.add(s, server.url(path), by="t").id
    report = poller.poll(url, [feed_id], by="t", blobs=blobs, policy=policy, extract=False)
    with session_scope(url, read_only=True) as s:
        feed = s.get(Feed, feed_id)
        assert feed is not None
        s.expunge(feed)
    return report, feed


def _sources(url: str) -> int:
    with session_scope(url, read_only=True) as s:
        return int(s.scalar(select(func.count()).select_from(Source)) or 0)


def _endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<item><title>x</title></item>" * 100
    while True:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _drip(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b"<")
        h.wfile.flush()
        time.sleep(0.5)


def _silent(h: BaseHTTPRequestHandler) -> None:
    time.sleep(3)


BOMB = gzip.compress(b"\0" * 20_000_000, compresslevel=1)  # 20 MB of zeros in ~90 KB


def _bomb(h: BaseHTTPRequestHandler) -> None:
    body = BOMB
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Encoding", "gzip")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def _redirect(to: str) -> object:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", to)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


def _oversized(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", str(10**9))
    h.end_headers()
    h.wfile.write(b"<rss>")


@pytest.mark.parametrize(
    ("path", "setup", "message"),
    [
        (
            "/garbage",
            lambda s: s.static("/garbage", b"\x00\x01 this is not < xml at all &&"),
            "not an RSS, Atom or JSON feed",
        ),
        ("/endless", lambda s: s.handler("/endless", _endless), "over the limit"),
        ("/oversized", lambda s: s.handler("/oversized", _oversized), "over the limit"),
        ("/drip", lambda s: s.handler("/drip", _drip), "not complete within"),
        ("/silent", lambda s: s.handler("/silent", _silent), "ReadTimeout"),
        ("/bomb", lambda s: s.handler("/bomb", _bomb), "(decoded)"),
        (
            "/loop-a",
            lambda s: (
                s.handler("/loop-a", _redirect("/loop-b")),
                s.handler("/loop-b", _redirect("/loop-a")),
            ),
            "redirect loop",
        ),
        (
            "/chain-0",
            lambda s: [s.handler(f"/chain-{i}", _redirect(f"/chain-{i + 1}")) for i in range(10)],
            "more than 5 redirects",
        ),
        (
            "/json-bad",
            lambda s: s.static(
                "/json-bad",
                b'{"version": "https://jsonfeed.org/version/1.1", "items": {"a": 1}}',
                content_type="application/feed+json",
            ),
            "'items' is not a list",
        ),
        ("/gone", lambda s: None, "HTTP 404"),
    ],
)
def test_hostile_answers_end_as_feed_errors(
    feed_db: str,
    server: FeedServer,
    policy: FetchPolicy,
    blobs: BlobStore,
    path: str,
    setup: object,
    message: str,
) -> None:
    setup(server)  # type: ignore[operator]
    started = time.monotonic()
    report, feed = _poll_one(feed_db, server, path, blobs, policy)
    assert time.monotonic() - started < 15
    assert report.new_items == 0 and len(report.errors) == 1
    assert message in (feed.last_error or ""), feed.last_error
    assert "\n" not in (feed.last_error or "")
    assert feed.last_success_at is None and feed.etag is None
    assert _sources(feed_db) == 0


def test_malformed_xml_still_yields_its_items(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    body = rss([Item("m1", server.url("/m/1"), "Broken & feed", article_text("broken"))])
    body = body.replace(b"</channel></rss>", b"<item><title>unclosed")  # cut off, bare &
    body = body.replace(b"Broken &amp; feed", b"Broken & feed")
    server.static("/broken.xml", body)
    report, feed = _poll_one(feed_db, server, "/broken.xml", blobs, policy)
    assert report.new_sources == 1 and feed.last_error is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # declared utf-8 in the header, the bytes are windows-1252
        (
            rss(
                [Item("e1", "http://x.test/e1", "Caf\u00e9 talks", article_text("caf\u00e9"))],
                encoding="windows-1252",
            ).replace(b'encoding="windows-1252"', b""),
            "application/rss+xml; charset=utf-8",
        ),
        # no charset anywhere, utf-8 bytes
        (
            rss(
                [Item("e1", "http://x.test/e1", "Caf\u00e9 talks", article_text("caf\u00e9"))]
            ).replace(b' encoding="utf-8"', b""),
            "application/rss+xml",
        ),
        # the header says latin-1, the XML declaration and bytes say utf-8
        (
            rss([Item("e1", "http://x.test/e1", "Caf\u00e9 talks", article_text("caf\u00e9"))]),
            "text/xml; charset=iso-8859-1",
        ),
    ],
    ids=["wrong-charset", "missing-charset", "conflicting-charset"],
)
def test_wrong_or_missing_encodings(
    feed_db: str,
    server: FeedServer,
    policy: FetchPolicy,
    blobs: BlobStore,
    body: bytes,
    content_type: str,
) -> None:
    server.static("/enc.xml", body, content_type=content_type)
    report, feed = _poll_one(feed_db, server, "/enc.xml", blobs, policy)
    assert report.new_sources == 1, feed.last_error
    with session_scope(feed_db, read_only=True) as s:
        title = s.scalar(select(Source.title))
    assert title is not None and title.startswith("Caf") and "talks" in title


def test_private_addresses_are_refused_unless_allowed(
    feed_db: str, server: FeedServer, blobs: BlobStore
) -> None:
    server.static("/f.xml", rss([Item("a", "http://x.test/a", "A", article_text("a"))]))
    _report, feed = _poll_one(feed_db, server, "/f.xml", blobs, FetchPolicy(retries=0))
    assert "non-public address 127.0.0.1" in (feed.last_error or "")
    assert "ACCORD_FEEDS_ALLOW_PRIVATE" in (feed.last_error or "")
    assert server.hits["/f.xml"] == 0
    for address in (
        "http://10.1.2.3/",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "http://192.168.0.1/",
        "file:///etc/passwd",
    ):
        with Fetcher(FetchPolicy()) as fetcher, pytest.raises(FetchError):
            fetcher.get(address)


def test_host_names_resolving_to_loopback_are_refused() -> None:
    """A name is resolved and each of its addresses checked (every redirect hop goes through it)."""
    from accord.feeds.fetch import check_address

    with pytest.raises(FetchError, match="non-public"):
        check_address("http://localhost:1/x", allow_private=False)
    check_address("http://localhost:1/x", allow_private=True)


def test_robots_txt_is_obeyed(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    server.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.static("/private/f.xml", rss([]))
    _report, feed = _poll_one(feed_db, server, "/private/f.xml", blobs, policy)
    assert "disallowed by" in (feed.last_error or "")
    assert server.hits["/private/f.xml"] == 0


def test_retries_with_backoff_then_succeeds(server: FeedServer, policy: FetchPolicy) -> None:
    calls: list[float] = []

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls.append(time.monotonic())
        status = 503 if len(calls) == 1 else 200
        body = b"ok"
        h.send_response(status)
        h.send_header("Content-Length", str(len(body)))
        if status == 503:
            h.send_header("Retry-After", "0.3")
        h.end_headers()
        h.wfile.write(body)

    server.handler("/flaky", flaky)
    with Fetcher(policy) as fetcher:
        assert fetcher.get(server.url("/flaky")).body == b"ok"
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.29  # Retry-After honoured


def test_per_host_concurrency_cap_and_spacing(server: FeedServer, policy: FetchPolicy) -> None:
    active, peak, starts = [0], [0], []
    lock = threading.Lock()

    def slow(h: BaseHTTPRequestHandler) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            starts.append(time.monotonic())
        time.sleep(0.7)  # without the cap, 0.2 s spacing would let 4 overlap
        with lock:
            active[0] -= 1
        h.send_response(200)
        h.send_header("Content-Length", "2")
        h.end_headers()
        h.wfile.write(b"ok")

    server.handler("/slow", slow)
    capped = FetchPolicy(**{**policy.__dict__, "host_concurrency": 2, "host_interval_s": 0.2})
    with Fetcher(capped) as fetcher:
        threads = [
            threading.Thread(target=fetcher.get, args=(server.url("/slow"),)) for _ in range(6)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert peak[0] == 2
    starts.sort()
    # 6 starts at least 0.2 s apart (the server sees them with some scheduling jitter)
    assert starts[-1] - starts[0] >= 5 * 0.2 - 0.1
