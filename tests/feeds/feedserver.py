"""A real local HTTP server for feed tests: static routes with ETags, and hostile handlers."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

Handler = Callable[[BaseHTTPRequestHandler], None]

PARAGRAPH = (
    "Negotiators met again on {topic} and said the talks on the draft text moved forward, "
    "while officials on both sides cautioned that several questions remain open and that any "
    "agreement would need approval at home. "
)


def article_text(topic: str, paragraphs: int = 6) -> str:
    """Return a plain article body about a topic (several paragraphs, over 800 characters)."""
    return "\n\n".join(PARAGRAPH.format(topic=f"{topic} (part {i})") for i in range(paragraphs))


@dataclass
class Item:
    """One feed item."""

    guid: str
    link: str
    title: str
    text: str | None = None  # full text in the feed; None: only a summary, the page has it
    published: str = "Sat, 05 Dec 2026 10:00:00 GMT"


def rss(items: list[Item], *, title: str = "Test feed", encoding: str = "utf-8") -> bytes:
    """Return an RSS 2.0 document with content:encoded for items that carry full text."""
    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>http://example.org/</link>",
        "<description>d</description><language>en</language>",
    ]
    for it in items:
        parts.append(
            f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
            f"<guid>{escape(it.guid)}</guid><pubDate>{it.published}</pubDate>"
            f"<description>{escape(it.title)}</description>"
        )
        if it.text:
            html = "".join(f"<p>{escape(p)}</p>" for p in it.text.split("\n\n"))
            parts.append(f"<content:encoded><![CDATA[{html}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def article_page(title: str, text: str) -> bytes:
    """Return an HTML article page."""
    body = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title></head><body><nav>Home | World</nav><article><h1>{escape(title)}</h1>{body}"
        "</article><footer>Copyright</footer></body></html>"
    ).encode()


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 whose routes the test sets."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.hits[self.path] += 1
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """Return the URL of a path on this server."""
        return f"http://{host}:{self.port}{path}"

    def static(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: float | None = None,
        status: int = 200,
        delay: float = 0.0,
    ) -> None:
        """Serve a fixed body, answering conditional GETs with 304 when they match."""

        def handle(h: BaseHTTPRequestHandler) -> None:
            if delay:
                time.sleep(delay)
            lm = format_datetime(_utc(last_modified), usegmt=True) if last_modified else None
            if (etag and h.headers.get("If-None-Match") == etag) or (
                lm and not etag and h.headers.get("If-Modified-Since") == lm
            ):
                h.send_response(304)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            h.send_response(status)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(body)))
            if etag:
                h.send_header("ETag", etag)
            if lm:
                h.send_header("Last-Modified", lm)
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = handle

    def handler(self, path: str, fn: Handler) -> None:
        """Serve a path with a handler of the test's own."""
        self.routes[path] = fn


def _utc(ts: float) -> Any:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC)
