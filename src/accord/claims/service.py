"""Store extracted claims for a source and list them. Services flush; the caller commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.actors.models import Actor
from accord.audit import service as audit
from accord.claims.models import Claim
from accord.extract.contract import EXTRACTOR_NAME, EXTRACTOR_VERSION, ClaimOut
from accord.extract.pipeline import extractor_for
from accord.packs import service as packs
from accord.sources.models import Source


def store(
    session: Session,
    source: Source,
    extracted: list[ClaimOut],
    *,
    by: str,
    extractor: tuple[str, str] = (EXTRACTOR_NAME, EXTRACTOR_VERSION),
    pack_id: str | None = None,
) -> list[Claim]:
    """Store a source's machine claims for a pack (default: the default pack) and extractor."""
    if pack_id is None:
        default = packs.current(session)
        pack_id = default.id if default is not None else None
    known = set(session.scalars(select(Actor.id)))
    rows: list[Claim] = []
    for c in extracted:
        row = Claim(
            source_id=source.id,
            pack_id=pack_id,
            kind=c.kind,
            issue_id=c.issue,
            sub_issue_id=c.sub_issue,
            holder_id=c.holder if c.holder in known else None,
            speaker_id=c.speaker if c.speaker in known else None,
            stance=c.stance,
            status=c.status,
            progress_pct=c.progress_pct,
            event_type=c.event_type,
            participants=c.participants,
            place=c.place,
            date=_date(c.date),
            date_precision=c.date_precision,
            summary=c.summary,
            quote=c.quote,
            span_start=c.span[0],
            span_end=c.span[1],
            confidence=c.confidence,
            negated=c.negated,
            hedged=c.hedged,
            extra=None if c.rules_confidence is None else {"rules_confidence": c.rules_confidence},
            extractor=extractor[0],
            extractor_version=extractor[1],
            created_by=by,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    if rows:
        audit.record(
            session,
            by=by,
            action="claims.extract",
            entity="source",
            entity_id=source.id,
            payload={
                "claims": [r.id for r in rows],
                "extractor": f"{extractor[0]}/{extractor[1]}",
            },
        )
    return rows


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def extract_for_source(
    session: Session, source: Source, *, by: str, pack_ids: Sequence[str] | None = None
) -> list[Claim]:
    """Extract and store a source's claims with each named pack (default: the default pack).

    A pack that already has claims on the source is skipped, so a source can be ingested for
    one pack, then for another, or for both at once.
    """
    targets = (
        [packs.resolve(session, p) for p in pack_ids] if pack_ids else [packs.current(session)]
    )
    stored: list[Claim] = []
    for pack in targets:
        if pack is None or _has_claims(session, source.id, pack.id):
            continue
        location = pack.root if pack.root and Path(pack.root).is_dir() else pack.id
        extractor = extractor_for(location)
        claims = extractor.extract(source.text, source.published_at)
        stored += store(
            session,
            source,
            claims,
            by=by,
            extractor=(extractor.name, extractor.version),
            pack_id=pack.id,
        )
    return stored


def _has_claims(session: Session, source_id: int, pack_id: str) -> bool:
    query = select(Claim.id).where(Claim.source_id == source_id, Claim.pack_id == pack_id)
    return session.scalar(query.limit(1)) is not None


def list_claims(
    session: Session,
    *,
    pack_id: str | None = None,
    source_id: int | None = None,
    state: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> tuple[list[Claim], int]:
    """Return a page of claims (by source then span) and the total matching."""
    query = select(Claim)
    if pack_id is not None:
        query = query.where(Claim.pack_id == pack_id)
    if source_id is not None:
        query = query.where(Claim.source_id == source_id)
    if state is not None:
        query = query.where(Claim.review_state == state)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(
        query.order_by(Claim.source_id, Claim.span_start, Claim.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def review_queue(
    session: Session,
    *,
    source_id: int | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Claim], int]:
    """Return a page of unreviewed (machine) claims, lowest confidence first, and their total."""
    query = select(Claim).where(Claim.review_state == "machine")
    if source_id is not None:
        query = query.where(Claim.source_id == source_id)
    if kind is not None:
        query = query.where(Claim.kind == kind)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(
        query.order_by(Claim.confidence, Claim.source_id, Claim.span_start, Claim.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def count(session: Session) -> int:
    """Return the number of claims."""
    return int(session.scalar(select(func.count()).select_from(Claim)) or 0)
