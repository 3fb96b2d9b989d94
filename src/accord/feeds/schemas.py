"""Feed views for the CLI, the API and the web page."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class FeedView(BaseModel):
    """A watched feed with its health."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    name: str | None
    publisher: str | None
    language: str | None
    interval_s: int
    last_polled_at: dt.datetime | None
    last_success_at: dt.datetime | None
    last_error: str | None
    last_error_at: dt.datetime | None
    items_seen: int
    etag: str | None
    last_modified: str | None

    @property
    def healthy(self) -> bool:
        """Return whether the last poll succeeded (a feed never polled counts as healthy)."""
        if self.last_error_at is None:
            return True
        return self.last_success_at is not None and self.last_success_at >= self.last_error_at


class FeedItemView(BaseModel):
    """One stored item of a feed."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    item_key: str
    url: str | None
    source_id: int | None
    error: str | None
    seen_at: dt.datetime
