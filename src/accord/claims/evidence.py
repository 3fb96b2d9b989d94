"""The evidence behind one claim: its sentence in context, its source and its review history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.claims.schemas import ClaimRead
from accord.errors import NotFound
from accord.sources.models import Source

CONTEXT_CHARS = 400


def _context(text: str, start: int, end: int) -> dict[str, str]:
    """Return the text before, at and after a span: its paragraph, at most CONTEXT_CHARS a side."""
    para_start = text.rfind("\n\n", 0, start)
    para_end = text.find("\n\n", end)
    lo = max(para_start + 2 if para_start >= 0 else 0, start - CONTEXT_CHARS)
    hi = min(para_end if para_end >= 0 else len(text), end + CONTEXT_CHARS)
    return {
        "before": ("…" if lo > 0 and lo != para_start + 2 else "") + text[lo:start],
        "quote": text[start:end],
        "after": text[end:hi] + ("…" if hi < len(text) and hi != para_end else ""),
    }


def lineage(session: Session, claim: Claim) -> list[int]:
    """Return the ids of the claim's chain of corrections, oldest first (the claim included)."""
    ids = [claim.id]
    earlier = claim.supersedes_id
    while earlier is not None and earlier not in ids:
        ids.insert(0, earlier)
        earlier = session.scalar(select(Claim.supersedes_id).where(Claim.id == earlier))
    later = session.scalar(select(Claim.id).where(Claim.supersedes_id == ids[-1]))
    while later is not None and later not in ids:
        ids.append(later)
        later = session.scalar(select(Claim.id).where(Claim.supersedes_id == later))
    return ids


def claim_evidence(session: Session, claim_id: int) -> dict[str, Any]:
    """Return a claim with its source, the sentence in context, its corrections and history."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    source = session.get(Source, claim.source_id)
    if source is None:  # a foreign key forbids this
        raise NotFound(f"source {claim.source_id} of claim {claim_id} does not exist")
    chain = lineage(session, claim)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "claim", AuditEvent.entity_id.in_([str(i) for i in chain]))
        .order_by(AuditEvent.id)
    )
    history = [
        {
            "at": e.occurred_at,
            "user": e.user,
            "action": e.action,
            "claim": int(e.entity_id),
            "payload": e.payload,
        }
        for e in events
    ]
    return {
        "claim": ClaimRead.model_validate(claim),
        "source": {
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "published_at": source.published_at,
            "url": source.url,
        },
        "context": _context(source.text, claim.span_start, claim.span_end),
        "chain": chain,
        "history": history,
    }
