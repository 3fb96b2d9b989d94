"""Small builders of sources and claims for board tests (real rows in the test database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from sqlalchemy.orm import Session

from accord.claims.models import Claim
from accord.packs import service as packs
from accord.sources.models import Source

_counter = itertools.count(1)


def source(session: Session, published: str, title: str = "note") -> Source:
    n = next(_counter)
    row = Source(
        sha256=hashlib.sha256(f"{n}-{published}-{title}".encode()).hexdigest(),
        media_type="text",
        filename=f"{n}.txt",
        size_bytes=1,
        encoding="utf-8",
        title=title,
        published_at=dt.date.fromisoformat(published),
        text="x",
        ingested_by="t",
    )
    session.add(row)
    session.flush()
    return row


def claim(
    session: Session,
    src: Source,
    kind: str,
    issue: str | None,
    holder: str | None = None,
    value: str | None = None,
    date: str | None = None,
    **extra: object,
) -> Claim:
    if "pack_id" not in extra:  # claims belong to a pack: the default one unless named
        default = packs.current(session)
        extra["pack_id"] = default.id if default is not None else None
    row = Claim(
        source_id=src.id,
        kind=kind,
        issue_id=issue,
        holder_id=holder,
        stance=value if kind in ("position", "proposal") else None,
        status=value if kind == "status" else None,
        event_type=value if kind == "event" else None,
        date=dt.date.fromisoformat(date) if date else None,
        quote="q",
        span_start=0,
        span_end=1,
        confidence=0.8,
        extractor="test",
        extractor_version="1",
        created_by="t",
        **extra,
    )
    session.add(row)
    session.flush()
    return row
