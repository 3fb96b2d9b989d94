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


def contact_line(occupied: BaseGeometry, country: BaseGeometry) -> BaseGeometry:
    """Return the occupied area's boundary inside the country: not on its border or coast."""
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
    return line
