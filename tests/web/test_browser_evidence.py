"""A real browser from a board cell to the sentence behind it, and the claim, incident, draft pages."""

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from accord.agreements import service as agreements
from accord.db.session import session_scope
from conftest import PASSWORD, file_incident, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_two_clicks_from_a_board_cell_to_its_sentence(web, fresh_db) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    client, _tokens, _source_id = web
    incident = file_incident(fresh_db, "monitor-7")
    with session_scope(fresh_db) as session:
        agreements.sign(session, "twenty-point-framework", dt.date(2026, 1, 10), by="setup")
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(client.app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        # click 1: the board cell; click 2: the source, scrolled to the claim
        page.locator('#board td.cell[data-party="ru"] a').first.click()
        page.wait_for_url(re.compile(r".*/claims/\d+$"))
        assert page.inner_text("#sentence") == "Russia rejected the European counter-proposal."
        page.screenshot(path=str(ARTIFACTS / "claim.png"), full_page=True)
        page.select_option("select[name=holder]", "us")
        page.fill("input[name=date]", "2025-11-20")
        page.click("button[value=correct]")
        page.wait_for_url(re.compile(r".*/claims/\d+$"))
        assert "holder → us" in page.inner_text("#history")
        page.screenshot(path=str(ARTIFACTS / "claim-corrected.png"), full_page=True)
        page.click("figcaption a")
        page.wait_for_url(re.compile(r".*/sources/\d+#claim-\d+$"))
        marks = page.locator("#text mark")
        assert marks.count() >= 2
        assert marks.nth(0).get_attribute("class") != marks.nth(1).get_attribute("class")
        assert (marks.nth(0).get_attribute("title") or "").startswith("claim ")
        page.screenshot(path=str(ARTIFACTS / "source-highlights.png"), full_page=True)
        page.goto(f"{base}/incidents/{incident}")
        assert "monitor-7" in page.inner_text("#facts")
        page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=True)
        page.goto(f"{base}/agreements")
        page.click("a[href='/drafts/twenty-point-framework']")
        assert page.locator(".worddiff ins").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "draft.png"), full_page=True)
        page.click("header a[href='/reports/daily']")
        page.wait_for_load_state("networkidle")
        assert page.input_value("input[name=date]") == "2026-02-04"
        box = page.locator("#report").bounding_box()
        assert box is not None and box["height"] >= 600  # full height, not a small frame
        page.screenshot(path=str(ARTIFACTS / "report.png"))
        browser.close()
    assert errors == []
