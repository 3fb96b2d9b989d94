"""Review workflow of claims: machine -> accepted | rejected | corrected, audited, never deleting.

A correction is a new claim (``review_state = accepted``, ``supersedes_id`` pointing at the
original) and the original becomes ``corrected``; the board reads only active claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from accord.actors.models import Actor
from accord.audit import service as audit
from accord.claims.models import Claim
from accord.errors import Conflict, InvalidInput, NotFound
from accord.issues.models import Issue
from accord.sources.models import Source

TRANSITIONS: dict[str, frozenset[str]] = {
    "machine": frozenset({"accepted", "rejected", "corrected"}),
    "accepted": frozenset(),
    "rejected": frozenset(),
    "corrected": frozenset(),
}
ACTIVE_STATES = ("machine", "accepted")
STANCES = ("support", "oppose", "demand", "propose")
STATUSES = ("agreed", "near_agreement", "progress", "unresolved", "stalled")


@dataclass(frozen=True)
class Correction:
    """Fields a reviewer may correct; None leaves a field as extracted."""

    issue: str | None = None
    holder: str | None = None
    stance: str | None = None
    status: str | None = None
    date: dt.date | None = None
    note: str | None = None


def _get(session: Session, claim_id: int) -> Claim:
    # FOR UPDATE: on PostgreSQL a concurrent reviewer waits here and then sees the new state,
    # instead of both reviewing the same machine claim (SQLite serialises by BEGIN IMMEDIATE).
    claim = session.get(Claim, claim_id, with_for_update=True)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def _transition(
    session: Session, claim: Claim, target: str, *, by: str, payload: dict[str, object]
) -> bool:
    """Move a claim to a review state; return False when it is already there (a no-op)."""
    if claim.review_state == target:
        return False
    if target not in TRANSITIONS[claim.review_state]:
        raise Conflict(
            f"claim {claim.id} is already {claim.review_state}; it cannot also be {target}"
        )
    previous = claim.review_state
    claim.review_state = target
    session.flush()
    audit.record(
        session,
        by=by,
        action=f"claim.{target}",
        entity="claim",
        entity_id=claim.id,
        payload={"from": previous, "to": target, **payload},
    )
    return True


def accept(session: Session, claim_id: int, *, by: str) -> tuple[Claim, bool]:
    """Accept a machine claim as correct; return it and whether anything changed."""
    claim = _get(session, claim_id)
    return claim, _transition(session, claim, "accepted", by=by, payload={})


def reject(
    session: Session, claim_id: int, *, by: str, reason: str | None = None
) -> tuple[Claim, bool]:
    """Reject a machine claim; the board ignores it from now on."""
    claim = _get(session, claim_id)
    return claim, _transition(session, claim, "rejected", by=by, payload={"reason": reason})


def _check(session: Session, change: Correction, original: Claim) -> None:
    if change.issue is not None and session.get(Issue, change.issue) is None:
        raise InvalidInput(f"--issue: unknown issue {change.issue!r}")
    if change.holder is not None and session.get(Actor, change.holder) is None:
        raise InvalidInput(f"--holder: unknown actor {change.holder!r}")
    if change.stance is not None:
        if original.kind not in ("position", "proposal"):
            raise InvalidInput(f"--stance: claim {original.id} is a {original.kind}, not a stance")
        if change.stance not in STANCES:
            raise InvalidInput(
                f"--stance: unknown stance {change.stance!r} (use {', '.join(STANCES)})"
            )
    if change.status is not None:
        if original.kind != "status":
            raise InvalidInput(f"--status: claim {original.id} is a {original.kind}, not a status")
        if change.status not in STATUSES:
            raise InvalidInput(
                f"--status: unknown status {change.status!r} (use {', '.join(STATUSES)})"
            )
    if change.date is not None and original.kind != "event":
        source = session.get(Source, original.source_id)
        published = source.published_at if source is not None else None
        if published is not None and change.date > published:
            raise InvalidInput(
                f"--date: {change.date} is after the source's publication ({published}); only "
                "scheduled events may be dated later"
            )


def correct(session: Session, claim_id: int, change: Correction, *, by: str) -> Claim:
    """Supersede a claim with a corrected copy; return the new claim."""
    original = _get(session, claim_id)
    if all(
        v is None for v in (change.issue, change.holder, change.stance, change.status, change.date)
    ):
        raise InvalidInput(
            "nothing to correct: give at least one of --issue --holder --stance --status --date"
        )
    _check(session, change, original)
    if "corrected" not in TRANSITIONS[original.review_state]:
        raise Conflict(
            f"claim {original.id} is already {original.review_state}; it cannot also be corrected"
        )
    replacement = Claim(
        **{
            column: getattr(original, column)
            for column in [c.key for c in Claim.__table__.columns]
            if column not in ("id", "created_at", "created_by", "review_state", "supersedes_id")
        }
    )
    replacement.issue_id = change.issue or original.issue_id
    replacement.holder_id = change.holder or original.holder_id
    replacement.stance = change.stance or original.stance
    replacement.status = change.status or original.status
    replacement.date = change.date or original.date
    replacement.review_state = "accepted"
    replacement.supersedes_id = original.id
    replacement.extractor = "review"
    replacement.confidence = 1.0
    replacement.created_by = by
    replacement.extra = {
        k: v
        for k, v in {**(original.extra or {}), "note": change.note}.items()
        if v is not None and k in ("rules_confidence", "note")
    } or None
    session.add(replacement)
    session.flush()
    _transition(
        session,
        original,
        "corrected",
        by=by,
        payload={
            "replacement": replacement.id,
            "changes": {
                k: (str(v) if isinstance(v, dt.date) else v)
                for k, v in change.__dict__.items()
                if v is not None
            },
        },
    )
    return replacement
