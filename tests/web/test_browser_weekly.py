"""A real browser on the weekly brief: in the navigation, full height, its date picker works."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from conftest import PASSWORD, demo_site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="module")
def site(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FastAPI]]:
    """The demo database served by Uvicorn, one user per role."""
    with demo_site(demo_template, tmp_path_factory.mktemp("weekly")) as served:
        yield served


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_the_weekly_brief_from_the_navigation_and_its_date_picker(site) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    base, _app = site
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "viewer")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        page.click("header a[href='/reports/weekly']")
        page.wait_for_load_state("networkidle")
        # the demo's last day with incidents closes the default week
        assert page.input_value("input[name=date]") == "2026-02-14"
        brief = page.frame_locator("#brief").locator("body")
        text = brief.inner_text()
        assert "The ceasefire week in numbers" in text and "2026-02-08 to 2026-02-14" in text
        assert "missed" in text and "Ceasefire" in text  # the framework's ceasefire point
        box = page.locator("#brief").bounding_box()
        assert box is not None and box["height"] >= 600  # full height, not a small frame
        page.screenshot(path=str(ARTIFACTS / "weekly.png"))
        # pick a week in the talks: board changes and a meeting coming up
        page.fill("input[name=date]", "2025-12-03")
        page.click("#pick button")
        page.wait_for_url(re.compile(r".*/reports/weekly\?date=2025-12-03$"))
        page.wait_for_load_state("networkidle")
        text = page.frame_locator("#brief").locator("body").inner_text()
        assert "2025-11-27 to 2025-12-03" in text
        assert "2025-12-04" in text and "meeting" in text  # upcoming
        changes = page.frame_locator("#brief").locator("#changes + table tr")
        assert changes.count() >= 2  # a header and at least one change
        page.frame_locator("#brief").locator("#upcoming").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "weekly-talks.png"), full_page=True)
        browser.close()
    assert errors == []
