"""The public view (ACCORD_PUBLIC_VIEW): off by default; on, only published material, no login."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_authz import World, expected, read_call, refused

from accord.config import get_settings
from accord.council import service as council
from accord.db.session import session_scope
from accord.exports import release
from accord.incidents import workflow
from accord.reports import service as reports
from accord.sources.blobs import BlobStore
from accord.web.app import create_app
from conftest import EXACT, file_incident, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PUBLISHED = dt.date(2026, 2, 5)


def public_app(db: str, on: bool = True) -> TestClient:
    """Return a client of the app with the public view on (or off)."""
    return TestClient(create_app(get_settings(secret_key="k", public_view=on), db))


def rule(db: str, on: dt.date, reasoning: str) -> int:
    """Verify a new incident and publish a ruling on it; return the ruling's id."""
    incident = file_incident(db, "monitor-7")
    with session_scope(db) as session:
        workflow.transition(session, incident, "under_review", by="setup")
        workflow.transition(session, incident, "verified", by="setup")
        votes = {m.id: "yes" for m in council.members(session)}
        return council.rule(
            session, incident, "violation", votes, on, by="setup", party="ru", reasoning=reasoning
        ).id


def publish(db: str, folder: Path, home: Path) -> dict[str, Any]:
    """Publish a ruling and a daily report, write a release, then rule again (unpublished)."""
    rule(db, PUBLISHED, "Published before the release.")
    with session_scope(db) as session:
        reports.write_daily(
            session,
            dt.date(2026, 2, 4),
            folder / "daily.html",
            by="setup",
            blobs=BlobStore(home / "blobs"),
        )
    with session_scope(db) as session:
        summary = release.write_release(session, folder / "release", by="setup", step=0.01)
    rule(db, dt.date.today() + dt.timedelta(days=30), "Not yet published.")
    return summary


def test_off_by_default_the_public_pages_need_a_sign_in(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    assert get_settings().public_view is False
    response = client.get("/public", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert (
        client.get("/public.json").status_code == 401
        or client.get("/public.json", follow_redirects=False).status_code == 303
    )
    signed = client.get("/public.json", headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert signed.status_code == 200 and signed.json()["release"] is None


def test_on_every_other_route_is_still_denied(web, fresh_db: str, home: Path) -> None:  # type: ignore[no-untyped-def]
    _client, _tokens, source_id = web
    client = public_app(fresh_db)
    w = World(fresh_db, home / "blobs", source_id, file_incident(fresh_db, "monitor-7"))
    opened = []
    for (method, path), roles in sorted(expected().items()):
        if method != "GET" or "anonymous" in roles:
            continue
        call = read_call(path, w)
        response = client.get(call.url, follow_redirects=False)
        if path == "/public" or path.startswith("/public"):
            assert not refused("anonymous", path, response), path
            opened.append(path)
        else:
            assert refused("anonymous", path, response), (path, response.status_code)
    assert sorted(opened) == [
        "/public",
        "/public.json",
        "/public/release/{name}",
        "/public/reports/{day}",
    ]


def test_only_what_was_published_as_of_the_release(
    web, fresh_db: str, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    client = public_app(fresh_db)
    assert client.get("/public.json").json()["release"] is None
    summary = publish(fresh_db, tmp_path, home)
    data = client.get("/public.json").json()
    assert data["release"]["created"] == summary["created"]
    assert [r["reasoning"] for r in data["rulings"]] == ["Published before the release."]
    assert data["board"]["as_of"] == summary["created"][:10]
    assert data["reports"] == ["2026-02-04"]
    page = client.get("/public/reports/2026-02-04")
    assert page.status_code == 200 and str(EXACT[0]) not in page.text
    assert client.get("/public/reports/2026-02-03").status_code == 404
    csv_file = client.get("/public/release/incidents.csv")
    assert csv_file.status_code == 200 and "monitor-7" not in csv_file.text
    assert (
        release.sha256_of(tmp_path / "release/data/incidents.csv")
        == summary["files"]["data/incidents.csv"]
    )
    (tmp_path / "release/data/rulings.csv").write_text("changed\n")
    assert client.get("/public/release/rulings.csv").status_code == 404
    assert client.get("/public/release/..%2Fsecret").status_code == 404


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_public_view_in_a_browser(web, fresh_db: str, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    publish(fresh_db, tmp_path, home)
    app = create_app(get_settings(secret_key="k", public_view=True), fresh_db)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(f"{base}/public")
        assert "/login" not in page.url
        assert "Published before the release." in page.inner_text("#rulings")
        assert "Not yet published." not in page.inner_text("main")
        assert page.locator("#board tr[data-issue]").count() > 0
        assert page.locator("#files a", has_text=re.compile(r"^incidents\.csv$")).count() == 1
        page.screenshot(path=str(ARTIFACTS / "public.png"), full_page=True)
        page.click("#reports a")
        assert "/public/reports/2026-02-04" in page.url
        page.goto(f"{base}/incidents")
        assert "/login" in page.url  # the rest of the app still needs a sign-in
        browser.close()
