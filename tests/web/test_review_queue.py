"""The review queue page: unreviewed claims lowest confidence first, reviewed from the queue."""

from __future__ import annotations

from sqlalchemy import select

from accord.claims.models import Claim
from accord.db.session import session_scope


def _bearer(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}"}


def test_queue_page_orders_by_confidence_and_reviews_lead_back(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    analyst = _bearer(tokens, "analyst")
    data = client.get("/review.json", headers=analyst).json()
    confidences = [c["confidence"] for c in data["items"]]
    assert data["total"] == len(data["items"]) >= 2
    assert confidences == sorted(confidences)
    assert "territory" in data["issues"] and "ua" in data["holders"]
    page = client.get("/review", headers=analyst)
    assert page.status_code == 200 and 'href="/review"' in page.text
    assert f"claim-{data['items'][0]['id']}" in page.text
    assert 'href="/review"' not in client.get("/board", headers=_bearer(tokens, "viewer")).text

    first, second = data["items"][0], data["items"][1]
    back = "/review?offset=0&kind=position"
    accepted = client.post(
        f"/claims/{first['id']}/review",
        data={"action": "accept", "source_id": str(source_id), "back": back},
        headers=analyst,
        follow_redirects=False,
    )
    assert (
        accepted.status_code == 303
        and accepted.headers["location"] == back + f"&done={first['id']}"
    )
    corrected = client.post(
        f"/claims/{second['id']}/review",
        data={
            "action": "correct",
            "source_id": str(source_id),
            "issue": "territory",
            "holder": "ua",
            "back": "https://elsewhere.example/review",
        },
        headers=analyst,
        follow_redirects=False,
    )
    # a return path that is not this site's queue leads to the source page instead
    assert corrected.status_code == 303
    assert corrected.headers["location"] == f"/sources/{source_id}?done={second['id']}"
    after = client.get("/review.json", headers=analyst).json()
    assert after["total"] == data["total"] - 2
    assert {first["id"], second["id"]}.isdisjoint(c["id"] for c in after["items"])
    with session_scope(fresh_db) as session:
        replacement = session.scalars(
            select(Claim).where(Claim.supersedes_id == second["id"])
        ).one()
        assert (replacement.issue_id, replacement.holder_id) == ("territory", "ua")
        assert session.get(Claim, first["id"]).review_state == "accepted"  # type: ignore[union-attr]


def test_queue_filters_and_bad_kind(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    analyst = _bearer(tokens, "analyst")
    statuses = client.get("/review.json?kind=status", headers=analyst).json()
    assert statuses["total"] >= 1 and {c["kind"] for c in statuses["items"]} == {"status"}
    assert client.get(f"/review.json?source={source_id + 1}", headers=analyst).json()["total"] == 0
    bad = client.get("/review.json?kind=rumour", headers=analyst)
    assert bad.status_code in (400, 422) and "kind" in bad.text
    assert client.get("/review", headers=_bearer(tokens, "viewer")).status_code == 403
