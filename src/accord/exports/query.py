"""What an export asks for: the filters of the list commands and who it is for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accord.incidents.service import IncidentFilter

# one batch of rows, column by column (name -> values)
Batch = dict[str, list[Any]]


@dataclass(frozen=True)
class ExportQuery:
    """Filters (as ``accord incidents list`` has them) and the reader's view of the data.

    ``exact`` is False for viewers: incident coordinates are snapped to a ``step``-degree grid
    and the reporter is left out. ``with_text`` adds the sources' text (analysts and above).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    zone: str | None = None
    status: str | None = None
    type: str | None = None
    pack: str | None = None
    exact: bool = True
    step: float = 0.0
    with_text: bool = False

    def incident_filter(self) -> IncidentFilter:
        """Return the incident list's filter for these options."""
        return IncidentFilter(
            start=self.start,
            end=self.end,
            type=self.type,
            zone=self.zone,
            status=self.status,
            pack=self.pack,
        )

    def in_dates(self, day: dt.date | None) -> bool:
        """Tell whether a date lies within the asked range (no date: only when none is asked)."""
        if day is None:
            return self.start is None and self.end is None
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def coarsen(value: float, step: float) -> float:
    """Snap a coordinate to the nearest multiple of a grid step (0: unchanged)."""
    if step <= 0:
        return value
    return round(round(value / step) * step, 6)


def columns_of(rows: list[dict[str, Any]], names: list[str]) -> Batch:
    """Turn rows into a column batch with the given column names."""
    return {name: [row.get(name) for row in rows] for name in names}
