"""One incident's file: the incident, its duplicate cluster, workflow history and rulings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.council.models import Ruling
from accord.incidents import clustering, service
from accord.incidents.models import Incident


def incident_dossier(session: Session, incident_id: int) -> dict[str, Any]:
    """Return an incident with zones and violations, its cluster, history and rulings."""
    detail = service.detail(session, incident_id)  # raises NotFound
    members = [i for i in clustering.cluster_of(session, incident_id) if i != incident_id]
    cluster = [
        {"id": i.id, "occurred_at": i.occurred_at, "type": i.type, "status": i.status}
        for i in session.scalars(
            select(Incident).where(Incident.id.in_(members)).order_by(Incident.id)
        )
    ]
    history = [
        {"at": e.occurred_at, "user": e.user, "action": e.action, "payload": e.payload}
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "incident", AuditEvent.entity_id == str(incident_id))
            .order_by(AuditEvent.id)
        )
    ]
    rulings = [
        {
            "id": r.id,
            "outcome": r.outcome,
            "party": r.attributed_party,
            "votes": r.votes,
            "published_on": r.published_on,
            "reasoning": r.reasoning,
        }
        for r in session.scalars(
            select(Ruling).where(Ruling.incident_id == incident_id).order_by(Ruling.id)
        )
    ]
    return {"incident": detail, "cluster": cluster, "history": history, "rulings": rulings}
