"""Small SVG charts and maps, written by hand so that reports render offline with no script."""

from __future__ import annotations

from html import escape
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from accord.zones.svg import Projection, svg_path

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
    period = f"{points[0]['date']} to {points[-1]['date']}" if points else "no days"
    label = (
        f"bar chart of incidents reported and verified per day, {period}, at most {top} a day; "
        "the numbers are in the table below"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">'
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


def map_svg(
    zones: list[tuple[str, str, BaseGeometry]],
    incidents: list[dict[str, Any]],
    bounds: tuple[float, float, float, float],
    width: int = 640,
    link: str | None = None,
) -> str:
    """Return a map: zones (outlines, areas, lines) and incident dots, equirectangular.

    With ``link`` (a fragment prefix such as ``"incident-"``) every dot is a link, reachable by
    keyboard and named for screen readers, to the row of that incident in a table beside the
    map; without it the map is one image (as in a printed report).
    """
    projection = Projection(*bounds, width=width)
    height = projection.height
    role = (
        'role="group" aria-label="map of incidents and zones; each dot links to its incident '
        'in the list below"'
        if link
        else 'role="img" aria-label="map of incidents and zones"'
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {role}>',
        f'<rect width="{width}" height="{height}" fill="#f8f9f9" aria-hidden="true"/>',
    ]
    order = list(ZONE_STYLES)
    for zone_id, kind, geometry in sorted(
        zones, key=lambda z: order.index(z[1]) if z[1] in order else 2
    ):
        fill, stroke, stroke_w = ZONE_STYLES.get(kind, ("none", "#5d6d7e", 0.8))
        simple = shapely.simplify(geometry, 0.01)
        parts.append(
            f'<path d="{svg_path(simple, projection)}" fill="{fill}" fill-opacity="0.6" '
            f'stroke="{stroke}" stroke-width="{stroke_w}"><title>{escape(zone_id)}</title></path>'
        )
    for incident in incidents:
        x, y = projection.xy(incident["lon"], incident["lat"])
        colour = STATUS_COLOURS.get(incident["status"], "#333")
        name = f"#{incident['id']} {escape(incident['type'])} ({escape(incident['status'])})"
        dot = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" stroke="#fff" '
            f'stroke-width="0.8"><title>{name}</title></circle>'
        )
        if link:
            dot = f'<a href="#{link}{incident["id"]}" aria-label="incident {name}">{dot}</a>'
        parts.append(dot)
    parts.append("</svg>")
    return "".join(parts)
