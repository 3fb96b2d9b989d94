"""A real browser (Debian's Chromium, driven by Playwright) against the app served by Uvicorn."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import PASSWORD, file_incident, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def served(web, fresh_db):  # type: ignore[no-untyped-def]
    client, _tokens, source_id = web
    file_incident(fresh_db, "monitor-7")
    with serving(client.app) as base:
        yield base, source_id


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_review_in_a_browser(served) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    base, source_id = served
    ARTIFACTS.mkdir(exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        console_errors: list[str] = []  # a Content-Security-Policy refusal shows up here
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.goto(f"{base}/board")
        assert "/login" in page.url
        page.fill("input[name=name]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        board_before = page.inner_text("#board")
        page.goto(f"{base}/sources/{source_id}")
        assert page.locator("mark").count() >= 1
        assert "<script>alert('x')</script>" in page.inner_text("#text")  # shown as text, not run
        page.screenshot(path=str(ARTIFACTS / "source.png"), full_page=True)
        row = page.locator("#claims tr", has=page.locator("td", has_text=re.compile(r"^ru$"))).first
        row.locator("button[value=reject]").click()
        page.wait_for_load_state()
        assert page.locator("#claims tr.state-rejected").count() >= 1
        page.goto(f"{base}/board")
        board_after = page.inner_text("#board")
        page.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
        page.goto(f"{base}/reports/daily?date=2026-02-04")
        assert "Reported and verified" in page.frame_locator("#report").locator("body").inner_text()
        for path in ("/map", "/incidents", "/agreements"):
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
        browser.close()
    assert board_after != board_before
    assert dialogs == []
    assert console_errors == []
