"""Pydantic shapes of stored claims."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class ClaimRead(BaseModel):
    """A stored claim as shown to users."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source_id: int
    kind: str
    issue_id: str | None
    holder_id: str | None
    speaker_id: str | None
    stance: str | None
    status: str | None
    progress_pct: int | None
    event_type: str | None
    participants: list[str] | None
    place: str | None
    date: dt.date | None
    date_precision: str | None
    summary: str
    quote: str
    span_start: int
    span_end: int
    confidence: float
    negated: bool
    hedged: bool
    extractor: str
    extractor_version: str
    review_state: str
    supersedes_id: int | None = None
