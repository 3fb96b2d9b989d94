"""Alert latency: from a new article appearing to its alert arriving by webhook.

A local HTTP server serves an RSS feed and its article pages (our own words). ``accord watch``
polls the feed every ``--interval`` seconds and, after a poll that stored something, evaluates the
alert subscriptions; ``accord alerts watch --send-only --interval 1`` delivers the outbox. A board
subscription posts to a local webhook receiver. Each round adds one article that flips Russia's
stance on the guarantees, and the time from the item's appearance to the webhook's arrival is
taken. The yardstick is the goal: the poll interval plus 5 s. A second path is measured beside it:
``accord ingest`` of such an article (which evaluates at once) to the webhook's arrival.

    python benchmarks/alert_latency.py --interval 10 --rounds 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
STANCES = [("supports", "support"), ("rejects", "oppose")]
BODY = (
    "<p>Officials in Moscow spoke to reporters on {day} about the draft security arrangements "
    "for Ukraine that have been discussed with Washington and European capitals for weeks.</p>"
    "<p>The Kremlin said Russia {verb} the security guarantees offered by the United States, "
    "a spokesman told the briefing, adding that the wording of the text was still being "
    "negotiated by the delegations.</p>"
    "<p>Diplomats from several countries said further meetings were planned for the coming "
    "days, and that the question of monitoring a future ceasefire would be taken up "
    "separately by the working groups.</p>"
)


class Site:
    """The feed's items, and the arrival times the webhook receiver noted."""

    def __init__(self) -> None:
        """Start with no items."""
        self.items: list[dict[str, Any]] = []
        self.arrivals: list[tuple[float, dict[str, Any]]] = []
        self.appeared_wall: dict[int, float] = {}
        self.lock = threading.Lock()

    def add(self, n: int) -> float:
        """Publish article ``n``; return the moment it appeared."""
        verb = STANCES[0 if n == 0 else 1][0]  # the feed's new articles reject, ingest supports
        day = dt.date(2025, 12, 1) + dt.timedelta(days=n)
        with self.lock:
            self.items.append({"n": n, "day": day, "verb": verb})
            self.appeared_wall[n] = time.time()
            return time.monotonic()

    def rss(self, base: str) -> bytes:
        """Return the feed, newest item first."""
        with self.lock:
            items = list(reversed(self.items))
        entries = "".join(
            f"<item><title>Moscow briefing {i['n']}</title><link>{base}/a/{i['n']}.html</link>"
            f"<guid>{base}/a/{i['n']}.html</guid><pubDate>"
            f"{format_datetime(dt.datetime.combine(i['day'], dt.time(9), tzinfo=dt.UTC))}"
            "</pubDate></item>"
            for i in items
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Local wire</title>'
            f"<link>{base}/</link><description>bench</description>{entries}</channel></rss>"
        ).encode()

    def page(self, n: int) -> bytes | None:
        """Return article ``n``'s HTML page."""
        with self.lock:
            found = [i for i in self.items if i["n"] == n]
        if not found:
            return None
        i = found[0]
        return (
            f"<html><head><title>Moscow briefing {n}</title></head><body><article>"
            f"<h1>Moscow briefing {n}</h1>"
            + BODY.format(day=i["day"].isoformat(), verb=i["verb"])
            + "</article></body></html>"
        ).encode()


def serve(site: Site) -> tuple[ThreadingHTTPServer, str]:
    """Serve the feed, the pages and the webhook on a free loopback port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path == "/feed.xml":
                self._send(200, site.rss(base), "application/rss+xml")
            elif self.path.startswith("/a/"):
                body = site.page(int(self.path[3:].split(".")[0]))
                self._send(200 if body else 404, body or b"", "text/html; charset=utf-8")
            else:
                self._send(404, b"", "text/plain")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with site.lock:
                site.arrivals.append((time.monotonic(), {**json.loads(body), "_at": time.time()}))
            self._send(200, b"ok", "text/plain")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def accord(env: dict[str, str], *args: str) -> str:
    """Run one accord command; return its output."""
    out = subprocess.run(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "accord.cli.main", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def wait_arrival(site: Site, count: int, timeout: float) -> float | None:
    """Wait for the ``count``-th webhook; return its arrival time."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with site.lock:
            if len(site.arrivals) >= count:
                return site.arrivals[count - 1][0]
        time.sleep(0.02)
    return None


def breakdown(db: str, base: str, site: Site, arrivals: list[int]) -> dict[str, list[float]]:
    """Split each feed round's time: item to stored source, source to alert, alert to webhook."""
    sys.path.insert(0, str(SRC))
    from sqlalchemy import select

    from accord.db.session import session_scope
    from accord.sources.models import Source

    stages: dict[str, list[float]] = {
        "item_to_source": [],
        "source_to_alert": [],
        "alert_to_webhook": [],
    }
    with session_scope(db, read_only=True) as session:
        for n, index in enumerate(arrivals, start=1):
            stored = session.scalar(
                select(Source.ingested_at).where(Source.url == f"{base}/a/{n}.html")
            )
            payload = site.arrivals[index][1]
            created = dt.datetime.fromisoformat(payload["alerts"][0]["created_at"]).timestamp()
            if stored is None:
                continue
            stages["item_to_source"].append(stored.timestamp() - site.appeared_wall[n])
            stages["source_to_alert"].append(created - stored.timestamp())
            stages["alert_to_webhook"].append(payload["_at"] - created)
    return stages


def main() -> None:
    """Run the rounds and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=int, default=10, help="feed poll interval, seconds")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    site = Site()
    server, base = serve(site)
    folder = Path(tempfile.mkdtemp(prefix="alert-latency-"))
    db = f"sqlite:///{folder / 'accord.db'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "ACCORD_HOME": str(folder),
        "ACCORD_DB": db,
        "ACCORD_FEEDS_ALLOW_PRIVATE": "1",
        "ACCORD_USER": "bench",
    }
    accord(env, "init")
    site.add(0)  # Russia's first stance is on the board before the subscription
    accord(env, "feeds", "add", f"{base}/feed.xml", "--interval", str(args.interval))
    accord(env, "feeds", "poll")
    accord(env, "alerts", "subscribe", "board", "--holder", "ru", "--webhook", f"{base}/hook")
    watchers = [
        subprocess.Popen(  # noqa: S603 (our own command line)
            [sys.executable, "-m", "accord.cli.main", *cmd],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for cmd in (["watch"], ["alerts", "watch", "--send-only", "--interval", "1"])
    ]
    feed_times: list[float] = []
    ingest_times: list[float] = []
    feed_arrivals: list[int] = []
    try:
        time.sleep(args.interval + 3)  # both running, the first poll done
        for n in range(1, args.rounds + 1):
            appeared = site.add(n)
            arrived = wait_arrival(
                site, len(feed_times) + len(ingest_times) + 1, 4 * args.interval + 200
            )
            if arrived is None:
                raise SystemExit(f"round {n}: no webhook within the time-out")
            feed_times.append(arrived - appeared)
            feed_arrivals.append(len(site.arrivals) - 1)
            # the other path: `accord ingest` of an article that flips the stance back
            note = folder / f"note-{n}.md"
            note.write_text(
                f"Title: Note {n}\nDate: {dt.date(2025, 12, 1) + dt.timedelta(days=n)}\n\n"
                f"The Kremlin said Russia {STANCES[0][0]} the security guarantees "
                "offered by the United States.\n"
            )
            started = time.monotonic()
            accord(env, "ingest", str(note))
            arrived = wait_arrival(site, len(feed_times) + len(ingest_times) + 1, 200)
            if arrived is None:
                raise SystemExit(f"round {n}: no webhook after ingest")
            ingest_times.append(arrived - started)
    finally:
        for w in watchers:
            w.terminate()
        for w in watchers:
            w.wait(30)
        server.shutdown()

    stages = breakdown(db, base, site, feed_arrivals)

    def figures(values: list[float]) -> dict[str, float]:
        return {
            "min_s": round(min(values), 2),
            "median_s": round(statistics.median(values), 2),
            "max_s": round(max(values), 2),
        }

    print(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}",
                "interval_s": args.interval,
                "goal_s": args.interval + 5,
                "rounds": args.rounds,
                "feed_to_webhook": figures(feed_times),
                "ingest_to_webhook": figures(ingest_times),
                "feed_stages_median_s": {
                    k: round(statistics.median(v), 2) for k, v in stages.items()
                },
                "webhooks": len(site.arrivals),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
