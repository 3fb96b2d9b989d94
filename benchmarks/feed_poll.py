"""Poll many feeds from local servers: accord's poller beside a plain sequential loop.

A separate process serves FEEDS feeds of ITEMS full-text items each, spread over SERVERS ports
(accord's politeness limits apply per host and port: 2 requests at a time, 1 s apart), each
answer delayed by LATENCY seconds to stand in for a network round trip. The yardstick fetches
each feed with httpx and parses it with feedparser, one after another, and stores nothing.
accord's poller fetches, parses, and stores every item as a source (blob, row, audit events,
story group; claim extraction off), one transaction per item, into a new SQLite database.
Prints items/s and CPU seconds (user + system of this process) for both.

    python benchmarks/feed_poll.py --feeds 1000 --items 20 --latency 0.2 --servers 100
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (
    "talks ceasefire guarantees envoy draft territory withdrawal council monitors exchange "
    "prisoners sanctions reconstruction elections sovereignty line contact zone delegation "
    "minister capital summit proposal frame agreement signing deadline verification report "
    "observers corridor shelling village river bridge plant reactor convoy humanitarian aid "
    "spokesman statement tuesday officials negotiators partners allies parliament vote"
).split()


def feed_body(feed: int, items: int, port: int) -> bytes:
    """Return an RSS 2.0 feed of full-text items with varied words (seeded by the feed)."""
    rng = random.Random(feed)  # noqa: S311 (made-up text, not secrets)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>Feed {feed}</title><link>http://127.0.0.1:{port}/</link>",
        "<description>bench</description><language>en</language>",
    ]
    for i in range(items):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(4)
        ]
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
        link = f"http://127.0.0.1:{port}/f{feed}/a{i}"
        parts.append(
            f"<item><title>Feed {feed} item {i}</title><link>{link}</link>"
            f"<guid>f{feed}-i{i}</guid><pubDate>Sat, 05 Dec 2026 10:00:00 GMT</pubDate>"
            f"<description>{escape(paragraphs[0][:80])}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def _serve(ports: list[int], bodies: dict[str, bytes], latency: float, ready: object) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if latency:
                time.sleep(latency)
            body = bodies.get(f"{self.server.server_address[1]}{self.path}")  # type: ignore[attr-defined]
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *_a: object) -> None:
            pass

    for port in ports:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ready.set()  # type: ignore[attr-defined]
    threading.Event().wait()


def _free_ports(n: int) -> list[int]:
    import socket

    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def yardstick(urls: list[str]) -> tuple[int, float, float]:
    """Fetch and parse each feed in turn (httpx + feedparser); return items, seconds, CPU s."""
    import feedparser
    import httpx

    items = 0
    cpu0, t0 = _cpu(), time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for url in urls:
            items += len(feedparser.parse(client.get(url).content).entries)
    return items, time.perf_counter() - t0, _cpu() - cpu0


def accord_poll(urls: list[str], workers: int) -> tuple[int, float, float]:
    """Poll with accord into a new SQLite database; return items stored, seconds, CPU s."""
    from accord.db import migrate
    from accord.db.session import session_scope
    from accord.feeds import poller, service
    from accord.feeds.fetch import FetchPolicy
    from accord.sources.blobs import BlobStore

    folder = Path(tempfile.mkdtemp(prefix="feed-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate.upgrade(url)
    with session_scope(url) as s:
        for feed_url in urls:
            service.add(s, feed_url, by="bench")
    cpu0, t0 = _cpu(), time.perf_counter()
    report = poller.poll(
        url,
        by="bench",
        blobs=BlobStore(folder / "blobs"),
        extract=False,
        workers=workers,
        policy=FetchPolicy(allow_private=True),
    )
    seconds, cpu = time.perf_counter() - t0, _cpu() - cpu0
    if report.errors:
        raise SystemExit(f"poll errors: {report.errors[:3]}")
    return report.new_items, seconds, cpu


def main() -> None:
    """Run both and print one JSON line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--servers", type=int, default=25)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--workers", type=int, default=64)
    args = ap.parse_args()
    ports = _free_ports(args.servers)
    bodies: dict[str, bytes] = {}
    urls = []
    for feed in range(args.feeds):
        port = ports[feed % len(ports)]
        bodies[f"{port}/f{feed}.xml"] = feed_body(feed, args.items, port)
        urls.append(f"http://127.0.0.1:{port}/f{feed}.xml")
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    server = ctx.Process(target=_serve, args=(ports, bodies, args.latency, ready), daemon=True)
    server.start()
    ready.wait(30)
    try:
        y_items, y_s, y_cpu = yardstick(urls)
        a_items, a_s, a_cpu = accord_poll(urls, args.workers)
    finally:
        server.terminate()
    result = {
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "servers": args.servers,
        "latency_s": args.latency,
        "workers": args.workers,
        "yardstick": {
            "items": y_items,
            "seconds": round(y_s, 2),
            "items_per_s": round(y_items / y_s, 1),
            "cpu_s": round(y_cpu, 2),
        },
        "accord": {
            "items": a_items,
            "seconds": round(a_s, 2),
            "items_per_s": round(a_items / a_s, 1),
            "cpu_s": round(a_cpu, 2),
        },
        "speedup": round((a_items / a_s) / (y_items / y_s), 2),
        "loadavg": os.getloadavg(),
        "python": sys.version.split()[0],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
