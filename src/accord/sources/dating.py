"""Publication dates of sources: tell the undated ones and date them later.

A source without a publication date cannot be placed in time: its claims are kept out of every
as-of view (board, timelines, events) until ``set_published`` gives it a date. Setting the date
re-resolves the dates of its machine claims against it ("on Tuesday" needs to know which week),
and is audited with the old and new date and the claims re-dated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.claims.models import Claim
from accord.errors import InvalidInput, NotFound
from accord.extract.contract import ClaimOut
from accord.extract.pipeline import extractor_for
from accord.packs import service as packs
from accord.sources.models import Source


def undated_warning(source_id: int) -> str:
    """Return the warning shown for a source that has no publication date."""
    return (
        f"source {source_id} has no publication date: it is left out of the board, timelines "
        f"and events until dated with `accord sources set-date {source_id} YYYY-MM-DD`"
    )


def count_undated(session: Session) -> int:
    """Return the number of sources without a publication date."""
    query = select(func.count()).select_from(Source).where(Source.published_at.is_(None))
    return int(session.scalar(query) or 0)


def set_published(
    session: Session, source_id: int, published: dt.date, *, by: str
) -> tuple[Source, list[int]]:
    """Set (or change) a source's publication date; return it and the ids of re-dated claims.

    A date after today is refused. Setting the date it already has changes nothing.
    """
    source = session.get(Source, source_id, with_for_update=True)
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    if published > dt.date.today():
        raise InvalidInput(f"date {published} is in the future; a source is dated when published")
    previous = source.published_at
    if previous == published:
        return source, []
    source.published_at = published
    session.flush()
    redated = _redate_claims(session, source)
    audit.record(
        session,
        by=by,
        action="source.set_date",
        entity="source",
        entity_id=source.id,
        payload={
            "from": previous.isoformat() if previous else None,
            "to": published.isoformat(),
            "claims_redated": redated,
        },
    )
    return source, redated


Key = tuple[str, int, int, str | None, str | None]


def _out_key(c: ClaimOut) -> Key:
    return (c.kind, c.span[0], c.span[1], c.issue, c.stance or c.status or c.event_type)


def _redate_claims(session: Session, source: Source) -> list[int]:
    """Re-resolve the dates of a source's machine claims against its publication date.

    The text is extracted again with the loaded pack and each machine claim takes the date of
    the extracted claim with the same kind, span, issue and value; reviewed claims keep theirs.
    """
    pack = packs.current(session)
    rows = session.scalars(
        select(Claim)
        .where(Claim.source_id == source.id, Claim.review_state == "machine")
        .order_by(Claim.id)
    ).all()
    if pack is None or not rows:
        return []
    location = pack.root if pack.root and Path(pack.root).is_dir() else pack.id
    fresh: dict[Key, list[ClaimOut]] = {}
    for out in extractor_for(location).extract(source.text, source.published_at):
        fresh.setdefault(_out_key(out), []).append(out)
    redated = []
    for row in rows:
        value = row.stance or row.status or row.event_type
        matches = fresh.get((row.kind, row.span_start, row.span_end, row.issue_id, value))
        if not matches:
            continue
        out = matches.pop(0)
        date = dt.date.fromisoformat(out.date) if out.date else None
        if (date, out.date_precision) != (row.date, row.date_precision):
            row.date, row.date_precision = date, out.date_precision
            redated.append(row.id)
    session.flush()
    return redated
