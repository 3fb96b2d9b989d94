"""Shapes of the board, timelines and events as shown to users."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class Cell(BaseModel):
    """A party's current stance on an issue."""

    stance: str
    date: dt.date | None
    sources: int  # independent reports: copies of one story count once
    claim_id: int
    copies: int = 0  # distinct sources, copies included


class HolderStatus(BaseModel):
    """A holder's latest assessment of an issue."""

    holder: str
    status: str
    progress_pct: int | None
    date: dt.date | None
    claim_id: int


class BoardRow(BaseModel):
    """One issue of the board: reconciled status, each holder's status, the parties' stances."""

    issue: str
    name: str
    status: str | None
    statuses: list[HolderStatus]
    cells: dict[str, Cell | None]


class Board(BaseModel):
    """The whole board as of a date."""

    as_of: dt.date
    pack: str | None = None
    parties: list[str]
    rows: list[BoardRow]
    undated_sources: int = 0  # sources left out because they have no publication date


class TimelineEntry(BaseModel):
    """One claim on an issue's timeline."""

    claim_id: int
    date: dt.date | None
    kind: str
    holder: str | None
    value: str | None
    participants: list[str] | None
    quote: str
    source_id: int
    source_title: str | None
    change: str | None = None


class EventOut(BaseModel):
    """A meeting, call or round of talks, merged across the sources that report it."""

    event_type: str
    participants: list[str]
    place: str | None
    date: dt.date | None
    date_precision: str | None
    upcoming: bool
    issue: str | None
    sources: list[int]
    claim_ids: list[int]
    summary: str
