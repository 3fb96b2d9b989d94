"""Errors: an HTML page in the site's layout for a browser, problem JSON for the API; HEAD = GET.

A browser's request asks for ``text/html``; the pages then answer 403, 404 and 422 with a page
that says what went wrong, and a 500 with a page that names no internals. The API (``/api/``,
the ``.json`` twins) keeps problem JSON whatever the request accepts. Every GET route answers
HEAD with the same status and headers, and no body.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from test_authz import World, expected, prepare, read_call

from accord.db.session import session_scope
from conftest import PASSWORD, file_incident

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def signed_in(client: TestClient, name: str) -> None:
    """Sign a test client in through the login form (it keeps the session cookie)."""
    answer = client.post(
        "/login", data={"name": name, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303


def is_page(response, status: int, heading: str) -> str:  # type: ignore[no-untyped-def]
    """Check an error page: its status, HTML in the site's layout, its heading; return its text."""
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    body: str = response.text
    assert f"<h1>{heading}</h1>" in body and f"<title>{heading} ({status}) — accord</title>" in body
    assert 'href="/static/accord.css"' in body and 'id="main"' in body and "Skip to main" in body
    return body


def test_browser_errors_are_pages_and_the_api_keeps_problem_json(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    signed_in(client, "viewer")
    # 404: an incident that does not exist, and a path that does not exist
    body = is_page(client.get("/incidents/99999", headers=BROWSER), 404, "Not found")
    assert "incident 99999" in body and "viewer (viewer)" in body  # the header knows who
    is_page(client.get("/no/such/page", headers=BROWSER), 404, "Not found")
    # 403: a viewer may not open the review queue
    body = is_page(client.get("/review", headers=BROWSER), 403, "Not allowed")
    assert "your role (viewer) may not do this" in body and 'href="/login"' in body
    # 422: the field is named
    body = is_page(client.get("/reports/daily?date=soon", headers=BROWSER), 422, "Invalid input")
    assert 'id="detail"' in body and "date" in body.split('id="detail"')[1][:200]
    # the same requests from a program, or to the API, get problem JSON
    for url in ("/incidents/99999", "/no/such/page"):
        answer = client.get(url, headers={"Accept": "application/json"})
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
    for url in ("/api/v1/incidents/99999", "/incidents/99999.json"):
        answer = client.get(url, headers=BROWSER)
        assert answer.status_code == 404, url
        assert answer.headers["content-type"] == "application/problem+json", url
        assert answer.json()["status"] == 404
    answer = client.get("/api/v1/reports/daily?date=soon", headers=BROWSER)
    assert answer.status_code == 422 and answer.json()["title"] == "InvalidInput"


def test_a_server_error_page_names_no_internals(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    file_incident(fresh_db, "setup-monitor")
    # a real failure: the incidents table is gone, so reading it raises inside the database layer
    with session_scope(fresh_db) as session:
        cascade = " CASCADE" if session.get_bind().dialect.name == "postgresql" else ""
        session.execute(text(f"DROP TABLE incidents{cascade}"))
    failing = TestClient(client.app, raise_server_exceptions=False)
    signed_in(failing, "admin")
    answer = failing.get("/incidents", headers=BROWSER)
    body = is_page(answer, 500, "Server error")
    assert "the request was not completed" in body
    for internal in ("incidents", "no such table", "does not exist", "Traceback", "sqlalchemy"):
        assert internal not in body.split('id="main"')[1].lower().replace("/incidents", ""), (
            internal
        )
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    api = failing.get("/api/v1/incidents", headers=BROWSER)
    assert api.status_code == 500 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["detail"] == "the server failed; the error is logged"


def test_head_works_wherever_get_does(web, fresh_db: str, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    prepare(fresh_db, tmp_path)
    w = World(fresh_db, home / "blobs", source_id, file_incident(fresh_db, "setup-monitor"))
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    problems = []
    reads = sorted(path for method, path in expected() if method == "GET")
    assert len(reads) > 40
    for path in reads:
        call = read_call(path, w)
        got = client.get(call.url, headers=admin, follow_redirects=False)
        head = client.head(call.url, headers=admin, follow_redirects=False)
        same = (
            head.status_code == got.status_code == call.ok
            and head.headers.get("content-type") == got.headers.get("content-type")
            and head.content == b""
        )
        if not same:
            problems.append((path, got.status_code, head.status_code, len(head.content)))
    static = client.head("/static/accord.css")
    assert static.status_code == 200 and int(static.headers["content-length"]) > 100
    # the same length as the GET: a client may size its download from a HEAD
    page = client.head("/login")
    assert page.status_code == 200 and page.content == b""
    assert page.headers["content-length"] == str(len(client.get("/login").content))
    assert not problems, "\n".join(map(repr, problems))
    # HEAD is refused where GET is: anonymous on the API, and a route that has no GET
    assert client.head("/api/v1/board").status_code == 401
    assert client.head("/logout").status_code == 405
