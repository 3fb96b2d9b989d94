"""Draw geometries as SVG paths in a simple equirectangular projection (no script, offline)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import shapely
from shapely.geometry.base import BaseGeometry


class Projects(Protocol):
    """Anything that projects a longitude and latitude to SVG pixels."""

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """Project one point."""
        ...


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude to SVG pixels, scaled by the cosine of the middle latitude."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    width: int

    @property
    def _k(self) -> float:
        return math.cos(math.radians((self.min_lat + self.max_lat) / 2))

    @property
    def scale(self) -> float:
        """Return pixels per degree of latitude."""
        return self.width / ((self.max_lon - self.min_lon) * self._k)

    @property
    def height(self) -> int:
        """Return the drawing's height in pixels."""
        return int((self.max_lat - self.min_lat) * self.scale) + 1

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """Project one point."""
        return (lon - self.min_lon) * self._k * self.scale, (self.max_lat - lat) * self.scale


def svg_path(geometry: BaseGeometry, projection: Projects) -> str:
    """Return the SVG path data of a (multi)polygon or (multi)line, projected by ``projection``."""
    out = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            rings, closed = [part.exterior, *part.interiors], True
        elif part.geom_type == "LineString":
            rings, closed = [part], False
        else:
            continue
        for ring in rings:
            coords = shapely.get_coordinates(ring)
            if len(coords) < 2:
                continue
            points = " L".join(
                f"{x:.1f},{y:.1f}" for x, y in (projection.xy(a, b) for a, b in coords)
            )
            out.append(f"M{points}{'Z' if closed else ''}")
    return " ".join(out)
