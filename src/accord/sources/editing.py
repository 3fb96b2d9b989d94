"""Correct a source's metadata: its title, publisher and publication date, audited.

The text is never edited (it is the evidence, content-addressed by its hash). A new date goes
through ``dating.set_published``, which re-dates the source's machine claims and records its own
``source.set_date`` event; title and publisher changes are one ``source.edit`` event with the old
and new values. Everything is checked before anything is written, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.errors import InvalidInput, NotFound
from accord.sources import dating
from accord.sources.models import Source

# the columns' lengths (sources.title, sources.publisher)
LIMITS = {"title": 500, "publisher": 200}


def _clean(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        raise InvalidInput(f"--{field}: must not be empty")
    if len(text) > LIMITS[field]:
        raise InvalidInput(f"--{field}: {len(text)} characters, at most {LIMITS[field]}")
    return text


def edit(
    session: Session,
    source_id: int,
    *,
    by: str,
    title: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
) -> tuple[Source, dict[str, Any]]:
    """Change the given fields of a source; return it and the changes ({field: {from, to}}).

    At least one field must be given. Values equal to the current ones change nothing.
    """
    if title is None and publisher is None and published is None:
        raise InvalidInput("nothing to change: give --title, --publisher or --date")
    new_title, new_publisher = _clean("title", title), _clean("publisher", publisher)
    if published is not None and published > dt.date.today():
        raise InvalidInput(f"--date {published} is in the future; a source is dated when published")
    source = session.get(Source, source_id, with_for_update=True)
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    changes: dict[str, Any] = {}
    for field, value in (("title", new_title), ("publisher", new_publisher)):
        if value is not None and getattr(source, field) != value:
            changes[field] = {"from": getattr(source, field), "to": value}
            setattr(source, field, value)
    if changes:
        session.flush()
        audit.record(
            session,
            by=by,
            action="source.edit",
            entity="source",
            entity_id=source.id,
            payload=changes,
        )
    if published is not None and published != source.published_at:
        before = source.published_at
        _source, redated = dating.set_published(session, source.id, published, by=by)
        changes["published_at"] = {
            "from": before.isoformat() if before else None,
            "to": published.isoformat(),
            "claims_redated": redated,
        }
    return source, changes
