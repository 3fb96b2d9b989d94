"""Pages that show the evidence: one claim, one incident, one draft (each with a JSON twin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.actors.models import Actor
from accord.agreements import worddiff
from accord.claims import evidence
from accord.claims.workflow import STANCES, STATUSES
from accord.incidents import dossier
from accord.issues.models import Issue
from accord.web import privacy
from accord.web.deps import Principal, db, principal
from accord.web.pages import page_for

router = APIRouter()
page = page_for(router)


@page("/claims/{claim_id}", "read", "claim.html")
def claim_data(claim_id: int, session: Session = Depends(db)) -> dict[str, Any]:
    """Return a claim with its sentence in context, source, extractor, history, corrections."""
    data = evidence.claim_evidence(session, claim_id)
    data["choices"] = {
        "stances": list(STANCES),
        "statuses": list(STATUSES),
        "issues": list(session.scalars(select(Issue.id).order_by(Issue.id))),
        "holders": list(session.scalars(select(Actor.id).order_by(Actor.id))),
    }
    return data


@page("/incidents/{incident_id}", "read", "incident.html")
def incident_data(
    incident_id: int,
    request: Request,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return an incident with zones, possible violations, duplicates, history, rulings."""
    data = dossier.incident_dossier(session, incident_id)
    data["incident"] = privacy.incident_for(who, request, data["incident"])
    if not privacy.sees_exact(who):
        data["history"] = [{**h, "user": "—", "payload": {}} for h in data["history"]]
    return data


@page("/drafts/{draft_id}", "read", "draft.html")
def draft_data(draft_id: str, session: Session = Depends(db)) -> dict[str, Any]:
    """Return a draft with its implementation and what changed since the last draft."""
    return worddiff.draft_page(session, draft_id)
