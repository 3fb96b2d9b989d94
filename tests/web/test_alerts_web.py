"""Alerts on the web: each user's subscriptions (API and page), history, and the Atom feed.

The browser test subscribes from the page, a new article changes the board, the sender delivers
to a real local webhook, and the history page shows the delivery. Screenshots go to
tests/artifacts/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from accord.alerts import sender
from accord.alerts.settings import AlertSettings
from accord.db.session import session_scope
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from alerts.receivers import Hook, webhook_receiver
from conftest import PASSWORD, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "web-test-signing-secret-012345"
CHANGE = (
    "Title: Moscow\nDate: 2025-12-02\nSource: Mission B\n\n"
    "The Kremlin said Russia supports the security guarantees offered by the United States.\n"
)


def _change_the_board(db: str, home: Path, folder: Path) -> None:
    note = folder / "change.md"
    note.write_text(CHANGE)
    with session_scope(db) as session:
        sources.ingest_path(
            session, note, by="setup", blobs=BlobStore(home / "blobs"), max_bytes=100_000
        )
    from accord.alerts.hooks import after_change

    after_change(db, by="setup")


def test_subscriptions_are_each_users_own(web, fresh_db, home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = web[0]
    tokens: dict[str, str] = web[1]

    def as_(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    made = client.post(
        "/api/v1/me/alerts/subscriptions",
        json={"kind": "board", "holder": "ru", "webhook_url": "http://127.0.0.1:9/h"},
        headers=as_("viewer"),
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["user"] == "viewer" and len(body["webhook_secret"]) >= 32  # generated, shown once
    listed = client.get("/api/v1/me/alerts/subscriptions", headers=as_("viewer")).json()
    assert [s["id"] for s in listed] == [body["id"]] and "webhook_secret" not in listed[0]
    assert client.get("/api/v1/me/alerts/subscriptions", headers=as_("analyst")).json() == []
    # another user can neither remove it nor see it
    gone = client.delete(f"/api/v1/me/alerts/subscriptions/{body['id']}", headers=as_("analyst"))
    assert gone.status_code == 404
    bad = client.post(
        "/api/v1/me/alerts/subscriptions", json={"kind": "weather"}, headers=as_("viewer")
    )
    assert bad.status_code == 422 and "kind: unknown kind 'weather'" in bad.json()["detail"]

    _change_the_board(fresh_db, home, tmp_path)
    history = client.get("/api/v1/me/alerts/history", headers=as_("viewer")).json()
    # the fixture's note gives Russia no stance on the guarantees: the new one is the change
    assert [a["title"] for a in history] == ["security-guarantees: ru stance none → support"]
    assert client.get("/api/v1/me/alerts/history", headers=as_("analyst")).json() == []

    token = client.post("/api/v1/me/alerts/feed-token", headers=as_("viewer")).json()["token"]
    feed = client.get(f"/alerts/feed.atom?token={token}")  # no cookie, no header: the token
    assert feed.status_code == 200 and feed.headers["content-type"] == "application/atom+xml"
    root = ET.fromstring(feed.content)  # noqa: S314 (our own server's answer)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [history[0]["title"]]
    assert root.findtext(f"{ATOM}id") == "tag:accord,2026:alerts/viewer"
    assert client.get("/alerts/feed.atom?token=acf_wrong").status_code == 404
    again = client.post("/api/v1/me/alerts/feed-token", headers=as_("viewer")).json()["token"]
    assert client.get(f"/alerts/feed.atom?token={token}").status_code == 404  # replaced
    assert client.get(f"/alerts/feed.atom?token={again}").status_code == 200

    removed = client.delete(f"/api/v1/me/alerts/subscriptions/{body['id']}", headers=as_("viewer"))
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert client.get("/api/v1/me/alerts/subscriptions", headers=as_("viewer")).json() == []
    # the page refuses a webhook without a secret (it could not be shown again)
    refused = client.post(
        "/alerts",
        data={"kind": "board", "webhook_url": "http://127.0.0.1:9/h"},
        headers=as_("viewer"),
    )
    assert refused.status_code == 422 and "webhook_secret" in refused.json()["detail"]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_subscribe_and_read_the_history_in_a_browser(web, fresh_db, home, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    client = web[0]
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        webhook_receiver(Hook(secret=SECRET)) as hook,
        serving(client.app) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "viewer")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/board$"))
        page.click("nav a[href='/alerts']")
        page.wait_for_url(re.compile(r".*/alerts$"))
        assert page.locator("#none").is_visible()
        form = page.locator("#subscribe")
        form.locator("select[name=kind]").select_option("board")
        form.locator("input[name=issue]").fill("security-guarantees")
        form.locator("input[name=webhook_url]").fill(hook.url)
        form.locator("input[name=webhook_secret]").fill(SECRET)
        form.locator("button").click()
        page.wait_for_url(re.compile(r".*/alerts\?done=\d+$"))
        rows = page.locator("#subscriptions tbody tr")
        assert rows.count() == 1 and "security-guarantees" in rows.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "alerts-subscriptions.png"), full_page=True)

        _change_the_board(fresh_db, home, tmp_path)
        summary = sender.send_due(fresh_db, by="sender", settings=AlertSettings())
        assert summary.sent == len(hook.requests) >= 1 and hook.bad_signatures == 0

        page.goto(f"{base}/alerts/history")
        history = page.locator("#history tbody tr")
        assert history.count() == summary.sent
        assert "ru stance none → support" in page.locator("#history").inner_text()
        assert "webhook: sent" in history.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "alerts-history.png"), full_page=True)

        page.goto(f"{base}/alerts")
        page.locator("#subscriptions button").first.click()
        page.wait_for_url(re.compile(r".*/alerts$"))
        assert page.locator("#none").is_visible()
        browser.close()
    assert errors == []
