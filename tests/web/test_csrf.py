"""CSRF on every state-changing route a signed-in browser can reach with its session cookie.

Each form is fetched from the page that shows it and its hidden token read from that form; a POST
without the token or with a wrong one is refused (403) and writes nothing, and the same POST with
the right token does what it says. The API's POST routes take the token in ``X-CSRF-Token`` when
called with the cookie. ``POST /login`` is left out: a visitor who is not signed in has no
session for a forged request to ride on.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from test_authz import World, prepare, writes

from conftest import PASSWORD, file_incident

FORM = re.compile(
    r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]*)"'
)


def sign_in(client: TestClient, name: str) -> None:
    response = client.post(
        "/login", data={"name": name, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303 and client.cookies.get("accord_session")


def forms(client: TestClient, page: str) -> dict[str, str]:
    """Return {form action: its CSRF token} for the post forms on a page."""
    response = client.get(page)
    assert response.status_code == 200, response.text
    return dict(FORM.findall(response.text))


def post(client: TestClient, url: str, **options: Any) -> Any:
    return client.post(url, follow_redirects=False, **options)


def test_every_form_refuses_a_missing_or_wrong_token_and_accepts_the_right_one(  # type: ignore[no-untyped-def]
    web, fresh_db: str, home
) -> None:
    client, _tokens, source_id = web
    w = World(fresh_db, home / "blobs", source_id, file_incident(fresh_db, "setup-monitor"))
    sign_in(client, "admin")
    source, claim = w.fresh_claim()
    incident = w.fresh_incident()
    review = (
        f"/claims/{claim}/review",
        f"/sources/{source}",
        {"action": "accept", "source_id": str(source)},
    )
    move = (f"/incidents/{incident}/transition", "/incidents", {"to": "under_review"})
    leave = ("/logout", "/board", {})
    for action, page, fields in (review, move, leave):  # sign-out last: it ends the session
        token = forms(client, page).get(action)
        assert token, f"the form for {action} on {page} carries no CSRF token"
        for bad in (None, "", "not-the-token", token[:-1]):
            before = w.audit_count()
            data = dict(fields) if bad is None else {**fields, "csrf": bad}
            refused = post(client, action, data=data)
            assert refused.status_code == 403, (action, bad, refused.text)
            assert "CSRF" in refused.json()["detail"]
            assert w.audit_count() == before, (action, bad)
            assert client.cookies.get("accord_session"), "a refused sign-out still signed out"
        before = w.audit_count()
        done = post(client, action, data={**fields, "csrf": token})
        assert done.status_code == 303, (action, done.text)
        if action == "/logout":
            assert client.get("/board", follow_redirects=False).status_code == 303  # to /login
        else:
            assert w.audit_count() > before, action


def test_every_api_write_with_the_cookie_needs_the_token_header(  # type: ignore[no-untyped-def]
    web, fresh_db: str, home, tmp_path
) -> None:
    client, _tokens, source_id = web
    prepare(fresh_db, tmp_path)
    w = World(fresh_db, home / "blobs", source_id, file_incident(fresh_db, "setup-monitor"))
    sign_in(client, "admin")
    w.user = "admin"  # the subscriptions removed are the signed-in user's own
    token = forms(client, "/board")["/logout"]
    api_writes = {k: v for k, v in writes(w).items() if k[1].startswith("/api/")}
    assert len(api_writes) == 10
    # signing out everywhere ends the cookie used for the others, so it goes last
    ordered = sorted(api_writes.items(), key=lambda kv: ("sign-out" in kv[0][1], kv[0]))
    for (method, path), build in ordered:
        for bad in (None, "not-the-token"):
            call = build()
            headers = {} if bad is None else {"X-CSRF-Token": bad}
            before = w.audit_count()
            refused = client.request(
                method, call.url, follow_redirects=False, headers=headers, **call.options
            )
            assert refused.status_code == 403, (path, bad, refused.text)
            assert w.audit_count() == before, (path, bad)
        call = build()
        done = client.request(
            method,
            call.url,
            follow_redirects=False,
            headers={"X-CSRF-Token": token},
            **call.options,
        )
        assert done.status_code == call.ok, (path, done.text)
