"""Small SVG charts and maps, written by hand so that reports render offline with no script."""

from __future__ import annotations

import math
from html import escape
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

STATUS_COLOURS = {
    "reported": "#e07b00",
    "under_review": "#b58900",
    "verified": "#c0392b",
    "unverified": "#7f8c8d",
    "dismissed": "#bdc3c7",
}
ZONE_STYLES = {
    "admin_area": ("none", "#9aa5b1", 0.6),
    "occupied_area": ("#f3d3d3", "#c98b8b", 0.6),
    "dmz": ("#fdebd0", "#d68910", 0.8),
    "line_of_contact": ("none", "#922b21", 1.6),
}


def trend_chart(points: list[dict[str, Any]], width: int = 640, height: int = 180) -> str:
    """Return a bar chart of reported (and verified) incidents per day."""
    top = max([p["reported"] for p in points] + [1])
    pad, bar_w = 30, (width - 40) / max(len(points), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="incidents per day">'
    ]
    for n, p in enumerate(points):
        x = pad + n * bar_w
        for key, colour in (("reported", "#e59866"), ("verified", "#c0392b")):
            h = (height - 40) * p[key] / top
            parts.append(
                f'<rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{bar_w * 0.8:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(p["date"])}: '
                f"{p[key]} {key}</title></rect>"
            )
    parts.append(f'<text x="{pad}" y="12" font-size="10">max {top}/day</text>')
    parts.append(
        f'<text x="{pad}" y="{height - 5}" font-size="10">{escape(points[0]["date"])}</text>'
    )
    parts.append(
        f'<text x="{width - 80}" y="{height - 5}" font-size="10">{escape(points[-1]["date"])}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _path(geometry: BaseGeometry, project: Any) -> str:
    out = []
    for part in shapely.get_parts(geometry):
        rings = (
            [part]
            if part.geom_type == "LineString"
            else ([part.exterior, *part.interiors] if part.geom_type == "Polygon" else [])
        )
        for ring in rings:
            coords = shapely.get_coordinates(ring)
            if len(coords) < 2:
                continue
            xy = [project(x, y) for x, y in coords]
            out.append(
                "M"
                + " L".join(f"{x:.1f},{y:.1f}" for x, y in xy)
                + ("Z" if part.geom_type == "Polygon" else "")
            )
    return " ".join(out)


def map_svg(
    zones: list[tuple[str, str, BaseGeometry]],
    incidents: list[dict[str, Any]],
    bounds: tuple[float, float, float, float],
    width: int = 640,
) -> str:
    """Return a map: zones (outlines, areas, lines) and incident dots, equirectangular."""
    min_lon, min_lat, max_lon, max_lat = bounds
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = width / ((max_lon - min_lon) * k)
    height = int((max_lat - min_lat) * scale) + 1

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - min_lon) * k * scale, (max_lat - lat) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="map of incidents and zones">',
        f'<rect width="{width}" height="{height}" fill="#f8f9f9"/>',
    ]
    order = list(ZONE_STYLES)
    for zone_id, kind, geometry in sorted(
        zones, key=lambda z: order.index(z[1]) if z[1] in order else 2
    ):
        fill, stroke, stroke_w = ZONE_STYLES.get(kind, ("none", "#5d6d7e", 0.8))
        simple = shapely.simplify(geometry, 0.01)
        parts.append(
            f'<path d="{_path(simple, project)}" fill="{fill}" fill-opacity="0.6" stroke="{stroke}" '
            f'stroke-width="{stroke_w}"><title>{escape(zone_id)}</title></path>'
        )
    for incident in incidents:
        x, y = project(incident["lon"], incident["lat"])
        colour = STATUS_COLOURS.get(incident["status"], "#333")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" stroke="#fff" stroke-width="0.8">'
            f"<title>#{incident['id']} {escape(incident['type'])} ({escape(incident['status'])})</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
