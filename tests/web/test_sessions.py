"""Browser sessions: sign-out everywhere, password changes, re-login, the Secure flag, workers."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.audit.models import AuditEvent
from accord.cli.main import app as cli
from accord.config import get_settings
from accord.db.session import session_scope
from accord.web.app import create_app
from conftest import PASSWORD, serving

NEW_PASSWORD = "a brand new passphrase"


def _login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in; return the CSRF token of the new session."""
    response = client.post(
        "/login", data={"name": name, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    page = client.get("/board")
    assert page.status_code == 200
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def _signed_in(client: TestClient) -> bool:
    page = client.get("/board", follow_redirects=False)
    return page.status_code == 200


def _actions(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEvent.action)))


def test_a_password_change_ends_older_sessions(web, fresh_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    _login(client, "analyst")
    other_browser = TestClient(client.app)
    _login(other_browser, "analyst")
    changed = runner.invoke(
        cli,
        ["users", "password", "analyst", "--password-stdin", "--db", fresh_db],
        input=NEW_PASSWORD + "\n",
    )
    assert changed.exit_code == 0, changed.output
    assert not _signed_in(client) and not _signed_in(other_browser)  # cookies from before
    assert client.post("/login", data={"name": "analyst", "password": PASSWORD}).status_code == 401
    _login(client, "analyst", NEW_PASSWORD)
    assert _signed_in(client)
    assert "user.password" in _actions(fresh_db)


def test_sign_out_everywhere_from_the_page(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    anonymous = client.post("/logout/everywhere", follow_redirects=False)
    assert anonymous.headers["location"].startswith("/login?next=")
    csrf = _login(client, "council")
    laptop = TestClient(client.app)
    _login(laptop, "council")
    assert 'action="/logout/everywhere"' in client.get("/board").text
    forged = client.post("/logout/everywhere", follow_redirects=False)
    assert forged.status_code == 403 and _signed_in(laptop)  # the CSRF check holds
    ended = client.post("/logout/everywhere", data={"csrf": csrf}, follow_redirects=False)
    assert ended.status_code == 303
    assert not _signed_in(laptop)
    client.cookies.clear()
    assert not _signed_in(client)
    assert _actions(fresh_db).count("user.sessions.end") == 1


def test_sign_out_everywhere_from_the_cli_and_the_api(web, fresh_db: str, runner) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    _login(client, "monitor")
    result = runner.invoke(cli, ["users", "sign-out", "monitor", "--db", fresh_db])
    assert result.exit_code == 0, result.output
    assert not _signed_in(client)
    _login(client, "monitor")
    api = client.post(
        "/api/v1/me/sign-out-everywhere", headers={"Authorization": f"Bearer {tokens['monitor']}"}
    )
    assert api.status_code == 200 and api.json()["session_generation"] == 2
    assert not _signed_in(client)
    assert (
        client.get(
            "/api/v1/board", headers={"Authorization": f"Bearer {tokens['monitor']}"}
        ).status_code
        == 200
    )  # tokens are not sessions: they stay until revoked
    assert _actions(fresh_db).count("user.sessions.end") == 2


def test_signing_in_while_signed_in(web) -> None:  # type: ignore[no-untyped-def]
    """A second sign-in (another tab's form, or another user) replaces the session."""
    client, _tokens, _source = web
    _login(client, "analyst")
    _login(client, "admin")
    assert "admin (admin)" in client.get("/board").text
    cross_site = client.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert cross_site.status_code == 403


def _set_cookie(response: httpx.Response) -> str:
    return response.headers["set-cookie"].lower()


def test_cookie_is_secure_over_https(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    form = {"name": "viewer", "password": PASSWORD}
    plain = client.post("/login", data=form, follow_redirects=False)
    assert plain.status_code == 303 and "secure" not in _set_cookie(plain)
    https = TestClient(client.app, base_url="https://testserver")
    tls = https.post("/login", data=form, follow_redirects=False)
    assert tls.status_code == 303 and "; secure" in _set_cookie(tls)
    forced = TestClient(create_app(get_settings(secret_key="k", cookie_secure=False), fresh_db))
    off = TestClient(forced.app, base_url="https://testserver").post(
        "/login", data=form, follow_redirects=False
    )
    assert off.status_code == 303 and "secure" not in _set_cookie(off)  # the operator's choice


@pytest.mark.parametrize(("trusted", "secure"), [("127.0.0.1", True), ("10.9.9.9", False)])
def test_cookie_is_secure_behind_a_trusted_proxy(
    web, monkeypatch: pytest.MonkeyPatch, trusted: str, secure: bool
) -> None:  # type: ignore[no-untyped-def]
    """X-Forwarded-Proto: https makes the cookie Secure only when it comes from a trusted proxy."""
    client, _tokens, _source = web
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", trusted)  # what --forwarded-allow-ips sets
    with serving(client.app) as base:
        response = httpx.post(
            base + "/login",
            data={"name": "viewer", "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
            timeout=60,  # argon2 on a busy machine
        )
    assert response.status_code == 303
    assert ("; secure" in _set_cookie(response)) is secure


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_workers_share_one_session_key(web, fresh_db: str, home: Path) -> None:  # type: ignore[no-untyped-def]
    """`accord serve --workers 2` without ACCORD_SECRET_KEY: a session is valid on both workers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_SECRET_KEY"}
    command = ["serve", "--workers", "2", "--port", str(port), "--db", fresh_db]
    server = subprocess.Popen(
        [sys.executable, "-m", "accord.cli.main", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # two workers import accord: slow on a busy machine
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        login = httpx.post(
            base + "/login", data={"name": "viewer", "password": PASSWORD}, timeout=60
        )
        cookie = login.cookies["accord_session"]
        statuses = set()
        for _ in range(30):  # a new connection each time, so both workers answer some
            with httpx.Client(
                base_url=base, cookies={"accord_session": cookie}, timeout=60
            ) as browser:
                statuses.add(browser.get("/board", follow_redirects=False).status_code)
        assert statuses == {200}
    finally:
        server.terminate()
        server.wait(timeout=30)
