"""Incidents for the interactive map: points when few, counts on a grid when many.

A map window holding up to ``MAX_POINTS`` incidents gets one point each (id, type, status, date).
Above that, incidents are counted in square cells of ``360 / 2**zoom / CELLS_PER_TILE`` degrees
(about 64 screen pixels at that zoom), each cell a point at its incidents' mean position with its
count by type and by status, and its bounds to zoom to. Aggregating on the server keeps the
payload and the browser's work bounded whatever the count: 100,000 incidents over Ukraine at zoom
6 are a few hundred cells. Viewers' coordinates are coarsened before anything is counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import InvalidInput
from accord.incidents.models import Incident, occurred_between

MAX_POINTS = 2000
CELLS_PER_TILE = 4
MAX_DAYS = 3660


def window(day: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """Return the first and last date of the ``days`` days ending on ``day``."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days: {days} is outside 1-{MAX_DAYS}")
    return day - dt.timedelta(days=days - 1), day


def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """Read "min_lon,min_lat,max_lon,max_lat" (None when not given)."""
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise InvalidInput(f"bbox: {text!r} is not min_lon,min_lat,max_lon,max_lat") from None
    if not (w < e and s < n):
        raise InvalidInput(f"bbox: {text!r} has min above max")
    return max(w, -180.0), max(s, -90.0), min(e, 180.0), min(n, 90.0)


def layer(
    session: Session,
    day: dt.date,
    days: int,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    zoom: int = 6,
    coarsen_deg: float | None = None,
    max_points: int = MAX_POINTS,
    pack: str | None = None,
) -> dict[str, Any]:
    """Return the incidents (of a pack) of the window as GeoJSON features (points or grid cells)."""
    if not 0 <= zoom <= 20:
        raise InvalidInput(f"zoom: {zoom} is outside 0-20")
    start, end = window(day, days)
    query = select(
        Incident.id,
        Incident.type,
        Incident.status,
        Incident.latitude,
        Incident.longitude,
        Incident.occurred_on,
    ).where(occurred_between(start, end))
    if pack:
        query = query.where(Incident.pack_id == pack)
    if bbox is not None:
        w, s, e, n = bbox
        query = query.where(
            Incident.longitude >= w,
            Incident.longitude <= e,
            Incident.latitude >= s,
            Incident.latitude <= n,
        )
    rows = list(session.execute(query).all())
    lat = np.array([r.latitude for r in rows], dtype=float)
    lon = np.array([r.longitude for r in rows], dtype=float)
    if coarsen_deg:
        lat = np.round(np.round(lat / coarsen_deg) * coarsen_deg, 6)
        lon = np.round(np.round(lon / coarsen_deg) * coarsen_deg, 6)
    head = {"type": "FeatureCollection", "from": str(start), "to": str(end), "total": len(rows)}
    if len(rows) <= max_points:
        return {**head, "aggregated": False, "features": _points(rows, lat, lon)}
    cell = 360.0 / 2**zoom / CELLS_PER_TILE
    return {**head, "aggregated": True, "cell_deg": cell, "features": _cells(rows, lat, lon, cell)}


def _points(rows: list[Any], lat: np.ndarray, lon: np.ndarray) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(lon[i]), 5), round(float(lat[i]), 5)],
            },
            "properties": {
                "id": r.id,
                "type": r.type,
                "status": r.status,
                "date": str(r.occurred_on),
            },
        }
        for i, r in enumerate(rows)
    ]


def _cells(rows: list[Any], lat: np.ndarray, lon: np.ndarray, cell: float) -> list[dict[str, Any]]:
    ix = np.floor(lon / cell).astype(np.int64)
    iy = np.floor(lat / cell).astype(np.int64)
    keys, inverse, counts = np.unique(ix * 10_000_000 + iy, return_inverse=True, return_counts=True)
    mean_lon = np.bincount(inverse, weights=lon) / counts
    mean_lat = np.bincount(inverse, weights=lat) / counts
    by_type = _tally(inverse, [r.type for r in rows], len(keys))
    by_status = _tally(inverse, [r.status for r in rows], len(keys))
    first = np.zeros(len(keys), dtype=np.int64)  # one row of each cell, for its corner
    first[inverse[::-1]] = np.arange(len(rows))[::-1]
    out = []
    for k in range(len(keys)):
        x0, y0 = ix[first[k]] * cell, iy[first[k]] * cell
        out.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(mean_lon[k]), 4), round(float(mean_lat[k]), 4)],
                },
                "properties": {
                    "count": int(counts[k]),
                    "types": by_type[k],
                    "statuses": by_status[k],
                    "bounds": [
                        round(float(x0), 4),
                        round(float(y0), 4),
                        round(float(x0 + cell), 4),
                        round(float(y0 + cell), 4),
                    ],
                },
            }
        )
    return out


def _tally(inverse: np.ndarray, labels: list[str], cells: int) -> list[dict[str, int]]:
    names, codes = np.unique(np.array(labels, dtype=object), return_inverse=True)
    table = np.zeros((cells, len(names)), dtype=np.int64)
    np.add.at(table, (inverse, codes), 1)
    return [
        {str(names[j]): int(table[k, j]) for j in np.flatnonzero(table[k])} for k in range(cells)
    ]


def type_counts(
    session: Session, start: dt.date, end: dt.date, pack: str | None = None
) -> dict[str, int]:
    """Return how many incidents (of a pack) of each type the window holds, most frequent first."""
    query = select(Incident.type, func.count()).where(occurred_between(start, end))
    if pack:
        query = query.where(Incident.pack_id == pack)
    query = query.group_by(Incident.type)
    counted = {str(t): int(n) for t, n in session.execute(query).all()}
    return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
