"""Record audit events and verify the hash chain. Services flush; the caller commits."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.db.base import canonical_json, utcnow

GENESIS_HASH = "0" * 64
# One arbitrary 64-bit key: PostgreSQL writers serialise on it while appending to the chain.
_PG_AUDIT_LOCK_KEY = 0x0ACC0BD


def sha256_hex(data: bytes) -> str:
    """Return the hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """Compute an event's own hash from its fields, its payload hash and the previous hash."""
    body = canonical_json(
        {
            "occurred_at": event.occurred_at.isoformat(),
            "user": event.user,
            "action": event.action,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "payload_sha256": event.payload_sha256,
            "prev_hash": event.prev_hash,
        }
    )
    return sha256_hex(body.encode("utf-8"))


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK_KEY})
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def record(
    session: Session, *, by: str, action: str, entity: str, entity_id: object, payload: Any
) -> AuditEvent:
    """Append one audit event for a change made in this session's transaction."""
    occurred = utcnow()
    event = AuditEvent(
        occurred_at=occurred,
        user=by,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        payload=payload,
        payload_sha256=sha256_hex(canonical_json(payload).encode("utf-8")),
        prev_hash=_last_hash(session),
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


def data_version(session: Session) -> tuple[int, str]:
    """Return (id, hash) of the newest audit event: a version for everything stored.

    Every write appends an audit event in its own transaction, and writers append while holding
    the chain's lock until they commit, so the id grows with each committed change. The hash
    tells apart two databases that reached the same id (one restored over another).
    """
    newest = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (newest[0], newest[1]) if newest is not None else (0, GENESIS_HASH)


@dataclass(frozen=True)
class ChainProblem:
    """The first audit row whose stored hashes do not match a recomputation."""

    event_id: int
    reason: str


def iter_events(session: Session, batch: int = 1000) -> Iterator[AuditEvent]:
    """Yield audit events in chain order, a batch at a time."""
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


@dataclass(frozen=True)
class ChainState:
    """What a walk over the chain found: length, newest hash, the hash at a position, problem."""

    events: int
    head_hash: str
    problem: ChainProblem | None
    hash_at: str | None = None  # the hash of event number ``at`` (1-based), when asked and present


def walk_chain(session: Session, *, at: int | None = None) -> ChainState:
    """Recompute the whole chain; stop at the first problem. ``at`` asks for one event's hash."""
    previous = GENESIS_HASH
    count = 0
    hash_at = None
    for event in iter_events(session):
        count += 1
        payload_hash = sha256_hex(canonical_json(event.payload).encode("utf-8"))
        if payload_hash != event.payload_sha256:
            problem = ChainProblem(event.id, "payload does not match its SHA-256")
            return ChainState(count, previous, problem, hash_at)
        if event.prev_hash != previous:
            return ChainState(
                count, previous, ChainProblem(event.id, "previous-hash link is broken"), hash_at
            )
        if event_hash(event) != event.hash:
            problem = ChainProblem(event.id, "event hash does not match its fields")
            return ChainState(count, previous, problem, hash_at)
        previous = event.hash
        if count == at:
            hash_at = event.hash
    return ChainState(count, previous, None, hash_at)


def verify_chain(session: Session) -> tuple[int, ChainProblem | None]:
    """Recompute the whole chain; return the number of events and the first problem, if any."""
    state = walk_chain(session)
    return state.events, state.problem


def count_events(session: Session) -> int:
    """Return the number of audit events."""
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
