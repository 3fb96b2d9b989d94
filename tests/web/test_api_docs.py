"""Interactive API docs: the pinned vendored Swagger UI, served offline, rendering our schema."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import serving

ASSETS = Path(__file__).resolve().parents[2] / "src" / "accord" / "web" / "static" / "apidocs"
PINNED = {
    "swagger-ui-bundle.js": "e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
    "swagger-ui.css": "5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_the_vendored_files_are_the_pinned_copies() -> None:
    for name, digest in PINNED.items():
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name
    readme = (ASSETS / "README.md").read_text()
    assert all(digest in readme for digest in PINNED.values())
    assert "Apache License" in (ASSETS / "LICENSE").read_text()[:200]


def test_the_docs_page_loads_nothing_from_elsewhere(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source_id = web
    page = client.get("/api/docs")  # public, like the schema it shows
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text
    assert '<script src="/static/apidocs/swagger-ui-bundle.js">' in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "start.js"):
        assert client.get(f"/static/apidocs/{asset}").status_code == 200


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
def test_swagger_ui_renders_our_endpoints_offline(web) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    client, _tokens, _source_id = web
    outside: list[str] = []
    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(client.app) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))

        def guard(route):  # type: ignore[no-untyped-def]
            if route.request.url.startswith(base):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.route("**/*", guard)
        page.goto(f"{base}/api/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
        browser.close()
    assert any("/api/v1/search" in p for p in paths) and any("/api/v1/board" in p for p in paths)
    assert outside == []
    assert errors == []
