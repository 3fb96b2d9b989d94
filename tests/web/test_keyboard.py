"""Keyboard-only paths in Chromium: every step is a key press, and focus lands where work goes on.

Skip link, signing in after a mistake, reviewing claims one after another, moving an incident
through the workflow and reaching the map's incidents, on a copy of the demo database.
Screenshots go to tests/artifacts/a11y/keyboard/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import a11y
import pytest
from fastapi import FastAPI

from conftest import PASSWORD, demo_site

pytestmark = pytest.mark.skipif(
    not Path(a11y.CHROMIUM).exists(), reason="Chromium is not installed"
)
SHOTS = a11y.ARTIFACTS / "keyboard"
FOCUSED = """() => {
  const e = document.activeElement;
  const row = e.closest('tr');
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
          value: e.value === undefined ? null : e.value, role: e.getAttribute('role'),
          label: (e.getAttribute('aria-label') || e.textContent || '').replace(/\\s+/g, ' ').trim(),
          href: e.getAttribute('href'), row: row ? row.id : null,
          state: row ? row.className : null, invalid: e.getAttribute('aria-invalid')};
}"""


@pytest.fixture(scope="module")
def site(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, FastAPI]]:
    """A copy of the demo database of its own (these paths change it), served by Uvicorn."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with demo_site(demo_template, tmp_path_factory.mktemp("keyboard")) as served:
        yield served


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium."""
    with a11y.chromium() as launched:
        yield launched


def focused(page: Any) -> dict[str, Any]:
    """Describe the element that has the keyboard focus."""
    result: dict[str, Any] = page.evaluate(FOCUSED)
    return result


def tab_until(page: Any, wanted: Callable[[dict[str, Any]], bool], limit: int = 60) -> int:
    """Press Tab until the focused element is the wanted one; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses; focus is on {focused(page)}")


def sign_in_by_keyboard(page: Any, base: str, name: str) -> None:
    """Sign in with the keyboard only: the name field has focus when the form opens."""
    page.goto(f"{base}/login")
    assert focused(page)["name"] == "name"
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/board$"))


def test_skip_link_goes_to_the_main_content(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    sign_in_by_keyboard(page, base, "viewer")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["label"] == "Skip to main content" and first["href"] == "#main"
    page.screenshot(path=str(SHOTS / "skip-link.png"))
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content, past the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_a_failed_sign_in_is_announced_and_keeps_the_name(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    page.goto(f"{base}/login")
    assert focused(page)["name"] == "name"
    page.keyboard.type("analyst")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert alert.inner_text() == "Wrong name or password."
    assert page.title().startswith("Sign-in failed")
    assert page.input_value("input[name=name]") == "analyst"  # the typed name is kept
    now = focused(page)
    assert now["name"] == "password" and now["invalid"] == "true"  # focus where to retype
    described = page.get_attribute("input[name=password]", "aria-describedby")
    assert described == alert.get_attribute("id")
    page.screenshot(path=str(SHOTS / "login-error.png"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/board$"))


def test_reviewing_claims_keeps_focus_at_the_next_claim(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    sign_in_by_keyboard(page, base, "analyst")
    page.goto(f"{base}/sources/4")
    tab_until(page, lambda f: f["name"] == "action" and f["value"] == "accept")
    first = focused(page)
    assert re.match(r"Accept claim \d+: ", first["label"])  # named with its claim
    # 1. accept: Enter on the focused button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*\?done={first['row'][6:]}$"))
    assert page.locator(f"#{first['row']}").get_attribute("class") == "state-accepted done"
    assert page.get_by_role("status").inner_text().startswith(f"Claim {first['row'][6:]} is now")
    second = focused(page)
    assert second["value"] == "accept" and second["row"] != first["row"]
    # 2. reject the next one: one Tab from its Accept to its Reject
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "reject" and focused(page)["row"] == second["row"]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*\?done={second['row'][6:]}$"))
    assert page.locator(f"#{second['row']}").get_attribute("class") == "state-rejected done"
    third = focused(page)
    assert third["value"] == "accept" and third["row"] not in (first["row"], second["row"])
    # 3. correct a stance: Tab to the next stance list (two presses when this row has one),
    # pick a stance with the arrows, then Correct
    tab_until(page, lambda f: f["name"] == "stance", 12)
    corrected = focused(page)
    assert corrected["label"].startswith(f"corrected stance for claim {corrected['row'][6:]}")
    page.keyboard.press("ArrowDown")
    chosen = focused(page)["value"]
    assert chosen in ("support", "oppose", "demand", "propose")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "correct"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*\?done={corrected['row'][6:]}$"))
    row = page.locator(f"#{corrected['row']}")
    assert "state-corrected" in (row.get_attribute("class") or "")
    assert focused(page)["value"] == "accept"  # on to the next claim still to review
    page.screenshot(path=str(SHOTS / "review-three.png"), full_page=True)


def test_moving_an_incident_keeps_focus_on_its_row(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    sign_in_by_keyboard(page, base, "council")
    page.goto(f"{base}/incidents?status=reported")
    tab_until(page, lambda f: f["name"] == "to")
    row = focused(page)["row"]
    assert focused(page)["label"].startswith(f"new status for incident {row[9:]}")
    assert focused(page)["value"] == "under_review"
    page.keyboard.press("Tab")
    assert focused(page)["label"] == f"Move incident {row[9:]}"
    page.keyboard.press("Enter")  # under review: it leaves the list of reported incidents
    page.wait_for_url(re.compile(rf".*done={row[9:]}.*"))
    assert "reported" in page.url  # the filter is kept
    assert page.get_by_role("status").inner_text() == (
        f"Incident {row[9:]} was moved and no longer matches this list."
    )
    after = focused(page)
    assert after["name"] == "to" and after["row"] not in (row, None)  # the row that was below
    # from the whole queue: a reported incident moved under review stays in the list, and
    # focus stays on its own row
    page.goto(f"{base}/incidents")
    tab_until(page, lambda f: f["name"] == "to" and f["label"].endswith("now reported)"), 400)
    row = focused(page)["row"]
    assert focused(page)["value"] == "under_review"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*done={row[9:]}.*"))
    assert page.get_by_role("status").inner_text() == f"Incident {row[9:]} is now under_review."
    assert focused(page)["row"] == row and focused(page)["name"] == "to"
    page.screenshot(path=str(SHOTS / "incident-moved.png"))


def test_map_incident_details_are_reachable(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    sign_in_by_keyboard(page, base, "viewer")
    page.goto(f"{base}/map?date=2026-02-14")
    page.wait_for_selector("#map .incident")
    # every dot is a button with a name, reached with Tab; Enter opens the incident's page
    tab_until(page, lambda f: re.match(r"incident #\d+ ", f["label"] or "") is not None, 200)
    dot = focused(page)
    assert dot["role"] == "button"
    assert re.match(r"incident #\d+ [\w-]+ \(\w+\), 2026-02-\d\d$", dot["label"])
    page.screenshot(path=str(SHOTS / "map-dot.png"))
    number = dot["label"].split(" ")[1][1:]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/incidents/{number}$"))
    assert dot["label"].split(" ")[2] in page.inner_text("main")  # the type
    # the table of the same incidents is one link away, before the map
    page.goto(f"{base}/map?date=2026-02-14")
    page.wait_for_selector("#map .incident")
    tab_until(page, lambda f: f["href"] == "#incident-list")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "incident-list"
    drawn = int(page.get_attribute("#map", "data-incidents") or 0)  # those in the map's view
    assert page.locator("#incident-list tr[id^=incident-]").count() == 161 >= drawn > 100


def test_search_from_any_page_by_keyboard(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = browser.new_page()
    sign_in_by_keyboard(page, base, "viewer")
    page.goto(f"{base}/events")
    # the search box in the page header is a few Tab stops from the top, past the navigation
    presses = tab_until(page, lambda f: f["id"] == "nav-q", 15)
    assert presses <= 12
    page.keyboard.type("guarantees")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search\?q=guarantees$"))
    assert page.title() == "Search: guarantees — accord"
    # focus is on the results' heading, so the next Tab is the best hit, not the top of the page
    landed = focused(page)
    assert landed["id"] == "results" and landed["label"] == "Results for “guarantees”"
    assert page.get_by_role("status").inner_text().endswith("match(es), best first.")
    page.screenshot(path=str(SHOTS / "search-results.png"))
    page.keyboard.press("Tab")
    hit = focused(page)
    first_link = page.locator("#hits li a").first
    assert hit["tag"] == "a" and hit["href"] == first_link.get_attribute("href")
    assert re.fullmatch(r"/(claims|sources)/\d+", hit["href"])
    # a second Tab goes to the next hit: each hit is one stop
    page.keyboard.press("Tab")
    assert focused(page)["href"] == page.locator("#hits li a").nth(1).get_attribute("href")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*{re.escape(hit['href'])}$"))
    # the opened page starts at its top: the first Tab is the skip link to its content
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Skip to main content"
    page.screenshot(path=str(SHOTS / "search-opened.png"))
    # the search page on its own puts focus in its query field, and Enter searches
    page.goto(f"{base}/search")
    assert focused(page)["name"] == "q"
    page.keyboard.type("zqxwvy")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=zqxwvy.*"))
    assert focused(page)["id"] == "results"
    assert page.get_by_role("status").inner_text().startswith("0 match")
