"""Council members and rulings. Services flush; the caller commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.actors.models import Actor
from accord.audit import service as audit
from accord.council.models import OUTCOMES, VOTES, CouncilMember, Ruling
from accord.council.specs import MemberSpec
from accord.errors import Conflict, InvalidInput
from accord.incidents import service as incidents


def replace_members(session: Session, pack_id: str, specs: list[MemberSpec]) -> int:
    """Upsert the pack's council members; an id another pack's council holds is refused."""
    for spec in specs:
        row = session.get(CouncilMember, spec.id) or CouncilMember(id=spec.id)
        if row.pack_id not in (None, pack_id):
            raise Conflict(
                f"council.yaml: member id {spec.id!r} belongs to pack {row.pack_id!r}; "
                "give this pack's member another id"
            )
        row.name, row.role, row.actor_id, row.pack_id = spec.name, spec.role, spec.actor, pack_id
        session.add(row)
    session.flush()
    return len(specs)


def members(session: Session, pack: str | None = None) -> list[CouncilMember]:
    """Return the council's members; with ``pack``, that pack's council."""
    query = select(CouncilMember).order_by(CouncilMember.id)
    if pack:
        query = query.where(CouncilMember.pack_id == pack)
    return list(session.scalars(query))


def rule(
    session: Session,
    incident_id: int,
    outcome: str,
    votes: dict[str, str],
    published_on: dt.date,
    *,
    by: str,
    party: str | None = None,
    reasoning: str | None = None,
) -> Ruling:
    """Record the council's ruling on a verified incident."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"--outcome: unknown outcome {outcome!r} (use {', '.join(OUTCOMES)})")
    incident = incidents.get(session, incident_id)
    if incident.status != "verified":
        raise Conflict(
            f"incident {incident_id} is {incident.status}: the council rules only on verified incidents"
        )
    known = {m.id for m in members(session, incident.pack_id)}  # the incident's pack's council
    if not votes:
        raise InvalidInput("--vote: a ruling needs the vote record (MEMBER=yes|no|abstain)")
    for member, vote in votes.items():
        if member not in known:
            raise InvalidInput(f"--vote: unknown council member {member!r}")
        if vote not in VOTES:
            raise InvalidInput(f"--vote: {member}={vote!r} is not one of {', '.join(VOTES)}")
    if outcome == "violation" and party is None:
        raise InvalidInput("--party: a violation ruling names the party held responsible")
    if party is not None and session.get(Actor, party) is None:
        raise InvalidInput(f"--party: unknown actor {party!r}")
    ruling = Ruling(
        incident_id=incident_id,
        outcome=outcome,
        attributed_party=party,
        votes=votes,
        published_on=published_on,
        reasoning=reasoning,
        created_by=by,
        pack_id=incident.pack_id,
    )
    session.add(ruling)
    session.flush()
    audit.record(
        session,
        by=by,
        action="council.rule",
        entity="incident",
        entity_id=incident_id,
        payload={
            "ruling": ruling.id,
            "outcome": outcome,
            "party": party,
            "votes": votes,
            "published_on": published_on.isoformat(),
        },
    )
    return ruling


def rulings(
    session: Session, *, on: dt.date | None = None, pack: str | None = None
) -> list[Ruling]:
    """Return rulings, optionally those published on one date or of one pack."""
    query = select(Ruling).order_by(Ruling.published_on, Ruling.id)
    if pack:
        query = query.where(Ruling.pack_id == pack)
    if on is not None:
        query = query.where(Ruling.published_on == on)
    return list(session.scalars(query))
