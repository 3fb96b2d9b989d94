"""Every HTML page, for every role, scanned by axe-core in Chromium at WCAG 2.1 AA.

The pages are the app's own HTML routes (see ``a11y.html_routes``); a route with a parameter
in its path is opened with the real id given in EXAMPLES, on the demo database. A new page is
scanned by default; a new parameterised page fails ``test_every_parameterised_page_has_an_example``
until it has an example here. Screenshots go to tests/artifacts/a11y/ROLE/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import a11y
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from conftest import PASSWORD, demo_site

pytestmark = pytest.mark.skipif(
    not Path(a11y.CHROMIUM).exists(), reason="Chromium is not installed"
)

# path template -> a URL with a real value from the demo database
EXAMPLES = {
    "/issues/{issue_id}": "/issues/territory",  # has a stance change on its timeline
    "/sources/{source_id}": "/sources/4",  # 23 claims waiting for review
    "/public/reports/{day}": "/public/reports/2026-02-14",  # the demo's daily report
    "/claims/{claim_id}": "/claims/1",  # a machine claim: the review form shows
    "/incidents/{incident_id}": "/incidents/9",  # verified, in a zone, with a ruling
    "/drafts/{draft_id}": "/drafts/twenty-point-framework",  # changed provisions: word diff
}
# required (or telling) query parameters, by path template
QUERIES = {
    "/reports/daily": "date=2026-02-14",
    "/api/v1/reports/daily.html": "date=2026-02-14",
    "/reports/weekly": "date=2026-02-14",
    "/api/v1/reports/weekly.html": "date=2026-02-14",
    "/map": "date=2026-02-14",
}

# pages drawn by script after loading: the element to wait for before scanning
READY = {"/api/docs": ".opblock-summary-path"}
# error pages a browser gets (path -> status); the pages that need a role are scanned for the
# roles that get the error, the unknown path for everyone
ERROR_PAGES = {
    "/no/such/page": 404,
    "/incidents/99999": 404,
    "/reports/daily?date=soon": 422,
    "/review": 403,
}


@pytest.fixture(scope="module")
def site(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FastAPI]]:
    """The demo database served by Uvicorn, one user per role."""
    with demo_site(demo_template, tmp_path_factory.mktemp("a11y")) as served:
        yield served


def test_every_parameterised_page_has_an_example(site) -> None:  # type: ignore[no-untyped-def]
    _base, app = site
    pages, missing = a11y.pages_to_scan(app, EXAMPLES, QUERIES)
    assert missing == [], f"add a real id for these pages to EXAMPLES: {missing}"
    assert {p.template for p in pages} >= {"/board", "/login", "/incidents", "/map"}


def test_a_new_page_is_picked_up_and_needs_an_example(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = FastAPI()
    app.get("/things", response_class=HTMLResponse)(lambda: "")
    app.get("/things/{thing_id}", response_class=HTMLResponse)(lambda thing_id: "")
    app.get("/api/things")(lambda: {})
    from accord.web.security import ROUTE_PERMISSIONS

    for path in ("/things", "/things/{thing_id}", "/api/things"):
        monkeypatch.setitem(ROUTE_PERMISSIONS, ("GET", path), "read")
    pages, missing = a11y.pages_to_scan(app, {}, {})
    assert [p.url for p in pages] == ["/things"]
    assert missing == ["/things/{thing_id}"]


def test_the_vendored_axe_is_the_pinned_copy(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    source = a11y.axe_source()
    assert source.startswith(f"/*! axe v{a11y.AXE_VERSION}")
    edited = tmp_path / "axe.min.js"
    edited.write_text(source + "\n")
    monkeypatch.setattr(a11y, "AXE", edited)
    with pytest.raises(AssertionError, match="sha256"):
        a11y.axe_source()


def test_the_scan_finds_what_it_should() -> None:
    """A page with known faults gets them reported (so a clean scan means something)."""
    with a11y.chromium() as browser:
        page = browser.new_page()
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
            '<select name="to"><option>a</option></select>'
            '<p style="color:#b9770e">low contrast</p></main></body></html>'
        )
        found = {v["id"] for v in a11y.scan(page, a11y.axe_source())}
    assert {"select-name", "color-contrast"} <= found


def slug(url: str) -> str:
    """Return a file name for a page's screenshot."""
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "root"


@pytest.mark.parametrize("role", a11y.ROLES)
def test_no_axe_violation_on_any_page(site, role: str) -> None:  # type: ignore[no-untyped-def]
    base, app = site
    pages, _missing = a11y.pages_to_scan(app, EXAMPLES, QUERIES)
    source = a11y.axe_source()
    shots = a11y.ARTIFACTS / role
    shots.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    seen = 0
    with a11y.chromium() as browser:
        page = browser.new_page()
        if role != "anonymous":
            a11y.sign_in(page, base, role, PASSWORD)
        for entry in pages:
            if not a11y.may_see(role, entry):
                continue
            response: Any = page.goto(base + entry.url)
            assert response is not None and response.status == 200, (entry.url, response)
            if entry.template in READY:
                page.wait_for_selector(READY[entry.template], timeout=30_000)
            failures += [f"{entry.url}: {line}" for line in a11y.describe(a11y.scan(page, source))]
            page.screenshot(path=str(shots / f"{slug(entry.url)}.png"), full_page=True)
            seen += 1
        for url, status in ERROR_PAGES.items():
            if role == "anonymous" and url != "/no/such/page":
                continue  # the others send an anonymous visitor to the login form
            if status == 403 and role in ("analyst", "admin"):
                continue  # they may review
            response = page.goto(base + url)
            assert response is not None and response.status == status, (url, response)
            failures += [f"{url}: {line}" for line in a11y.describe(a11y.scan(page, source))]
            page.screenshot(path=str(shots / f"error-{status}-{slug(url)}.png"), full_page=True)
    assert seen >= 1
    assert not failures, "\n".join(failures)
