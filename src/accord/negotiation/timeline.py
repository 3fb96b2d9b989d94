"""An issue's timeline (every claim in date order, stance changes marked) and the event list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from accord.claims.models import Claim
from accord.extract.contract import event_type_family as event_family
from accord.issues import service as issues
from accord.negotiation.queries import active_claims, effective_date
from accord.negotiation.schemas import EventOut, TimelineEntry
from accord.negotiation.service import check_as_of
from accord.packs import service as packs


def _value(claim: Claim) -> str | None:
    return claim.stance or claim.status or claim.event_type


def issue_timeline(
    session: Session, issue_id: str, *, pack: str | None = None
) -> list[TimelineEntry]:
    """Return one pack's active claims on an issue, oldest first, marking stance changes."""
    issues.get(session, issue_id)
    row = packs.resolve(session, pack)
    last: dict[tuple[str, str], str] = {}
    entries = []
    for claim, published, title in active_claims(
        session, issue=issue_id, pack_id=row.id if row is not None else None
    ):
        change = None
        value = _value(claim)
        if claim.holder_id and value and claim.kind != "event":
            group = "status" if claim.kind == "status" else "stance"
            previous = last.get((claim.holder_id, group))
            if previous is not None and previous != value:
                change = f"{claim.holder_id}: {previous} -> {value}"
            last[(claim.holder_id, group)] = value
        entries.append(
            TimelineEntry(
                claim_id=claim.id,
                date=effective_date(claim, published),
                kind=claim.kind,
                holder=claim.holder_id,
                value=value,
                participants=claim.participants,
                quote=claim.quote,
                source_id=claim.source_id,
                source_title=title,
                change=change,
            )
        )
    return entries


def events(
    session: Session,
    *,
    as_of: dt.date | None = None,
    upcoming: bool = False,
    pack: str | None = None,
) -> list[EventOut]:
    """Return one pack's events merged across sources (type family, parties, date), oldest first."""
    as_of = as_of or dt.date.today()
    check_as_of(session, as_of)
    row = packs.resolve(session, pack)
    merged: dict[tuple[object, ...], EventOut] = {}
    for claim, published, _title in active_claims(
        session, as_of=as_of, kinds=("event",), pack_id=row.id if row is not None else None
    ):
        date = effective_date(claim, published)
        key = (event_family(claim.event_type), tuple(claim.participants or []), date)
        found = merged.get(key)
        if found is None:
            merged[key] = EventOut(
                event_type=claim.event_type or "meeting",
                participants=list(claim.participants or []),
                place=claim.place,
                date=date,
                date_precision=claim.date_precision,
                upcoming=date is not None and date > as_of,
                issue=claim.issue_id,
                sources=[claim.source_id],
                claim_ids=[claim.id],
                summary=claim.summary,
            )
            continue
        if claim.source_id not in found.sources:
            found.sources.append(claim.source_id)
        found.claim_ids.append(claim.id)
        found.place = found.place or claim.place
    result = sorted(merged.values(), key=lambda e: (e.date or dt.date.min, e.event_type))
    return [e for e in result if e.upcoming] if upcoming else result
