"""Pydantic shapes of sources as shown to users (CLI JSON, API)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, computed_field


class SourceSummary(BaseModel):
    """A source without its text."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str
    media_type: str
    filename: str | None
    size_bytes: int
    title: str | None
    publisher: str | None
    url: str | None
    published_at: dt.date | None
    language: str | None
    ingested_at: dt.datetime
    ingested_by: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def date_missing(self) -> bool:
        """Whether the source has no publication date (it is then left out of as-of views)."""
        return self.published_at is None


class SourceDetail(SourceSummary):
    """A source with its normalised text and encoding."""

    encoding: str
    text: str


class IngestOutcome(BaseModel):
    """What happened to one file given to ``accord ingest``."""

    path: str
    status: str  # added | known | failed
    source_id: int | None = None
    sha256: str | None = None
    error: str | None = None
    claims: int = 0
    date_missing: bool = False
    warning: str | None = None
