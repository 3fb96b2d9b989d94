"""Every route the app registers has a rule; every role is allowed or denied as the rule says."""

import re

import pytest

from accord.web.security import GRANTS, ROUTE_PERMISSIONS
from conftest import ROLES

SAMPLE = {
    "issue_id": "territory",
    "source_id": "1",
    "claim_id": "1",
    "draft_id": "twenty-point-framework",
    "old": "us-28-point-plan",
    "new": "twenty-point-framework",
    "incident_id": "1",
}
QUERY = {
    "/api/v1/reports/daily": "?date=2026-02-04",
    "/api/v1/reports/daily.html": "?date=2026-02-04",
    "/reports/daily": "?date=2026-02-04",
    "/reports/daily.json": "?date=2026-02-04",
    "/api/v1/territory/compare": "?p=freeze",
    "/api/v1/incidents/import": "?format=csv",
}


def routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = []
    for path, methods in app.openapi()["paths"].items():
        for method in methods:
            found.append((method.upper(), path))
    return found


def test_every_route_has_a_rule(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    missing = [r for r in routes(client.app) if r not in ROUTE_PERMISSIONS]
    assert missing == []
    assert len(routes(client.app)) >= 40


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_authorisation_matrix(web, role: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source = web
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    for method, path in routes(client.app):
        if path in ("/login", "/logout", "/logout/everywhere"):
            continue  # they answer with a redirect to /login (test_sessions.py checks them)
        url = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path) + QUERY.get(path, "")
        response = client.request(
            method,
            url,
            headers=headers,
            json={} if method == "POST" else None,
            follow_redirects=False,
        )
        permission = ROUTE_PERMISSIONS[(method, path)]
        allowed = (role if role != "anonymous" else "anonymous") in GRANTS[permission]
        denied = response.status_code in (401, 403) or (
            response.status_code == 303
            and response.headers.get("location", "").startswith("/login")
        )
        if allowed:
            assert not denied, (role, method, path, response.status_code)
        else:
            assert denied, (role, method, path, response.status_code)
