"""Evidence everywhere: board cells link to claims; claim, incident and draft pages; the report."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from accord.agreements import service as agreements
from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.db.session import session_scope
from accord.incidents import workflow
from conftest import file_incident

HTML = {"Accept": "text/html"}


def _auth(tokens: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[role]}", **HTML}


def test_a_board_cell_leads_to_its_claim_and_the_claim_to_its_sentence(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    board = client.get("/board", headers=_auth(tokens, "viewer")).text
    links = re.findall(r'<td class="cell" data-party="ru"><a href="/claims/(\d+)"', board)
    assert links, board[:2000]
    page = client.get(f"/claims/{links[0]}", headers=_auth(tokens, "viewer"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<mark id="sentence">Russia rejected the European counter-proposal.</mark>' in text
    assert f'href="/sources/{source_id}#claim-{links[0]}"' in text
    assert "accord-rules" in text and "Not reviewed yet" in text
    data = client.get(f"/claims/{links[0]}.json", headers=_auth(tokens, "viewer")).json()
    assert data["claim"]["holder_id"] == "ru" and data["source"]["id"] == source_id
    assert data["context"]["quote"] == "Russia rejected the European counter-proposal."


def test_the_claim_page_corrects_every_field_audited(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    with session_scope(fresh_db) as session:
        claim = session.scalars(select(Claim).where(Claim.holder_id == "ru")).first()
        assert claim is not None
        claim_id, source_id = claim.id, claim.source_id
    csrf_free = _auth(tokens, "analyst")  # bearer tokens are not cookie sessions: no CSRF
    form = {
        "action": "correct",
        "source_id": str(source_id),
        "back": "claim",
        "holder": "us",
        "issue": "sanctions",
        "stance": "support",
        "date": "2025-11-20",
        "reason": "misread speaker",
    }
    done = client.post(
        f"/claims/{claim_id}/review", data=form, headers=csrf_free, follow_redirects=False
    )
    assert done.status_code == 303
    new_id = int(done.headers["location"].rsplit("/", 1)[1])
    assert new_id != claim_id
    fixed = client.get(f"/claims/{new_id}.json", headers=csrf_free).json()
    assert fixed["claim"]["holder_id"] == "us" and fixed["claim"]["issue_id"] == "sanctions"
    assert fixed["claim"]["stance"] == "support" and fixed["claim"]["date"] == "2025-11-20"
    assert fixed["chain"] == [claim_id, new_id]
    history = fixed["history"]
    assert [h["action"] for h in history] == ["claim.corrected"]
    assert history[0]["payload"]["changes"]["holder"] == "us"
    page = client.get(f"/claims/{claim_id}", headers=csrf_free).text
    assert "holder → us" in page and "note → misread speaker" in page
    with session_scope(fresh_db) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "claim.corrected")
        ).one()
        assert event.entity_id == str(claim_id) and event.user == "analyst"
    bad = client.post(
        f"/claims/{new_id}/review",
        data={**form, "date": "someday soon"},
        headers=csrf_free,
    )
    assert bad.status_code in (409, 422)  # already accepted, or the date refused; never a 500


def test_source_highlights_name_their_claims_and_alternate(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, source_id = web
    text = client.get(f"/sources/{source_id}", headers=_auth(tokens, "viewer")).text
    marks = re.findall(r'<mark data-claims="([\d ]+)" class="(hl-\d)" title="([^"]+)">', text)
    assert len(marks) >= 2
    assert [m[1] for m in marks[:2]] == ["hl-0", "hl-1"]  # neighbours told apart
    first_ids, _cls, title = marks[0]
    assert title.startswith(f"claim {first_ids.split()[0]}: ")
    assert f'<a href="/claims/{first_ids.split()[0]}" class="tag">#' in text


def test_the_incident_page_is_html_with_its_history(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    incident = file_incident(fresh_db, "monitor-7")
    with session_scope(fresh_db) as session:
        workflow.transition(session, incident, "under_review", by="council-1", reason="check it")
    page = client.get(f"/incidents/{incident}", headers=_auth(tokens, "council"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "2026-02-04 (precision day)" in page.text and "“check it”" in page.text
    assert "council-1" in page.text and "monitor-7" in page.text
    viewer = client.get(f"/incidents/{incident}", headers=_auth(tokens, "viewer")).text
    assert "monitor-7" not in viewer and "council-1" not in viewer and "47.512" not in viewer
    queue = client.get("/incidents", headers=_auth(tokens, "viewer")).text
    assert f'<a href="/incidents/{incident}">{incident}</a>' in queue


def test_the_draft_page_shows_what_changed_word_by_word(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    with session_scope(fresh_db) as session:
        agreements.sign(session, "twenty-point-framework", dt.date(2026, 1, 10), by="setup")
    page = client.get("/drafts/twenty-point-framework", headers=_auth(tokens, "viewer")).text
    assert 'href="/drafts/us-28-point-plan"' in page
    assert "<ins>" in page and "<del>" in page
    assert "Implementation: 0%" in page
    data = client.get("/drafts/twenty-point-framework.json", headers=_auth(tokens, "viewer"))
    changes = data.json()["changes"]
    assert changes and all(
        {r["op"] for r in c["words"]} <= {"same", "added", "removed"} for c in changes.values()
    )
    listing = client.get("/agreements", headers=_auth(tokens, "viewer")).text
    assert 'href="/drafts/twenty-point-framework"' in listing


def test_the_daily_report_is_in_the_navigation_and_needs_no_date(web, fresh_db: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    file_incident(fresh_db, "monitor-7")
    board = client.get("/board", headers=_auth(tokens, "viewer")).text
    assert '<a href="/reports/daily">Daily report</a>' in board
    page = client.get("/reports/daily", headers=_auth(tokens, "viewer"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'value="2026-02-04"' in page.text and 'type="date"' in page.text  # the latest day
    assert 'id="report"' in page.text
    empty = client.get("/reports/daily?date=2020-01-01", headers=_auth(tokens, "viewer"))
    assert empty.status_code == 200 and "Nothing to report on 2020-01-01" in empty.text


def test_unknown_claim_and_draft_are_404(web) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _source_id = web
    assert client.get("/claims/99999", headers=_auth(tokens, "viewer")).status_code == 404
    assert client.get("/drafts/nope", headers=_auth(tokens, "viewer")).status_code == 404
    assert client.get("/incidents/99999", headers=_auth(tokens, "viewer")).status_code == 404
