"""The review queue in a real browser (Debian's Chromium via Playwright) against Uvicorn."""

import re
import shutil
from pathlib import Path

import pytest

from accord.db.session import session_scope
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from conftest import PASSWORD, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
MORE = (
    "Title: Geneva round\nDate: 2025-11-24\n\n"
    "Kyiv could accept a ceasefire along the current line, an adviser said.\n"
    "Rubio said the talks had made tremendous progress on security guarantees.\n"
)


def add_source(db: str, home: Path, folder: Path) -> None:
    """Ingest a second note whose claims have other confidences than the first's."""
    note = folder / "more.md"
    note.write_text(MORE)
    with session_scope(db) as session:
        sources.ingest_path(
            session, note, by="setup", blobs=BlobStore(home / "blobs"), max_bytes=100_000
        )


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_review_queue_in_a_browser(web, fresh_db, home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    client, _tokens, _source_id = web
    add_source(fresh_db, home, tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(client.app) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        console_errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        page.click("nav a[href='/review']")
        page.wait_for_url(re.compile(r".*/review$"))
        rows = page.locator("#queue tr[id^=claim-]")
        before = rows.count()
        shown = [float(t) for t in page.locator("#queue td.confidence").all_inner_texts()]
        # one to reject, one to correct, and one left; at least two different confidences
        assert before >= 3 and shown == sorted(shown) and len(set(shown)) > 1
        page.screenshot(path=str(ARTIFACTS / "review-queue.png"), full_page=True)
        lowest = rows.first.get_attribute("id")
        rows.first.locator("button[value=reject]").click()
        page.wait_for_url(re.compile(r".*/review\?offset=0&done=\d+.*"))
        assert rows.count() == before - 1
        assert page.locator(f"#{lowest}").count() == 0
        # correct the next one's holder from the queue: it leaves the queue too
        row = rows.first
        next_id = row.get_attribute("id")
        row.locator("select[name=holder]").select_option("ua")
        row.locator("button[value=correct]").click()
        page.wait_for_url(re.compile(r".*/review\?offset=0&done=\d+.*"))
        assert rows.count() == before - 2 and page.locator(f"#{next_id}").count() == 0
        page.screenshot(path=str(ARTIFACTS / "review-queue-after.png"), full_page=True)
        browser.close()
    assert console_errors == []
