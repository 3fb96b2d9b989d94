"""Signed checkpoints of the audit chain, kept elsewhere, so that a cut tail is detected.

The chain proves that no stored event was edited and none was removed from the middle, but a
chain with its newest events deleted is still a valid chain. An anchor records how long the chain
was and the hash of its newest event at one moment; ``accord verify --anchor FILE`` fails when the
chain is now shorter, or its event number N no longer has the anchor's hash (then every event
up to N is the same as when the anchor was made, since each hash covers the one before it).

An anchor is signed with HMAC-SHA256 under a key derived from ``ACCORD_SECRET_KEY``, so an edited
anchor file is detected. It proves nothing against someone who holds that key: keep the anchor
where the database's writers cannot change it (another machine, a ticket, a printout).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.audit.service import ChainState, walk_chain
from accord.db.base import canonical_json, utcnow
from accord.errors import IntegrityFailure, InvalidInput

ANCHOR_FORMAT = "accord-audit-anchor/1"
# The secret key also signs web session cookies: anchors use a key derived for them alone.
_KEY_PURPOSE = b"accord audit anchor key v1"
_FIELDS = ("format", "events", "head_hash", "created_at")


@dataclass(frozen=True)
class Anchor:
    """A checkpoint: the chain had ``events`` events and the newest had ``head_hash``."""

    events: int
    head_hash: str
    created_at: str


def _anchor_key(secret_key: str | None) -> bytes:
    if not secret_key:
        raise InvalidInput(
            "audit anchors are signed with ACCORD_SECRET_KEY: set it (to the same value when "
            "checking the anchor)"
        )
    return hmac.new(secret_key.encode("utf-8"), _KEY_PURPOSE, hashlib.sha256).digest()


def _signature(key: bytes, fields: dict[str, Any]) -> str:
    return hmac.new(key, canonical_json(fields).encode("utf-8"), hashlib.sha256).hexdigest()


def make_anchor(session: Session, secret_key: str | None) -> dict[str, Any]:
    """Check the chain and return a signed anchor of its length and newest hash."""
    key = _anchor_key(secret_key)
    state = walk_chain(session)
    if state.problem is not None:
        raise IntegrityFailure(
            f"audit event {state.problem.event_id}: {state.problem.reason}; not anchoring a "
            "broken chain"
        )
    fields = {
        "format": ANCHOR_FORMAT,
        "events": state.events,
        "head_hash": state.head_hash,
        "created_at": utcnow().isoformat(),
    }
    return {**fields, "hmac_sha256": _signature(key, fields)}


def read_anchor(path: Path, secret_key: str | None) -> Anchor:
    """Read an anchor file and check its signature; refuse an edited or malformed one."""
    key = _anchor_key(secret_key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"--anchor {path}: not a readable anchor file ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT:
        raise InvalidInput(f"--anchor {path}: not an accord audit anchor ({ANCHOR_FORMAT})")
    fields = {name: data.get(name) for name in _FIELDS}
    signature = data.get("hmac_sha256")
    if not isinstance(signature, str) or not hmac.compare_digest(
        signature, _signature(key, fields)
    ):
        raise IntegrityFailure(
            f"--anchor {path}: the signature does not match: the anchor was edited, or signed "
            "with another ACCORD_SECRET_KEY"
        )
    events, head_hash, created_at = data["events"], data["head_hash"], data["created_at"]
    if not isinstance(events, int) or events < 0 or not isinstance(head_hash, str):
        raise InvalidInput(f"--anchor {path}: the anchor's fields are malformed")
    return Anchor(events, head_hash, str(created_at))


def anchor_problem(state: ChainState, anchor: Anchor) -> str | None:
    """Return why the chain does not extend the anchor, or None when it does."""
    if state.events < anchor.events:
        return (
            f"the audit chain has {state.events} events but the anchor of {anchor.created_at} "
            f"has {anchor.events}: events were removed from its end"
        )
    if anchor.events and state.hash_at != anchor.head_hash:
        return (
            f"audit event number {anchor.events} has hash {state.hash_at} but the anchor of "
            f"{anchor.created_at} has {anchor.head_hash}: the chain was rewritten"
        )
    return None
