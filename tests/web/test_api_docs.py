"""Interactive API docs: the pinned vendored Swagger UI, served offline, rendering our schema.

In Chromium, signed in as a viewer: the page renders every endpoint from ``/openapi.json``, no
request leaves the server, "Try it out" runs a real call with the session, and axe-core finds no
WCAG 2.1 AA violation with an operation open, its response shown and the schemas expanded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import a11y
import pytest

from conftest import PASSWORD, serving

ASSETS = Path(__file__).resolve().parents[2] / "src" / "accord" / "web" / "static" / "apidocs"
PINNED = {
    "swagger-ui-bundle.js": "e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
    "swagger-ui.css": "5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
}
SHOTS = a11y.ARTIFACTS / "api-docs"


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
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "start.js", "accord-apidocs.css"):
        assert client.get(f"/static/apidocs/{asset}").status_code == 200, asset


@pytest.mark.skipif(not Path(a11y.CHROMIUM).exists(), reason="Chromium is not installed")
def test_the_docs_work_offline_and_pass_axe(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source_id = web
    outside: list[str] = []
    errors: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(client.app) as base, a11y.chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))

        def guard(route: Any) -> Any:
            if route.request.url.startswith(base):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.route("**/*", guard)
        a11y.sign_in(page, base, "viewer", PASSWORD)
        page.goto(f"{base}/api/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        source = a11y.axe_source()
        closed = a11y.describe(a11y.scan(page, source))
        # open the board's operation, try it out with the session, and expand the schemas
        board = page.locator(".opblock", has=page.locator("[data-path='/api/v1/board']")).first
        board.locator(".opblock-summary-control").click()
        board.locator("button.try-out__btn").click()
        board.locator("button.execute").click()
        status = board.locator(".live-responses-table tr.response .response-col_status").first
        status.wait_for(timeout=15_000)
        shown = status.inner_text().strip()
        expanders = page.locator(".models .json-schema-2020-12-expand-deep-button")
        assert expanders.count() > 3  # the schemas section is open, one entry per model
        for n in range(3):
            expanders.nth(n).click()
        opened = a11y.describe(a11y.scan(page, source))
        page.screenshot(path=str(SHOTS / "board-tried.png"), full_page=True)
    assert any(p.startswith("/api/v1/search") for p in paths), paths[:5]
    assert any(p.startswith("/api/v1/board") for p in paths)
    assert shown == "200"  # a real call, with the viewer's session
    assert outside == [], outside
    assert errors == [], errors
    assert closed == [] and opened == [], "\n".join(closed + opened)
