"""The authorisation matrix, written out by hand, against what the server does for every role.

The expected table below is typed in, not read from the decorator that registers the routes, so
a route registered with the wrong permission fails here. Roles, from the README: ``viewer``
reads; ``analyst`` also ingests and reviews claims; ``monitor`` files and imports incidents;
``council`` moves incidents through verification and rules; ``admin`` may do everything; an
anonymous visitor sees only the health check, the OpenAPI schema, the static files and the
login form (the ``/public`` routes too, but only when ``ACCORD_PUBLIC_VIEW`` is on: see
``test_public_view.py``). Each allowed role sends a valid request and must get the route's success status;
each other role must be refused (401 on the API and 303 to the login form for an anonymous
visitor, 403 for a signed-in role) and its refused write must leave no audit event.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.routing import Mount, Route

from accord.agreements import service as agreements
from accord.alerts import service as alerts
from accord.alerts.schemas import SubscriptionIn
from accord.audit.models import AuditEvent
from accord.claims import service as claims
from accord.db.session import session_scope
from accord.incidents import workflow
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.zones import service as zones
from conftest import PASSWORD, file_incident

COLUMNS = ("anonymous", "viewer", "analyst", "monitor", "council", "admin")

# y: allowed, -: refused. One row per method and path the app serves.
MATRIX = """
GET  /api/v1/health                               y y y y y y
GET  /openapi.json                                y y y y y y
GET  /api/docs                                    y y y y y y
GET  /api/v1/search                               - y y y y y
GET  /search                                      - y y y y y
GET  /search.json                                 - y y y y y
GET  /api/v1/board/diff                           - y y y y y
GET  /board/diff                                  - y y y y y
GET  /board/diff.json                             - y y y y y
GET  /api/v1/board                                - y y y y y
GET  /api/v1/issues/{issue_id}/timeline           - y y y y y
GET  /api/v1/events                               - y y y y y
GET  /api/v1/sources                              - y y y y y
POST /api/v1/sources                              - - y - - y
GET  /api/v1/sources/{source_id}                  - y y y y y
GET  /api/v1/claims                               - y y y y y
POST /api/v1/claims/{claim_id}/review             - - y - - y
GET  /api/v1/agreements                           - y y y y y
GET  /api/v1/drafts/{draft_id}                    - y y y y y
GET  /api/v1/drafts/{old}/diff/{new}              - y y y y y
GET  /api/v1/drafts/{draft_id}/status             - y y y y y
GET  /api/v1/incidents                            - y y y y y
POST /api/v1/incidents                            - - - y - y
GET  /api/v1/incidents/{incident_id}              - y y y y y
POST /api/v1/incidents/{incident_id}/transition   - - - - y y
POST /api/v1/incidents/{incident_id}/rulings      - - - - y y
POST /api/v1/incidents/import                     - - - y - y
GET  /api/v1/zones                                - y y y y y
GET  /api/v1/territory/compare                    - y y y y y
GET  /api/v1/reports/daily                        - y y y y y
GET  /api/v1/reports/daily.html                   - y y y y y
GET  /api/v1/reports/weekly                       - y y y y y
GET  /api/v1/reports/weekly.html                  - y y y y y
GET  /api/v1/exports/{dataset}                     - y y y y y
GET  /public                                       - y y y y y
GET  /public.json                                  - y y y y y
GET  /public/reports/{day}                         - y y y y y
GET  /public/release/{name}                        - y y y y y
GET  /                                            y y y y y y
GET  /login                                       y y y y y y
GET  /api/v1/me/alerts/subscriptions              - y y y y y
POST /api/v1/me/alerts/subscriptions              - y y y y y
DELETE /api/v1/me/alerts/subscriptions/{subscription_id} - y y y y y
GET  /api/v1/me/alerts/history                    - y y y y y
POST /api/v1/me/alerts/feed-token                 - y y y y y
GET  /alerts                                      - y y y y y
GET  /alerts.json                                 - y y y y y
POST /alerts                                      - y y y y y
POST /alerts/{subscription_id}/remove             - y y y y y
GET  /alerts/history                              - y y y y y
GET  /alerts/history.json                         - y y y y y
GET  /alerts/feed.atom                            y y y y y y
POST /login                                       y y y y y y
POST /logout                                      y y y y y y
POST /logout/everywhere                           - y y y y y
GET  /api/v1/me/tokens                            - y y y y y
POST /api/v1/me/sign-out-everywhere               - y y y y y
GET  /board                                       - y y y y y
GET  /board.json                                  - y y y y y
GET  /issues/{issue_id}                           - y y y y y
GET  /issues/{issue_id}.json                      - y y y y y
GET  /sources/{source_id}                         - y y y y y
GET  /sources/{source_id}.json                    - y y y y y
POST /claims/{claim_id}/review                    - - y - - y
GET  /review                                      - - y - - y
GET  /review.json                                 - - y - - y
GET  /incidents                                   - y y y y y
GET  /incidents.json                              - y y y y y
POST /incidents/{incident_id}/transition          - - - - y y
GET  /map                                         - y y y y y
GET  /api/v1/map/layers                           - y y y y y
GET  /api/v1/map/incidents                        - y y y y y
GET  /map.json                                    - y y y y y
GET  /reports/daily                               - y y y y y
GET  /reports/daily.json                          - y y y y y
GET  /reports/weekly                              - y y y y y
GET  /reports/weekly.json                         - y y y y y
GET  /events                                      - y y y y y
GET  /events.json                                 - y y y y y
GET  /agreements                                  - y y y y y
GET  /agreements.json                             - y y y y y
GET  /territory                                   - y y y y y
GET  /territory.json                              - y y y y y
GET  /claims/{claim_id}                           - y y y y y
GET  /claims/{claim_id}.json                      - y y y y y
GET  /incidents/{incident_id}                     - y y y y y
GET  /incidents/{incident_id}.json                - y y y y y
GET  /drafts/{draft_id}                           - y y y y y
GET  /drafts/{draft_id}.json                      - y y y y y
GET  /feeds                                       - - - - - y
GET  /feeds.json                                  - - - - - y
"""
# mounted folders, served to anyone
MOUNTS = {"/static": "/static/accord.css"}


def expected() -> dict[tuple[str, str], set[str]]:
    """Parse MATRIX into {(method, path): roles allowed}."""
    table: dict[tuple[str, str], set[str]] = {}
    for line in MATRIX.strip().splitlines():
        method, path, *marks = line.split()
        assert len(marks) == len(COLUMNS) and set(marks) <= {"y", "-"}, line
        assert (method, path) not in table, f"listed twice: {line}"
        table[(method, path)] = {
            role for role, mark in zip(COLUMNS, marks, strict=True) if mark == "y"
        }
    return table


def served(client: TestClient) -> tuple[set[tuple[str, str]], set[str]]:
    """Return every (method, path) the app routes (HEAD aside) and its mounted folders.

    Routes are gathered twice, from the routing tree (FastAPI keeps included routers as branches)
    and from the OpenAPI schema, so a route hidden from one is still found in the other.
    """
    routes: set[tuple[str, str]] = set()
    mounts: set[str] = set()
    pending = list(client.app.routes)  # type: ignore[attr-defined]
    while pending:
        entry = pending.pop()
        branch = getattr(entry, "original_router", None)  # an included router
        if branch is not None:
            pending.extend(branch.routes)
        elif isinstance(entry, Mount):
            mounts.add(entry.path)
        elif isinstance(entry, (APIRoute, Route)):
            routes |= {(m, entry.path) for m in entry.methods or () if m != "HEAD"}
    for path, methods in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        routes |= {(m.upper(), path) for m in methods}
    return routes, mounts


def test_the_table_lists_every_route_and_no_other(web) -> None:  # type: ignore[no-untyped-def]
    client, _tokens, _source = web
    routes, mounts = served(client)
    table = expected()
    assert sorted(routes - table.keys()) == []  # served but not in the table
    assert sorted(table.keys() - routes) == []  # in the table but not served
    assert mounts == set(MOUNTS)
    assert len(table) == 91


@dataclass
class Call:
    """One request and the status it must get when the role is allowed."""

    url: str
    ok: int = 200
    options: dict[str, Any] = field(default_factory=dict)
    location: str | None = None  # where an allowed redirect must lead


@dataclass
class World:
    """What the requests refer to: the database, a source, an incident, a counter."""

    db: str
    blob_dir: Path
    source_id: int
    incident_id: int
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    user: str = "setup"  # the role's user: the owner of the subscriptions made for its calls

    def fresh_claim(self) -> tuple[int, int]:
        """Ingest a new one-sentence source; return (source id, its first claim's id)."""
        n = next(self.numbers)
        with session_scope(self.db) as session:
            source, added = sources.ingest_bytes(
                session,
                f"Kyiv rejected the plan. Note {n}.".encode(),
                Path(f"note-{n}.txt"),
                by="setup",
                blobs=BlobStore(self.blob_dir),
            )
            assert added
            stored = claims.extract_for_source(session, source, by="setup")
            assert stored, "the sentence must give a claim to review"
            return source.id, stored[0].id

    def fresh_incident(self, status: str = "reported") -> int:
        """File a new incident and move it to a status (by a setup user)."""
        incident_id = file_incident(self.db, "setup-monitor")
        if status == "verified":
            with session_scope(self.db) as session:
                workflow.transition(session, incident_id, "under_review", by="setup")
                workflow.transition(session, incident_id, "verified", by="setup")
        return incident_id

    def fresh_subscription(self) -> int:
        """Subscribe the role's user to rulings; return the subscription's id."""
        with session_scope(self.db) as session:
            data = SubscriptionIn(kind="ruling")
            return alerts.subscribe(session, data, user=self.user, by="setup").id

    def feed_token(self) -> str:
        """Return a new Atom feed token of the viewer."""
        with session_scope(self.db) as session:
            return alerts.issue_feed_token(session, user="viewer", by="setup")

    def audit_count(self) -> int:
        """Return the number of audit events."""
        with session_scope(self.db) as session:
            return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def incident_feature(n: int) -> bytes:
    """Return a GeoJSON collection holding one valid incident."""
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [35.1, 47.5]},
        "properties": {"type": "explosion", "occurred_at": f"2026-02-{n % 27 + 1:02d}T08:00"},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def writes(w: World) -> dict[tuple[str, str], Callable[[], Call]]:
    """Return, per state-changing route, a builder of one valid request on fresh state."""

    def review_api() -> Call:
        _source, claim = w.fresh_claim()
        return Call(f"/api/v1/claims/{claim}/review", options={"json": {"action": "accept"}})

    def review_form() -> Call:
        source, claim = w.fresh_claim()
        return Call(
            f"/claims/{claim}/review",
            303,
            {"data": {"action": "accept", "source_id": str(source)}},
            location=f"/sources/{source}?done={claim}",  # back at the row
        )

    def transition_form() -> Call:
        incident = w.fresh_incident()
        return Call(
            f"/incidents/{incident}/transition",
            303,
            {"data": {"to": "under_review"}},
            location=f"/incidents?done={incident}",
        )

    def ruling() -> Call:
        incident = w.fresh_incident("verified")
        body = {
            "outcome": "no_violation",
            "votes": {"chair-us": "yes"},
            "published_on": "2026-02-05",
        }
        return Call(f"/api/v1/incidents/{incident}/rulings", 201, {"json": body})

    def upload() -> Call:
        n = next(w.numbers)
        content = f"Moscow rejected the proposal. Upload {n}.".encode()
        return Call("/api/v1/sources", 201, {"files": {"file": (f"memo-{n}.txt", content)}})

    incident = {
        "type": "explosion",
        "latitude": 47.6,
        "longitude": 35.2,
        "occurred_at": "2026-02-04T07:30",
    }
    return {
        ("POST", "/api/v1/sources"): upload,
        ("POST", "/api/v1/claims/{claim_id}/review"): review_api,
        ("POST", "/api/v1/incidents"): lambda: Call("/api/v1/incidents", 201, {"json": incident}),
        ("POST", "/api/v1/incidents/{incident_id}/transition"): lambda: Call(
            f"/api/v1/incidents/{w.fresh_incident()}/transition",
            options={"json": {"to": "under_review"}},
        ),
        ("POST", "/api/v1/incidents/{incident_id}/rulings"): ruling,
        ("POST", "/api/v1/incidents/import"): lambda: Call(
            "/api/v1/incidents/import?format=geojson",
            options={"files": {"file": ("one.geojson", incident_feature(next(w.numbers)))}},
        ),
        ("POST", "/login"): lambda: Call(
            "/login", 303, {"data": {"name": "viewer", "password": PASSWORD}}, location="/board"
        ),
        ("POST", "/logout"): lambda: Call("/logout", 303, location="/login"),
        ("POST", "/logout/everywhere"): lambda: Call("/logout/everywhere", 303, location="/login"),
        ("POST", "/api/v1/me/sign-out-everywhere"): lambda: Call("/api/v1/me/sign-out-everywhere"),
        ("POST", "/claims/{claim_id}/review"): review_form,
        ("POST", "/api/v1/me/alerts/subscriptions"): lambda: Call(
            "/api/v1/me/alerts/subscriptions", 201, {"json": {"kind": "ruling"}}
        ),
        ("DELETE", "/api/v1/me/alerts/subscriptions/{subscription_id}"): lambda: Call(
            f"/api/v1/me/alerts/subscriptions/{w.fresh_subscription()}"
        ),
        ("POST", "/api/v1/me/alerts/feed-token"): lambda: Call("/api/v1/me/alerts/feed-token", 201),
        ("POST", "/alerts"): lambda: Call("/alerts", 303, {"data": {"kind": "ruling"}}),
        ("POST", "/alerts/{subscription_id}/remove"): lambda: Call(
            f"/alerts/{w.fresh_subscription()}/remove", 303, location="/alerts"
        ),
        ("POST", "/incidents/{incident_id}/transition"): transition_form,
    }


def read_call(path: str, w: World) -> Call:
    """Return the request for a GET route, with real ids and its required query."""
    url = (
        path.replace("{issue_id}", "territory")
        .replace("{source_id}", str(w.source_id))
        .replace("{incident_id}", str(w.incident_id))
        .replace("{draft_id}", "twenty-point-framework")
        .replace("{old}", "us-28-point-plan")
        .replace("{new}", "twenty-point-framework")
        .replace("{dataset}", "incidents")
        .replace("{day}", "2026-02-04")
        .replace("{name}", "incidents.csv")
    )
    if "{claim_id}" in url:
        url = url.replace("{claim_id}", str(w.fresh_claim()[1]))
    if "/reports/daily" in url or "/reports/weekly" in url:
        url += "?date=2026-02-04"
    if url == "/api/v1/board/diff":
        url += "?start=2025-11-01"
    if url == "/api/v1/search":
        url += "?q=rejected"
    if url == "/alerts/feed.atom":
        url += f"?token={w.feed_token()}"
    if url == "/api/v1/territory/compare":
        url += "?p=freeze"
    if url == "/":
        return Call(url, 303, location="/board")
    if url.startswith(("/public/reports/", "/public/release/")):
        return Call(url, 404)  # allowed, but nothing is published in this world
    return Call(url)


def refused(role: str, path: str, response: Any) -> bool:
    """Tell whether a response is the refusal this role must get on this path."""
    if role != "anonymous":
        return response.status_code == 403
    if path.startswith("/api/"):
        return response.status_code == 401
    location = response.headers.get("location", "")
    return response.status_code == 303 and location.startswith("/login?next=")


def square(name: str, west: float, south: float, size: float) -> dict[str, Any]:
    """Return a GeoJSON feature: a square with a name."""
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def prepare(db: str, folder: Path) -> None:
    """Give the read routes something to show: oblasts, an occupied area, a signed draft."""
    oblasts = folder / "oblasts.geojson"
    features = [
        square("Донецька область", 37.0, 47.0, 1.5),
        square("Луганська область", 38.5, 48.0, 1.5),
        square("Запорізька область", 35.0, 47.0, 2.0),
    ]
    oblasts.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    occupied = folder / "occupied.geojson"
    held = [square("occupied", 38.0, 47.0, 2.0)]
    occupied.write_text(json.dumps({"type": "FeatureCollection", "features": held}))
    with session_scope(db) as session:
        zones.load_geojson(
            session,
            oblasts,
            zones.LoadOptions(kind="admin_area", id_property="name", id_prefix="ua-oblast-"),
            by="setup",
        )
        zones.load_geojson(
            session,
            occupied,
            zones.LoadOptions(
                kind="occupied_area", id_value="occupied", valid_from=dt.date(2025, 1, 1)
            ),
            by="setup",
        )
        agreements.sign(session, "twenty-point-framework", dt.date(2026, 1, 10), by="setup")


@pytest.mark.parametrize("role", COLUMNS)
def test_authorisation_matrix(web, fresh_db: str, home, tmp_path, role: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    prepare(fresh_db, tmp_path)
    w = World(
        fresh_db, home / "blobs", source_id, file_incident(fresh_db, "setup-monitor"), user=role
    )
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    builders = writes(w)
    problems = []
    for (method, path), allowed in sorted(expected().items()):
        call = builders[(method, path)]() if method != "GET" else read_call(path, w)
        before = w.audit_count() if method != "GET" else 0
        response = client.request(
            method, call.url, headers=headers, follow_redirects=False, **call.options
        )
        client.cookies.clear()  # a login in this loop must not sign the next requests in
        if role in allowed:
            good = response.status_code == call.ok and (
                call.location is None or response.headers.get("location") == call.location
            )
        else:
            good = refused(role, path, response) and (method == "GET" or w.audit_count() == before)
        if not good:
            problems.append(
                (method, path, role in allowed, response.status_code, response.text[:200])
            )
    for mount, sample in MOUNTS.items():
        response = client.get(sample, headers=headers)
        if response.status_code != 200:
            problems.append(("GET", mount, True, response.status_code, ""))
    assert not problems, "\n".join(map(repr, problems))
