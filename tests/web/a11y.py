"""Shared by the accessibility and keyboard tests: the pages to scan, the browser, axe-core.

The pages come from the app's own routes: every GET route that answers with HTML is scanned,
so a new page is scanned without anyone adding it here. A route with a parameter in its path
needs a real value in EXAMPLES (or QUERIES, for a required query parameter); the scan test
fails for a parameterised page that has none.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from accord.web.security import ROUTE_PERMISSIONS, allowed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "a11y"
AXE = Path(__file__).with_name("assets") / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
# WCAG 2.0 A and AA and WCAG 2.1 A and AA: axe tags the rules of 2.1's new level-A criteria
# wcag21a, so "2.1 AA" needs that tag as well as wcag21aa
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
ROLES = ("anonymous", "viewer", "analyst", "monitor", "council", "admin")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Page:
    """One HTML route to visit: its path template, the URL to open and the permission it needs."""

    template: str
    url: str
    permission: str


def html_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Return (path template, permission) for every GET route that answers with HTML."""
    found = []
    pending = list(app.routes)
    while pending:
        r = pending.pop()
        branch = getattr(r, "original_router", None)  # FastAPI keeps included routers as branches
        if branch is not None:
            pending.extend(branch.routes)
        if not isinstance(r, APIRoute) or "GET" not in r.methods:
            continue
        response_class = getattr(r.response_class, "value", r.response_class)
        if isinstance(response_class, type) and issubclass(response_class, HTMLResponse):
            found.append((r.path, ROUTE_PERMISSIONS[("GET", r.path)]))
    return sorted(found)


def pages_to_scan(
    app: FastAPI, examples: dict[str, str], queries: dict[str, str]
) -> tuple[list[Page], list[str]]:
    """Return the pages to visit, and the parameterised templates that have no example."""
    pages, missing = [], []
    for template, permission in html_routes(app):
        if "{" in template:
            if template not in examples:
                missing.append(template)
                continue
            url = examples[template]
        else:
            url = template
        if template in queries:
            url += ("&" if "?" in url else "?") + queries[template]
        pages.append(Page(template, url, permission))
    return pages, missing


def may_see(role: str, page: Page) -> bool:
    """Tell whether a role may open a page."""
    return allowed(None if role == "anonymous" else role, page.permission)


def axe_source() -> str:
    """Return the vendored axe-core, refusing a copy whose sha256 is not the pinned one."""
    data = AXE.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != AXE_SHA256:
        raise AssertionError(f"{AXE}: sha256 {digest} is not the pinned {AXE_SHA256}")
    return data.decode("utf-8")


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch Debian's Chromium headless through Playwright; yield the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Any, base: str, name: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/board$"))


def scan(page: Any, source: str) -> list[dict[str, Any]]:
    """Run axe-core in the page at the WCAG 2.1 AA tags; return its violations.

    The script goes in through the DevTools protocol, not as a page script, so the page runs
    under its own Content-Security-Policy as served. Frames are left out: each framed page is
    an HTML route of its own and is scanned as one.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations'], iframes: false})",
        list(AXE_TAGS),
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> list[str]:
    """Return one line per violated rule: id, impact, count and the first offending element."""
    lines = []
    for v in violations:
        first = v["nodes"][0]
        lines.append(
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} — "
            f"{first['target']} {first['html'][:120]}"
        )
    return lines
