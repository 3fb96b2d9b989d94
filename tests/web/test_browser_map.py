"""The interactive map in Chromium on the demo database: offline, layers, incidents, figures.

Every request the page makes is recorded; all must go to the test server (no CDN, no tiles).
Screenshots go to tests/artifacts/map-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import a11y
import pytest
from fastapi import FastAPI

from conftest import PASSWORD, demo_site

pytestmark = pytest.mark.skipif(
    not Path(a11y.CHROMIUM).exists(), reason="Chromium is not installed"
)
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TOPMOST_INCIDENT = """() => {
  for (const e of document.querySelectorAll('.incident')) {
    const b = e.getBoundingClientRect();
    const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
    if (hit && e.contains(hit)) { return e.className; }
  }
  return '';
}"""


@pytest.fixture(scope="module")
def site(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FastAPI]]:
    """The demo database served by Uvicorn, one user per role."""
    with demo_site(demo_template, tmp_path_factory.mktemp("map")) as served:
        yield served


def test_the_map_works_offline_toggles_layers_and_opens_an_incident(site) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    ARTIFACTS.mkdir(exist_ok=True)
    requested: list[str] = []
    errors: list[str] = []
    with a11y.chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: requested.append(r.url))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        a11y.sign_in(page, base, "analyst", PASSWORD)
        page.goto(f"{base}/map?date=2026-02-14&days=30")
        page.wait_for_selector("#map[data-basemap=ready]")
        page.wait_for_selector(".incident")
        # the basemap: two oblasts, the occupied area, the line, zones, three proposals
        assert page.locator(".leaflet-overlay-pane path").count() >= 8
        assert page.locator("path.proposal").count() == 3
        assert page.locator(".oblast-label").count() == 2
        labels = page.locator(".place-label").count()
        assert labels >= 3
        incidents = page.locator(".incident").count()
        assert incidents == int(page.get_attribute("#map", "data-incidents") or 0) > 100
        page.screenshot(path=str(ARTIFACTS / "map-analyst.png"))
        # drawn map, side panel and table: no axe violation (the route scan sees the page earlier)
        assert a11y.describe(a11y.scan(page, a11y.axe_source())) == []

        # a layer off and on again
        page.uncheck("#layer-occupied")
        assert page.locator("path.proposal").count() == 3
        before = page.locator(".leaflet-overlay-pane path").count()
        page.check("#layer-occupied")
        assert page.locator(".leaflet-overlay-pane path").count() == before + 1
        page.uncheck("#layer-incidents")
        assert page.locator(".incident").count() == 0
        page.check("#layer-incidents")
        page.wait_for_selector(".incident")
        page.uncheck("#proposal-russia-demand")
        assert page.locator("path.proposal").count() == 2

        # a proposal's figures
        page.uncheck("#layer-incidents")
        page.uncheck("#layer-settlements")
        page.locator("path.proposal-dmz-each-side").first.click(force=True)
        figures = page.inner_text("#map-figures")
        assert "dmz-each-side" in figures and "km²" in figures and "resulting line" in figures
        page.screenshot(path=str(ARTIFACTS / "map-figures.png"))

        # an incident opens its page
        page.check("#layer-incidents")
        page.wait_for_selector(".incident")
        on_top = page.evaluate(TOPMOST_INCIDENT)  # a marker no other marker covers
        number = re.search(r"incident-(\d+)", on_top)
        assert number
        page.locator(f".incident-{number.group(1)}").click()
        page.wait_for_url(re.compile(rf".*/incidents/{number.group(1)}$"))
    assert errors == []
    hosts = {urlparse(u).hostname for u in requested if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}, hosts


def test_viewers_get_coarse_points_and_many_incidents_are_counted(site) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    _base, app = site
    with TestClient(app) as client:
        client.post("/login", data={"name": "viewer", "password": PASSWORD})
        seen = client.get("/api/v1/map/incidents?date=2026-02-14&days=30").json()
        client.post("/login", data={"name": "analyst", "password": PASSWORD})
        exact = client.get("/api/v1/map/incidents?date=2026-02-14&days=30").json()
        short = client.get("/api/v1/map/incidents?date=2026-02-14&days=1").json()
        layers = client.get("/api/v1/map/layers?date=2026-02-14").json()
        bad = client.get("/api/v1/map/incidents?date=2026-02-14&bbox=1,2,3")
    step = app.state.settings.viewer_coarsen_deg
    assert seen["total"] == exact["total"] == 161
    coarse = [c for f in seen["features"] for c in f["geometry"]["coordinates"]]
    assert all(abs(c / step - round(c / step)) < 1e-6 for c in coarse)
    fine = [c for f in exact["features"] for c in f["geometry"]["coordinates"]]
    assert any(abs(c / step - round(c / step)) > 1e-3 for c in fine)
    assert 0 < short["total"] < exact["total"]  # the as-of window narrows what is plotted
    assert set(layers["layers"]) == {
        "oblasts",
        "occupied",
        "line",
        "zones",
        "proposals",
        "settlements",
    }
    assert bad.status_code in (400, 422) and "bbox" in bad.text
