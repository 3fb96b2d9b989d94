"""Point-in-zone join for the incident check: which incidents lie in which zones on their day.

Points are binned once into a regular grid (cell ids in row-major order, points sorted by cell).
For each zone, the cells its boundary passes through are found by walking the boundary at half a
cell's spacing (every boundary point is then within a quarter cell of a sample) and marking the
cells within 0.3 cell of each sample: that over-marks, never misses. Along each grid row of the
zone's bounding box, a run of unmarked cells lies wholly inside or wholly outside the zone (no
boundary crosses it), so one exact test of a cell centre decides the run, and the points of an
inside run are taken as a slice of the sorted order with no test of their own. Only points in
marked cells get the exact ``intersects_xy`` test (points on the boundary count as inside, as
with shapely's ``intersects``). On points clustered along a front, where most hits lie deep
inside zones, this skips most exact tests. A zone whose box holds few points has them all tested
exactly, which costs less than marking its cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely

from accord.zones.models import Zone

NO_START = dt.date.min.toordinal()
NO_END = dt.date.max.toordinal()
# grid cells per zone side (median zone), and the most cells the grid may have
CELLS_PER_ZONE = 64
MAX_CELLS = 2_000_000
# a zone whose bounding box holds at most this many points tests them all exactly
DIRECT_POINTS = 4_000
# how far (in cells) around each boundary sample cells are marked: over the quarter cell that
# separates any boundary point from its nearest sample, with room for rounding
SAMPLE_REACH = 0.3


@dataclass(frozen=True)
class ZoneSet:
    """Zones ready for joins: ids, geometries and validity as day ordinals."""

    ids: list[str]
    geometries: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[Zone]) -> ZoneSet:
        """Build from stored zones."""
        return cls(
            ids=[z.id for z in rows],
            geometries=shapely.from_wkb([z.geometry_wkb for z in rows]),
            valid_from=np.array(
                [z.valid_from.toordinal() if z.valid_from else NO_START for z in rows]
            ),
            valid_to=np.array([z.valid_to.toordinal() if z.valid_to else NO_END for z in rows]),
        )


@dataclass(frozen=True)
class _Grid:
    """Points binned into square cells: cell ``(iy, ix)`` has id ``iy * nx + ix``."""

    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    order: np.ndarray  # point indices sorted by cell id
    start: np.ndarray  # start[c]..start[c + 1] is cell c's slice of ``order``

    def cell(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the (column, row) of each coordinate, not clipped to the grid."""
        return (
            np.floor((x - self.x0) / self.size).astype(np.int64),
            np.floor((y - self.y0) / self.size).astype(np.int64),
        )


def zone_hits(
    lon: np.ndarray, lat: np.ndarray, days: np.ndarray, zoneset: ZoneSet
) -> tuple[np.ndarray, np.ndarray]:
    """Return (point index, zone index) pairs: the point lies in a zone in force on its day.

    The pairs are exactly those of ``shapely.intersects_xy`` per zone, filtered by validity; their
    order is not specified.
    """
    empty = np.empty(0, dtype=np.int64)
    if not len(zoneset.ids) or not len(lon):
        return empty, empty
    bounds = shapely.bounds(zoneset.geometries)
    grid = _make_grid(lon, lat, bounds)
    shapely.prepare(zoneset.geometries)
    first_day, last_day = int(days.min()), int(days.max())
    point_parts, counts = [], np.zeros(len(zoneset.ids), dtype=np.int64)
    usable = ~np.isnan(bounds).any(axis=1)  # an empty geometry holds no point
    for z, geometry in enumerate(zoneset.geometries):
        if not usable[z]:
            continue
        found = _zone_points(grid, geometry, bounds[z], lon, lat)
        if not len(found):
            continue
        valid_from, valid_to = int(zoneset.valid_from[z]), int(zoneset.valid_to[z])
        if valid_from > first_day or valid_to < last_day:
            d = days[found]
            found = found[(d >= valid_from) & (d <= valid_to)]
        point_parts.append(found)
        counts[z] = len(found)
    if not point_parts:
        return empty, empty
    return np.concatenate(point_parts), np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def _make_grid(lon: np.ndarray, lat: np.ndarray, bounds: np.ndarray) -> _Grid:
    """Bin the points into cells about 1/32 of the median zone's extent (capped in number)."""
    x0, y0 = float(lon.min()), float(lat.min())
    width, height = float(lon.max()) - x0, float(lat.max()) - y0
    extents = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    extents = extents[np.isfinite(extents) & (extents > 0)]
    size = float(np.median(extents)) / CELLS_PER_ZONE if len(extents) else 1.0
    size = max(size, np.sqrt(max(width, 1e-9) * max(height, 1e-9) / MAX_CELLS), 1e-9)
    # one spare cell each way, so that rounding never puts a point past the last cell
    nx = int(width // size) + 2
    ny = int(height // size) + 2
    while nx * ny > MAX_CELLS:  # a thin extent: the square-root bound is not enough
        size *= 1.5
        nx, ny = int(width // size) + 2, int(height // size) + 2
    ix = np.minimum(np.floor((lon - x0) / size).astype(np.int64), nx - 1)
    iy = np.minimum(np.floor((lat - y0) / size).astype(np.int64), ny - 1)
    ids = iy * nx + ix
    order = np.argsort(ids, kind="stable")
    start = np.zeros(nx * ny + 1, dtype=np.int64)
    np.cumsum(np.bincount(ids, minlength=nx * ny), out=start[1:])
    return _Grid(x0, y0, size, nx, ny, order, start)


def _zone_points(
    grid: _Grid, geometry: shapely.Geometry, box: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Return the indices of the points that intersect one zone."""
    if box[2] < grid.x0 or box[3] < grid.y0:
        return np.empty(0, dtype=np.int64)
    ix0, ix1, iy0, iy1 = (
        min(max(int(v), 0), n - 1)
        for v, n in (
            ((box[0] - grid.x0) // grid.size, grid.nx),
            ((box[2] - grid.x0) // grid.size, grid.nx),
            ((box[1] - grid.y0) // grid.size, grid.ny),
            ((box[3] - grid.y0) // grid.size, grid.ny),
        )
    )
    width, height = ix1 - ix0 + 1, iy1 - iy0 + 1
    row_start = np.arange(iy0, iy1 + 1, dtype=np.int64) * grid.nx + ix0
    if int((grid.start[row_start + width] - grid.start[row_start]).sum()) <= DIRECT_POINTS:
        # few points in the box: testing them all costs less than sorting cells out
        candidates = _slices(
            grid, row_start, np.zeros_like(row_start), np.full_like(row_start, width - 1)
        )
        hit: np.ndarray = candidates[
            shapely.intersects_xy(geometry, lon[candidates], lat[candidates])
        ]
        return hit
    marked = _boundary_cells(grid, geometry, ix0, iy0, width, height)
    rows, first, last, on_boundary = _runs(marked)
    # one exact test per unmarked run: the centre of its first cell
    open_runs = np.flatnonzero(~on_boundary)
    centre_x = grid.x0 + (ix0 + first[open_runs] + 0.5) * grid.size
    centre_y = grid.y0 + (iy0 + rows[open_runs] + 0.5) * grid.size
    inside_runs = open_runs[shapely.intersects_xy(geometry, centre_x, centre_y)]
    boundary_runs = np.flatnonzero(on_boundary)
    cell_row = row_start[rows]
    inside = _slices(grid, cell_row[inside_runs], first[inside_runs], last[inside_runs])
    maybe = _slices(grid, cell_row[boundary_runs], first[boundary_runs], last[boundary_runs])
    if len(maybe):
        maybe = maybe[shapely.intersects_xy(geometry, lon[maybe], lat[maybe])]
    return np.concatenate([inside, maybe]) if len(maybe) else inside


def _boundary_cells(
    grid: _Grid, geometry: shapely.Geometry, ix0: int, iy0: int, width: int, height: int
) -> np.ndarray:
    """Mark (height × width, from cell ix0, iy0) every cell the zone's boundary may touch.

    The samples are the vertices of the zone densified to half a cell: its rings for a polygon,
    the whole shape for a line or a point, any mix for a collection. Every boundary point lies
    within a quarter cell (each way) of a sample, so marking the cells of the corners of a square
    of ±0.3 cell around each sample marks every cell the boundary touches. A mark outside the box
    lands on a one-cell border that is then dropped: cells outside the zone's box, or past the
    grid's edge, hold none of the zone's points.
    """
    padded = np.zeros((height + 2, width + 2), dtype=bool)
    xy = shapely.get_coordinates(shapely.segmentize(geometry, grid.size / 2))
    reach = SAMPLE_REACH * grid.size
    x_lo = np.floor((xy[:, 0] - reach - grid.x0) / grid.size).astype(np.int64) - (ix0 - 1)
    x_hi = np.floor((xy[:, 0] + reach - grid.x0) / grid.size).astype(np.int64) - (ix0 - 1)
    y_lo = np.floor((xy[:, 1] - reach - grid.y0) / grid.size).astype(np.int64) - (iy0 - 1)
    y_hi = np.floor((xy[:, 1] + reach - grid.y0) / grid.size).astype(np.int64) - (iy0 - 1)
    if x_lo.min() < 0 or x_hi.max() > width + 1 or y_lo.min() < 0 or y_hi.max() > height + 1:
        # the zone reaches past the grid, which has no points there: those marks go to the border
        x_lo, x_hi = np.clip(x_lo, 0, width + 1), np.clip(x_hi, 0, width + 1)
        y_lo, y_hi = np.clip(y_lo, 0, height + 1), np.clip(y_hi, 0, height + 1)
    for x, y in ((x_lo, y_lo), (x_lo, y_hi), (x_hi, y_lo), (x_hi, y_hi)):
        padded[y, x] = True
    return padded[1:-1, 1:-1]


def _runs(marked: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split each row into runs of equal marking: (row, first column, last column, marked)."""
    height, width = marked.shape
    change = np.ones((height, width), dtype=bool)
    change[:, 1:] = marked[:, 1:] != marked[:, :-1]
    rows, first = np.nonzero(change)
    ends = np.ones((height, width), dtype=bool)
    ends[:, :-1] = change[:, 1:]
    _rows, last = np.nonzero(ends)
    return rows, first, last, marked[rows, first]


def _slices(grid: _Grid, row: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Return the points of the cells ``row + first .. row + last`` (inclusive) of each run."""
    lo = grid.start[row + first]
    hi = grid.start[row + last + 1]
    lengths = hi - lo
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
    points: np.ndarray = grid.order[np.arange(total, dtype=np.int64) + offsets]
    return points
