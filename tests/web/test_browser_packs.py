"""The board's pack selector in a real browser (Debian's Chromium via Playwright), two packs loaded."""

import re
import shutil
from pathlib import Path

import pytest

from accord.db.session import session_scope
from accord.demo.setup import example_documents
from accord.packs import service as packs
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from conftest import PASSWORD, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def served(web, fresh_db, home):  # type: ignore[no-untyped-def]
    client, _tokens, _source_id = web
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, "gaza-2025", by="setup")
    for path in example_documents("gaza-2025")[:3]:
        with session_scope(fresh_db) as session:
            sources.ingest_path(
                session,
                path,
                by="setup",
                blobs=BlobStore(home / "blobs"),
                max_bytes=1_000_000,
                packs=["gaza-2025"],
            )
    with serving(client.app) as base:
        yield base


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_pack_selector_switches_the_board(served) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    base = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        console_errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.goto(f"{base}/board")
        page.fill("input[name=name]", "viewer")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        headers = page.locator("#board th").all_inner_texts()
        assert "ua" in headers and "hamas" not in headers  # ACCORD_PACK is the default
        assert page.locator("#pack option").count() == 2
        page.select_option("#pack", "gaza-2025")
        page.click("#pack-selector button[type=submit]")
        page.wait_for_url(re.compile(r".*/board\?pack=gaza-2025$"))
        headers = page.locator("#board th").all_inner_texts()
        assert "hamas" in headers and "ua" not in headers
        assert page.locator("#board tr[data-issue=hostages]").count() == 1
        assert page.locator("#board tr[data-issue=territory]").count() == 0
        assert page.locator("#board td.cell", has_text=re.compile(r"\w")).count() >= 3
        assert page.locator("#pack").input_value() == "gaza-2025"
        page.screenshot(path=str(ARTIFACTS / "board-pack-gaza.png"), full_page=True)
        page.click("#board tr[data-issue=disarmament] a")
        page.wait_for_url(re.compile(r".*/issues/disarmament\?pack=gaza-2025$"))
        assert "pack gaza-2025" in page.inner_text("h1")
        assert page.locator("ol.timeline li").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "issue-pack-gaza.png"), full_page=True)
        browser.close()
    assert console_errors == []
