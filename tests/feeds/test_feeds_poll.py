"""Polling feeds from a real local server: new items become sources once, formats, cursors."""

from __future__ import annotations

from sqlalchemy import func, select

from accord.audit.models import AuditEvent
from accord.db.session import session_scope
from accord.feeds import poller, service
from accord.feeds.fetch import FetchPolicy
from accord.feeds.models import Feed, FeedItem, StoryMember
from accord.sources.blobs import BlobStore
from accord.sources.models import Source
from feeds.feedserver import FeedServer, Item, article_page, article_text, rss


def _add(url: str, feed_url: str, **kw: object) -> int:
    with session_scope(url) as s:
        return service.add(s, feed_url, by="tester", **kw).id  # type: ignore[arg-type]


def _count(url: str, model: type) -> int:
    with session_scope(url, read_only=True) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _poll(url: str, blobs: BlobStore, policy: FetchPolicy) -> poller.PollReport:
    return poller.poll(url, by="tester", blobs=blobs, policy=policy, extract=False, workers=4)


def test_new_items_become_sources_once(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    items = [
        Item(f"id-{i}", server.url(f"/a/{i}"), f"Story {i}", article_text(f"topic {i}"))
        for i in range(3)
    ]
    items.append(Item("id-page", server.url("/a/page"), "Page story"))  # summary only
    server.static("/feed.xml", rss(items), etag='"v1"')
    server.static(
        "/a/page", article_page("Page story", article_text("the page")), content_type="text/html"
    )
    _add(feed_db, server.url("/feed.xml"), publisher="Test Wire")

    first = _poll(feed_db, blobs, policy)
    assert (first.new_items, first.new_sources, first.errors) == (4, 4, [])
    assert server.hits["/a/page"] == 1  # only the summary-only item fetched its page
    with session_scope(feed_db, read_only=True) as s:
        page = s.scalar(select(Source).where(Source.title == "Page story"))
        assert page is not None and "the page (part 3)" in page.text
        assert "Home | World" not in page.text  # trafilatura dropped the page furniture
        assert page.publisher == "Test Wire" and page.url == server.url("/a/page")
        ingests = s.scalar(select(func.count()).where(AuditEvent.action == "source.ingest"))
        assert ingests == 4
        feed = s.scalar(select(Feed))
        assert feed is not None and feed.etag == '"v1"' and feed.items_seen == 4
        assert feed.last_success_at is not None and feed.last_error is None
    assert _count(feed_db, StoryMember) == 4

    second = _poll(feed_db, blobs, policy)
    assert (second.new_items, second.not_modified) == (0, 1)
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    server.static("/feed.xml", rss(items))  # no ETag now: a full body again, nothing new in it
    third = _poll(feed_db, blobs, policy)
    assert (third.new_items, third.not_modified) == (0, 0)
    assert _count(feed_db, Source) == 4 and _count(feed_db, FeedItem) == 4


def test_last_modified_cursor(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    body = rss([Item("x", server.url("/x"), "X", article_text("x"))])
    server.static("/lm.xml", body, last_modified=1_764_900_000)
    _add(feed_db, server.url("/lm.xml"))
    assert _poll(feed_db, blobs, policy).new_items == 1
    assert _poll(feed_db, blobs, policy).not_modified == 1
    assert "If-Modified-Since" in server.requests[-1][1]


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom test</title><id>urn:t</id>
<updated>2026-12-05T10:00:00Z</updated>
<entry><title>Atom story</title><id>urn:e1</id><link href="/atom/1"/>
<updated>2026-12-04T09:00:00Z</updated><content type="html">{html}</content></entry>
</feed>"""

RSS10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="http://x/"><title>RSS 1.0</title><link>http://x/</link><description>d</description>
<items><rdf:Seq><rdf:li rdf:resource="{link}"/></rdf:Seq></items></channel>
<item rdf:about="{link}"><title>RDF story</title><link>{link}</link>
<content:encoded><![CDATA[{html}]]></content:encoded></item></rdf:RDF>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>http://x/</link><description>d</description><language>en</language>
<item><title>Old story</title><link>{link}</link><description>{text}</description></item>
</channel></rss>"""


def test_atom_rss10_rss091_and_json_feed(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    from xml.sax.saxutils import escape

    html = "".join(f"<p>{p}</p>" for p in article_text("atom").split("\n\n"))
    server.static(
        "/atom.xml", ATOM.format(html=escape(html)).encode(), content_type="application/atom+xml"
    )
    rdf_html = html.replace("atom", "rdf")
    server.static(
        "/rdf.xml",
        RSS10.format(link=server.url("/rdf/1"), html=rdf_html).encode(),
        content_type="application/rdf+xml",
    )
    server.static(
        "/old.xml",
        RSS091.format(
            link=server.url("/old/1"), text=article_text("old").replace("\n\n", " ")
        ).encode(),
        content_type="text/xml",
    )
    import json

    jf = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON test",
        "items": [
            {
                "id": "j1",
                "url": server.url("/json/1"),
                "title": "JSON story",
                "content_text": article_text("json"),
                "date_published": "2026-12-03T08:00:00Z",
            },
        ],
    }
    server.static("/feed.json", json.dumps(jf).encode(), content_type="application/feed+json")
    for path in ("/atom.xml", "/rdf.xml", "/old.xml", "/feed.json"):
        _add(feed_db, server.url(path))
    report = _poll(feed_db, blobs, policy)
    assert report.errors == [] and report.new_sources == 4
    with session_scope(feed_db, read_only=True) as s:
        by_title = {src.title: src for src in s.scalars(select(Source))}
    assert set(by_title) == {"Atom story", "RDF story", "Old story", "JSON story"}
    assert by_title["Atom story"].url == server.url("/atom/1")  # relative link resolved
    assert str(by_title["JSON story"].published_at) == "2026-12-03"
    assert "json (part 5)" in by_title["JSON story"].text


def test_same_item_under_two_urls_is_one_source(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    text = article_text("syndicated")
    base = server.url("/news/deal")
    items = [
        Item("guid-a", base + "?utm_source=rss&utm_medium=feed", "Deal", text),
        Item("guid-b", server.url("/amp/news/deal"), "Deal", text),
    ]
    server.static("/one.xml", rss(items))
    server.static("/two.xml", rss([Item("other-feed", base + "/amp", "Deal (copy)", None)]))
    one = _add(feed_db, server.url("/one.xml"))
    two = _add(feed_db, server.url("/two.xml"))
    for feed_id in (one, two):
        report = poller.poll(feed_db, [feed_id], by="t", blobs=blobs, policy=policy, extract=False)
        assert report.errors == []
    assert _count(feed_db, Source) == 1
    assert _count(feed_db, FeedItem) == 3
    assert server.hits["/news/deal/amp"] == 0  # known canonical URL: no page fetched
    with session_scope(feed_db, read_only=True) as s:
        ids = set(s.scalars(select(FeedItem.source_id)))
    assert len(ids) == 1


def test_failed_page_keeps_the_cursor_and_is_retried(
    feed_db: str, server: FeedServer, policy: FetchPolicy, blobs: BlobStore
) -> None:
    items = [Item("p1", server.url("/p/1"), "Later page")]
    server.static("/f.xml", rss(items), etag='"e"')
    _add(feed_db, server.url("/f.xml"))
    report = _poll(feed_db, blobs, policy)  # the page is 404 for now
    assert report.new_items == 0 and report.failed_items == 1
    with session_scope(feed_db, read_only=True) as s:
        feed = s.scalar(select(Feed))
        assert feed is not None and feed.etag is None and "HTTP 404" in (feed.last_error or "")
    server.static(
        "/p/1", article_page("Later page", article_text("later")), content_type="text/html"
    )
    again = _poll(feed_db, blobs, policy)
    assert again.new_items == 1 and again.errors == []
    with session_scope(feed_db, read_only=True) as s:
        feed = s.scalar(select(Feed))
        assert feed is not None and feed.etag == '"e"'
        assert feed.last_success_at is not None and feed.last_error_at is not None
