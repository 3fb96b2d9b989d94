"""Geodesic geometry helpers: areas and lengths on WGS84, buffers in kilometres, contact lines.

Areas and lengths use pyproj's ``Geod`` (exact geodesics on the ellipsoid). A buffer is computed
in an azimuthal equidistant projection centred on the geometry, where distances from the centre
are true, then projected back to WGS84.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")
WGS84 = CRS.from_epsg(4326)
# Distance (in degrees) within which a boundary segment counts as lying on the country's border or
# coast when deriving a contact line: about 1 km.
BORDER_TOLERANCE_DEG = 0.01
# Specks: a polygon part or hole under this area is a digitising artefact, not a front feature.
# 1 km² is about a village block; the smallest real pockets on DeepStateMap-style snapshots are
# several km², while slivers along coasts and borders and single-cell holes are far below it
# (a 600 m² hole would otherwise become a 0.7 km "front" and a 700 km² DMZ disc).
MIN_PATCH_KM2 = 1.0
# Stubs: a piece of derived contact line shorter than this is where the occupied outline touches
# the state border or coast at a slightly different place, not a front of its own.
MIN_PIECE_KM = 2.0
# Slivers: a piece of derived line that never runs more than this far from the country's border or
# coast is the edge of a strip along that border (a coastal sandbar, a border road), not a front.
MIN_SLIVER_WIDTH_KM = 2.0


def area_km2(geometry: BaseGeometry) -> float:
    """Return the geodesic area of a (multi)polygon in km² (0 for lines and points)."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return 0.0
    area, _perimeter = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


def length_km(geometry: BaseGeometry) -> float:
    """Return the geodesic length of a (multi)line in km (0 for polygons and points)."""
    if geometry.geom_type not in ("LineString", "MultiLineString", "GeometryCollection"):
        return 0.0
    return float(GEOD.geometry_length(geometry)) / 1000.0


@functools.lru_cache(maxsize=64)
def _aeqd(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m")
    forward = Transformer.from_crs(WGS84, crs, always_xy=True)
    back = Transformer.from_crs(crs, WGS84, always_xy=True)
    return forward, back


def buffer_km(geometry: BaseGeometry, km: float) -> BaseGeometry:
    """Return the area within ``km`` kilometres of a geometry."""
    if km <= 0:
        raise ValueError(f"buffer width must be positive, got {km} km")
    centre = geometry.centroid
    forward, back = _aeqd(round(centre.x, 4), round(centre.y, 4))
    projected = shapely.transform(geometry, _apply(forward))
    buffered = projected.buffer(km * 1000.0, quad_segs=16)
    return shapely.make_valid(shapely.transform(buffered, _apply(back)))


def _apply(transformer: Transformer) -> Callable[[np.ndarray], np.ndarray]:
    def run(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return run


def _expand(
    bounds: tuple[float, float, float, float], margin: float
) -> tuple[float, float, float, float]:
    min_x, min_y, max_x, max_y = bounds
    return min_x - margin, min_y - margin, max_x + margin, max_y + margin


def without_specks(geometry: BaseGeometry, min_km2: float = MIN_PATCH_KM2) -> BaseGeometry:
    """Return a (multi)polygon without the parts and holes smaller than ``min_km2``."""
    kept = []
    for part in shapely.get_parts(geometry):
        if (
            not isinstance(part, shapely.Polygon)
            or area_km2(shapely.Polygon(part.exterior)) < min_km2
        ):
            continue
        holes = [ring for ring in part.interiors if area_km2(shapely.Polygon(ring)) >= min_km2]
        kept.append(shapely.Polygon(part.exterior, holes))
    return shapely.MultiPolygon(kept) if len(kept) != 1 else kept[0]


def without_stubs(line: BaseGeometry, min_km: float = MIN_PIECE_KM) -> BaseGeometry:
    """Return a (multi)line without the pieces shorter than ``min_km``."""
    pieces = [p for p in shapely.get_parts(line) if length_km(p) >= min_km]
    if not pieces:
        return shapely.MultiLineString()
    return shapely.line_merge(shapely.MultiLineString(pieces)) if len(pieces) > 1 else pieces[0]


def contact_line(
    occupied: BaseGeometry,
    country: BaseGeometry,
    *,
    min_patch_km2: float = MIN_PATCH_KM2,
    min_piece_km: float = MIN_PIECE_KM,
    min_width_km: float = MIN_SLIVER_WIDTH_KM,
) -> BaseGeometry:
    """Return the occupied area's boundary inside the country: not on its border or coast.

    Parts and holes of the occupied area under ``min_patch_km2``, line pieces under
    ``min_piece_km``, and pieces that stay within ``min_width_km`` of the border or coast are left
    out (see the constants; docs/TERRITORY.md lists their effect).
    """
    occupied = without_specks(occupied, min_patch_km2)
    if occupied.is_empty:
        return shapely.MultiLineString()
    # only the country's border near the occupied area matters; simplifying it well within the
    # tolerance and buffering with few segments keeps this fast on detailed coastlines
    near = shapely.clip_by_rect(
        country.boundary, *_expand(occupied.bounds, 10 * BORDER_TOLERANCE_DEG)
    )
    border = shapely.simplify(near, BORDER_TOLERANCE_DEG / 4).buffer(
        BORDER_TOLERANCE_DEG, quad_segs=2
    )
    inner = occupied.boundary.difference(border)
    line = shapely.line_merge(inner.intersection(country)) if not inner.is_empty else inner
    line = without_stubs(line, min_piece_km)
    if min_width_km > 0 and not line.is_empty:
        line = _without_slivers(line, near, min_width_km)
    return line


def _without_slivers(line: BaseGeometry, border: BaseGeometry, width_km: float) -> BaseGeometry:
    """Drop the pieces of a line that lie wholly within ``width_km`` of a border line."""
    centre = line.centroid
    forward, _back = _aeqd(round(centre.x, 4), round(centre.y, 4))
    # Buffering the detailed border line itself took tens of seconds on real coastlines; a line
    # simplified to 1/40 of the width moves the band's edge by at most 2.5 % of it.
    projected = shapely.simplify(shapely.transform(border, _apply(forward)), width_km * 25.0)
    band = projected.buffer(width_km * 1000.0, quad_segs=4)
    shapely.prepare(band)
    pieces = [
        piece
        for piece in shapely.get_parts(line)
        if not band.contains(shapely.transform(piece, _apply(forward)))
    ]
    if not pieces:
        return shapely.MultiLineString()
    return pieces[0] if len(pieces) == 1 else shapely.MultiLineString(pieces)
