"""Verification workflow: reported -> under_review -> verified | unverified | dismissed.

Every transition follows ``TRANSITIONS``, needs the reviewer's lock (taken when review starts,
lapsing after ``LOCK_MINUTES``), and writes an audit event in the same transaction. Verifying can
record the attribution (who did it, with a confidence), kept apart from the alleged perpetrator.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.db.base import utcnow
from accord.errors import Conflict, InvalidInput
from accord.incidents.models import INCIDENT_STATUSES, Incident, IncidentLock
from accord.incidents.service import get

LOCK_MINUTES = 30
TRANSITIONS: dict[str, frozenset[str]] = {
    "reported": frozenset({"under_review"}),
    "under_review": frozenset({"verified", "unverified", "dismissed", "reported"}),
    "verified": frozenset({"under_review"}),
    "unverified": frozenset({"under_review"}),
    "dismissed": frozenset({"under_review"}),
}


def _lock(session: Session, incident: Incident, by: str, now: dt.datetime) -> IncidentLock | None:
    lock = session.get(IncidentLock, incident.id)
    if lock is not None and lock.holder != by and lock.expires_at > now:
        raise Conflict(
            f"incident {incident.id} is locked by {lock.holder} until "
            f"{lock.expires_at:%Y-%m-%d %H:%M} UTC"
        )
    return lock


def take_lock(
    session: Session, incident_id: int, *, by: str, minutes: int = LOCK_MINUTES
) -> IncidentLock:
    """Lock an incident for a reviewer (renewing the reviewer's own lock)."""
    if not 1 <= minutes <= 24 * 60:
        raise InvalidInput(f"--minutes: {minutes} is outside 1-1440")
    incident = get(session, incident_id, for_update=True)
    now = utcnow()
    lock = _lock(session, incident, by, now) or IncidentLock(incident_id=incident.id)
    previous_holder = lock.holder  # None for a new lock; an expired lock may be another's
    lock.holder, lock.expires_at = by, now + dt.timedelta(minutes=minutes)
    session.add(lock)
    session.flush()
    audit.record(
        session,
        by=by,
        action="incident.lock",
        entity="incident",
        entity_id=incident.id,
        payload={"expires_at": lock.expires_at.isoformat(), "previous_holder": previous_holder},
    )
    return lock


def release(session: Session, incident_id: int, *, by: str) -> None:
    """Release a reviewer's own lock."""
    incident = get(session, incident_id, for_update=True)
    lock = _lock(session, incident, by, utcnow())
    if lock is not None:
        session.delete(lock)
        session.flush()
        audit.record(
            session,
            by=by,
            action="incident.unlock",
            entity="incident",
            entity_id=incident.id,
            payload={"holder": lock.holder},
        )


def transition(
    session: Session,
    incident_id: int,
    target: str,
    *,
    by: str,
    reason: str | None = None,
    attributed_to: str | None = None,
    confidence: float | None = None,
) -> Incident:
    """Move an incident to a new status under the transition table."""
    if target not in INCIDENT_STATUSES:
        raise InvalidInput(f"--to: unknown status {target!r} (use {', '.join(INCIDENT_STATUSES)})")
    incident = get(session, incident_id, for_update=True)
    if target not in TRANSITIONS[incident.status]:
        allowed = ", ".join(sorted(TRANSITIONS[incident.status])) or "none"
        raise Conflict(
            f"incident {incident_id} cannot go from {incident.status} to {target} (allowed: {allowed})"
        )
    if (attributed_to is not None or confidence is not None) and target != "verified":
        raise InvalidInput("--attribute and --confidence are recorded only when verifying")
    if confidence is not None and not 0 <= confidence <= 1:
        raise InvalidInput(f"--confidence: {confidence} is outside 0-1")
    now = utcnow()
    lock = _lock(session, incident, by, now)
    if incident.status == "under_review" and (lock is None or lock.expires_at <= now):
        raise Conflict(
            f"incident {incident_id} is under review but you hold no lock: run `accord incidents lock {incident_id}`"
        )
    previous = incident.status
    incident.status = target
    incident.updated_at = now
    if target == "verified" and attributed_to is not None:
        incident.attributed_to = attributed_to
        incident.attribution_confidence = confidence
    if target == "under_review":
        take_lock(session, incident_id, by=by)
    elif lock is not None:
        session.delete(lock)
    session.flush()
    audit.record(
        session,
        by=by,
        action="incident.transition",
        entity="incident",
        entity_id=incident.id,
        payload={
            "from": previous,
            "to": target,
            "reason": reason,
            "attributed_to": attributed_to,
            "confidence": confidence,
        },
    )
    return incident
