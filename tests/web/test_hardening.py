"""Web hardening: security headers, session fixation, and what a viewer may see of incidents."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.web.privacy import coarsen
from conftest import EXACT, PASSWORD, file_incident


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/login", "/api/v1/health", "/static/accord.css", "/nowhere"])
def test_security_headers(web, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


def test_report_is_framed_only_by_us_and_runs_no_script(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    file_incident(fresh_db, "monitor-7")
    response = client.get(
        "/api/v1/reports/daily.html?date=2026-02-04", headers=bearer(tokens["viewer"])
    )
    assert response.status_code == 200, response.text
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'") and "script-src" not in csp
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_interactive_docs_are_off(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    assert client.get("/docs").status_code == 404  # they would load scripts from a CDN
    assert client.get("/openapi.json").json()["info"]["title"] == "accord"


def test_login_issues_a_fresh_session(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    planted = {"Cookie": "accord_session=attacker-chosen-value"}
    assert client.get("/board", headers=planted, follow_redirects=False).status_code == 303
    first = client.post(
        "/login",
        data={"name": "analyst", "password": PASSWORD},
        headers=planted,
        follow_redirects=False,
    )
    cookie = first.cookies.get("accord_session")
    assert first.status_code == 303 and cookie and cookie != "attacker-chosen-value"
    client.cookies.clear()
    again = client.post(
        "/login", data={"name": "analyst", "password": PASSWORD}, follow_redirects=False
    )
    assert again.cookies.get("accord_session") not in (None, cookie)  # a new session each login


def test_viewer_sees_coarse_places_and_no_reporter(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    incident_id = file_incident(fresh_db, "monitor-7")
    step = 0.01
    viewer = client.get(f"/api/v1/incidents/{incident_id}", headers=bearer(tokens["viewer"])).json()
    assert EXACT == (47.512345, 35.087654)
    assert (viewer["latitude"], viewer["longitude"]) == (47.51, 35.09)  # the 0.01-degree grid
    assert abs(viewer["latitude"] - EXACT[0]) <= step / 2 and viewer["latitude"] != EXACT[0]
    assert viewer["reporter"] is None and viewer["observer"] is None
    listed = client.get("/api/v1/incidents", headers=bearer(tokens["viewer"])).json()["items"]
    assert [(i["latitude"], i["reporter"]) for i in listed] == [(viewer["latitude"], None)]
    points = client.get("/map.json?date=2026-02-05", headers=bearer(tokens["viewer"])).json()
    assert [(p["lat"], p["lon"]) for p in points["incidents"]] == [
        (viewer["latitude"], viewer["longitude"])
    ]
    report = client.get(
        "/api/v1/reports/daily?date=2026-02-04", headers=bearer(tokens["viewer"])
    ).json()
    assert [(p["lat"], p["lon"]) for p in report["incidents"]] == [
        (viewer["latitude"], viewer["longitude"])
    ]
    queue = client.get("/incidents.json", headers=bearer(tokens["viewer"])).json()["items"]
    assert queue[0]["reporter"] is None and queue[0]["longitude"] == viewer["longitude"]
    for role in ("analyst", "monitor", "council", "admin"):
        seen = client.get(f"/api/v1/incidents/{incident_id}", headers=bearer(tokens[role])).json()
        assert (seen["latitude"], seen["reporter"]) == (EXACT[0], "monitor-7"), role


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        (47.512345, 0.01, 47.51),
        (35.087654, 0.01, 35.09),
        (35.087654, 0.1, 35.1),
        (47.6, 0.25, 47.5),
        (47.63, 0.25, 47.75),
        (-33.456, 0.1, -33.5),
        (179.996, 0.01, 180.0),
        (47.512345, 0, 47.512345),
    ],
)
def test_coarsen_snaps_to_the_nearest_grid_line(value: float, step: float, expected: float) -> None:
    assert coarsen(value, step) == expected


def test_coarsening_step_is_configurable(home, fresh_db: str, web) -> None:  # type: ignore[no-untyped-def]
    from accord.config import get_settings
    from accord.web.app import create_app

    _client, tokens, _source = web
    incident_id = file_incident(fresh_db, "monitor-7")
    coarse = TestClient(create_app(get_settings(secret_key="s", viewer_coarsen_deg=0.1), fresh_db))
    seen = coarse.get(f"/api/v1/incidents/{incident_id}", headers=bearer(tokens["viewer"])).json()
    assert (seen["latitude"], seen["longitude"]) == (47.5, 35.1)


def test_no_secrets_in_logs(web, fresh_db: str, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    import socket
    import threading
    import time

    import httpx
    import uvicorn
    from sqlalchemy import text

    from accord.db.session import session_scope

    client, tokens, _source = web
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(client.app, port=port, log_level="debug", log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    caplog.set_level("DEBUG")
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    try:
        # a login hashes with argon2: seconds on a busy machine, more than httpx's 5 s default
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            http.get("/api/v1/board", headers=bearer(tokens["admin"]))
            http.get("/api/v1/board", headers=bearer("acc_wrong-token-value"))
            login = http.post("/login", data={"name": "analyst", "password": PASSWORD})
            http.post("/login", data={"name": "viewer", "password": "a-wrong-password"})
            cookie = http.cookies.get("accord_session") or ""
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    server_log = "\n".join(
        f"{r.name} {r.getMessage()}"
        for r in caplog.records
        if not r.name.startswith(("httpx", "httpcore"))  # the test's own client
    )
    assert login.status_code == 303 and cookie and "uvicorn.access" in server_log
    secrets = [tokens["admin"], "acc_wrong-token-value", PASSWORD, "a-wrong-password", cookie]
    with session_scope(fresh_db) as session:
        stored = " ".join(
            str(row) for row in session.execute(text("SELECT payload FROM audit_events")).all()
        )
    for secret in secrets:
        assert secret not in server_log
        assert secret not in stored


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc arenas")
def test_serve_caps_malloc_arenas(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`accord serve` caps glibc's arenas (flat memory under load) unless the operator chose."""
    from accord.web.memory import ARENA_ENV, limit_malloc_arenas

    monkeypatch.delenv(ARENA_ENV, raising=False)
    assert limit_malloc_arenas() == 2
    assert os.environ[ARENA_ENV] == "2"  # worker processes inherit it
    monkeypatch.setenv(ARENA_ENV, "4")
    assert limit_malloc_arenas() == 4
    monkeypatch.setenv(ARENA_ENV, "many")
    assert limit_malloc_arenas() is None


def test_handler_threads_follow_the_setting(fresh_db: str) -> None:
    """``ACCORD_SERVE_THREADS`` sizes the pool that runs request handlers."""
    from anyio import to_thread

    from accord.config import get_settings
    from accord.db import migrate
    from accord.web.app import create_app

    migrate.upgrade(fresh_db)
    app = create_app(get_settings(secret_key="k", serve_threads=6), fresh_db)
    with TestClient(app) as client:  # runs the app's start-up
        tokens = client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)  # type: ignore[union-attr]
        assert tokens == 6
        assert client.get("/api/v1/health").status_code == 200


def test_hostile_values_are_text_on_every_page(web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Hostile strings in a source's title and an incident's perpetrator stay inert everywhere."""
    import yaml

    client, tokens, _source = web
    corpus = Path(__file__).resolve().parents[1] / "badinput" / "hostile.yaml"
    hostile = [s.replace("{secret}", "/etc/hostname") for s in yaml.safe_load(corpus.read_text())]
    monitor, analyst = bearer(tokens["monitor"]), bearer(tokens["analyst"])
    for n, value in enumerate(hostile):
        body = {
            "type": "explosion",
            "latitude": 47.9 + n / 100,
            "longitude": 37.1,
            "occurred_at": "2026-02-04T09:00",
            "alleged_perpetrator": value,
        }
        assert client.post("/api/v1/incidents", json=body, headers=monitor).status_code == 201
    note = (
        f"Title: {hostile[0]}\nPublisher: {hostile[1]}\nDate: 2025-11-24\n\nRussia rejected it.\n"
    )
    upload = client.post(
        "/api/v1/sources", files={"file": ("hostile.md", note.encode())}, headers=analyst
    )
    assert upload.status_code == 201, upload.text
    source_id = upload.json()["source"]["id"]
    login = client.post(
        "/login", data={"name": "admin", "password": PASSWORD}, follow_redirects=False
    )
    assert login.status_code == 303
    pages = [
        "/board",
        f"/sources/{source_id}",
        "/incidents",
        "/map",
        "/events",
        "/review",
        "/reports/daily?date=2026-02-04",
        "/api/v1/reports/daily.html?date=2026-02-04",
    ]
    markers = (
        "<script>document",
        '<meta http-equiv="refresh"',
        '<a rel="attachment"',
        '<img src="file',
        "<svg onload",
        "</title><style>",
        '<iframe src="javascript',
    )
    for path in pages:
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, (path, response.text[:200])
        for marker in markers:
            assert marker not in response.text, (path, marker)
        if path.startswith("/api/v1/reports/"):
            csp = response.headers.get("Content-Security-Policy", "")
            assert csp.startswith("default-src 'none'; "), csp
            assert "script-src" not in csp, csp
