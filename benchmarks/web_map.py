"""The web map with N incidents (default 100,000) in Chromium: payload and time to first render.

A fresh SQLite database gets the real outlines and snapshot (``../shared/data/ukraine/``) and N
synthetic incidents spread along the front over 30 days; the app is served by Uvicorn on
loopback and Debian's Chromium (Playwright) opens ``/map`` signed in as an analyst. Measured:
bytes of the incident and layer responses, and the time from navigation to the basemap drawn
and to the incidents drawn (cold: the layers computed; warm: served from the cache). Yardstick:
the bytes of the same window as one point per incident (what the map would carry unaggregated).
Usage: ``python benchmarks/web_map.py [--incidents 100000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import uvicorn
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).parent))
from territory_map import DATA, DAY, load

from accord.config import get_settings
from accord.db.session import session_scope
from accord.incidents import mapgrid
from accord.incidents.models import Incident
from accord.users import service as users
from accord.web.app import create_app

PASSWORD = "bench-password-1"  # noqa: S105 — a throwaway user in a temporary database


def add_incidents(url: str, n: int) -> None:
    """Insert n incidents near the front (Donetsk-Zaporizhzhia) over the 30 days to DAY."""
    rng = np.random.default_rng(7)
    types = ["explosion", "projectile", "small-arms-hmg-fire", "heavy-weapons", "military-presence"]
    with session_scope(url) as session:
        for start in range(0, n, 20_000):
            rows = []
            for i in range(start, min(n, start + 20_000)):
                on = DAY - dt.timedelta(days=int(rng.integers(0, 30)))
                t = float(rng.uniform(0, 1))
                rows.append(
                    {
                        "occurred_at": dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC),
                        "occurred_on": on,
                        "time_precision": "hour",
                        "latitude": 47.0 + 1.9 * t + float(rng.normal(0, 0.15)),
                        "longitude": 35.0 + 3.3 * t + float(rng.normal(0, 0.15)),
                        "location_precision": "exact",
                        "type": types[i % len(types)],
                        "status": "verified" if i % 7 == 0 else "reported",
                        "sources": [],
                        "created_by": "bench",
                    }
                )
            session.execute(insert(Incident), rows)
        users.create(session, "analyst", "analyst", PASSWORD, by="bench")


@contextmanager
def serving(url: str) -> Iterator[str]:
    """Serve the app on a free loopback port; yield its base URL."""
    secret = "bench-secret"  # noqa: S105 — a throwaway app on loopback
    app = create_app(get_settings(secret_key=secret), url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def open_map(page: object, base: str) -> dict[str, float]:
    """Open the map once; return seconds to the basemap and to the incidents, and bytes."""
    sizes: dict[str, int] = {}

    def on_response(response: object) -> None:
        u = response.url  # type: ignore[attr-defined]
        if "/api/v1/map/" in u:
            key = "incidents" if "/incidents" in u else "layers"
            sizes[key] = len(response.body())  # type: ignore[attr-defined]

    page.on("response", on_response)  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    page.goto(f"{base}/map?date={DAY}&days=30")  # type: ignore[attr-defined]
    page.wait_for_selector("#map[data-basemap=ready]", timeout=600_000)  # type: ignore[attr-defined]
    basemap = time.perf_counter() - t0
    page.wait_for_selector("#map[data-incidents]", timeout=600_000)  # type: ignore[attr-defined]
    drawn = time.perf_counter() - t0
    page.remove_listener("response", on_response)  # type: ignore[attr-defined]
    return {
        "basemap_s": round(basemap, 2),
        "incidents_drawn_s": round(drawn, 2),
        "incidents_bytes": sizes.get("incidents", 0),
        "layers_bytes": sizes.get("layers", 0),
        "features_drawn": int(page.get_attribute("#map", "data-incidents") or 0),  # type: ignore[attr-defined]
    }


def main() -> None:
    """Build, serve, measure; print JSON."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit("../shared/data/ukraine is not present")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/t.db"
        load(url)
        add_incidents(url, args.incidents)
        with session_scope(url) as session:
            raw = mapgrid.layer(session, DAY, 30, max_points=10**9)
        raw_bytes = len(json.dumps(raw, separators=(",", ":")))
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with serving(url) as base, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/login")
            page.fill("input[name=name]", "analyst")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/board")
            cold = open_map(page, base)
            warm = open_map(page, base)
            page.screenshot(path=str(Path(tempfile.gettempdir()) / "web-map-bench.png"))
            browser.close()
    print(
        json.dumps(
            {
                "incidents": args.incidents,
                "cold": cold,
                "warm": warm,
                "yardstick_unaggregated_points_bytes": raw_bytes,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
