"""The REST API and pages: responses, sessions, CSRF, rate limit, escaping, JSON twins."""

from fastapi.testclient import TestClient

from conftest import PASSWORD


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_read_endpoints(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    h = auth(tokens["viewer"])
    assert client.get("/api/v1/health").json()["status"] == "ok"
    board = client.get("/api/v1/board", headers=h).json()
    assert board["parties"] == ["us", "ua", "ru", "eu"]
    assert client.get(f"/api/v1/sources/{source_id}", headers=h).json()["title"] == "Geneva note"
    claims = client.get(f"/api/v1/claims?source={source_id}", headers=h).json()
    assert claims["total"] >= 1
    assert client.get("/api/v1/agreements", headers=h).json()[0]["drafts"]
    diff = client.get(
        "/api/v1/drafts/us-28-point-plan/diff/twenty-point-framework", headers=h
    ).json()
    assert any(f["what"] == "armed-forces-cap" for c in diff["changed"] for f in c["figures"])
    missing = client.get("/api/v1/sources/999", headers=h)
    assert missing.status_code == 404 and missing.json()["title"] == "NotFound"
    assert client.get("/board.json", headers=h).json()["board"]["parties"]
    assert client.get("/openapi.json").status_code == 200


def test_writes_and_audit(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    first = client.get(f"/api/v1/claims?source={source_id}", headers=auth(tokens["viewer"])).json()[
        "items"
    ][0]
    denied = client.post(
        f"/api/v1/claims/{first['id']}/review",
        json={"action": "reject"},
        headers=auth(tokens["viewer"]),
    )
    assert denied.status_code == 403
    done = client.post(
        f"/api/v1/claims/{first['id']}/review",
        json={"action": "reject"},
        headers=auth(tokens["analyst"]),
    )
    assert done.status_code == 200 and done.json()["review_state"] == "rejected"
    again = client.post(
        f"/api/v1/claims/{first['id']}/review",
        json={"action": "accept"},
        headers=auth(tokens["analyst"]),
    )
    assert again.status_code == 409
    filed = client.post(
        "/api/v1/incidents",
        json={
            "type": "explosion",
            "latitude": 48.0,
            "longitude": 37.5,
            "occurred_at": "2026-02-03T10:00",
        },
        headers=auth(tokens["monitor"]),
    )
    assert filed.status_code == 201
    bad = client.post(
        "/api/v1/incidents",
        json={"type": "parade", "latitude": 48.0, "longitude": 37.5, "occurred_at": "2026-02-03"},
        headers=auth(tokens["monitor"]),
    )
    assert bad.status_code == 422 and "unknown incident type" in bad.json()["detail"]
    incident = filed.json()["id"]
    moved = client.post(
        f"/api/v1/incidents/{incident}/transition",
        json={"to": "under_review"},
        headers=auth(tokens["council"]),
    )
    assert moved.status_code == 200 and moved.json()["status"] == "under_review"
    upload = client.post(
        "/api/v1/sources",
        files={"file": ("memo.txt", b"Kyiv rejected the plan.")},
        headers=auth(tokens["analyst"]),
    )
    assert upload.status_code == 201 and upload.json()["added"] is True
    assert client.get("/api/v1/board", headers={"Authorization": "Bearer nope"}).status_code == 401


def login(client: TestClient, name: str) -> str:
    response = client.post(
        "/login", data={"name": name, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.cookies.get("accord_session")
    assert cookie and "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=strict" in response.headers["set-cookie"].lower()
    page = client.get("/board")
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def test_session_csrf_and_escaping(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, source_id = web
    assert client.get("/board", follow_redirects=False).headers["location"].startswith("/login")
    csrf = login(client, "analyst")
    page = client.get(f"/sources/{source_id}")
    assert page.status_code == 200 and "<mark" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    claim = page.text.split('id="claim-')[1].split('"')[0]
    forged = client.post(
        f"/claims/{claim}/review",
        data={"action": "reject", "source_id": source_id},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    ok = client.post(
        f"/claims/{claim}/review",
        data={"action": "reject", "source_id": source_id, "csrf": csrf},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "state-rejected" in client.get(f"/sources/{source_id}").text
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303


def test_login_rate_limit(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    client.app.state.login_limiter.clock = lambda: 1000.0  # no time passes: the wait holds
    for _ in range(5):
        assert (
            client.post("/login", data={"name": "viewer", "password": "wrong password"}).status_code
            == 401
        )
    assert client.post("/login", data={"name": "viewer", "password": PASSWORD}).status_code == 429


def test_pages_render(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    login(client, "admin")
    for path in ("/board", "/events", "/agreements", "/incidents", "/map", "/issues/territory"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert (
            client.get(path, headers={"Accept": "application/json"})
            .headers["content-type"]
            .startswith("application/json")
        )
