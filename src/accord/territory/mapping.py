"""Map of territorial proposals: oblasts, the line of contact, each proposal's area, settlements."""

from __future__ import annotations

from html import escape

import shapely
from shapely.geometry.base import BaseGeometry

from accord.territory import gazetteer
from accord.zones.svg import Projection, svg_path

COLOURS = ["#c0392b", "#2471a3", "#d68910", "#7d3c98", "#138d75", "#a04000"]
ZONE_ATTRIBUTION = "Outlines and occupied areas: as loaded by the user (see `accord zones list`)"


def proposals_svg(
    oblasts: list[tuple[str, BaseGeometry]],
    line: BaseGeometry,
    areas: list[tuple[str, str, BaseGeometry]],
    country: str,
    width: int = 900,
) -> str:
    """Return an SVG map with layers: oblasts, proposals, line of contact, settlements, legend."""
    frame = shapely.union_all([g for _n, g in oblasts] + [a for _i, _n, a in areas] + [line])
    min_x, min_y, max_x, max_y = frame.bounds
    projection = Projection(min_x - 0.2, min_y - 0.2, max_x + 0.2, max_y + 0.2, width)
    height = projection.height + 40 + 18 * len(areas)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#fbfcfc"/>',
        '<g id="oblasts">',
    ]
    for name, geometry in oblasts:
        out.append(
            f'<path d="{svg_path(shapely.simplify(geometry, 0.01), projection)}" fill="#f2f3f4" '
            f'stroke="#99a3a4" stroke-width="0.6"><title>{escape(name)}</title></path>'
        )
    out.append('</g><g id="proposals">')
    for n, (pid, name, area) in enumerate(areas):
        colour = COLOURS[n % len(COLOURS)]
        out.append(
            f'<path id="proposal-{escape(pid)}" d="{svg_path(shapely.simplify(area, 0.005), projection)}" '
            f'fill="{colour}" fill-opacity="0.35" stroke="{colour}" stroke-width="0.8">'
            f"<title>{escape(name)}</title></path>"
        )
    out.append(
        f'</g><g id="line-of-contact"><path d="{svg_path(line, projection)}" fill="none" '
        f'stroke="#641e16" stroke-width="1.6"><title>line of contact</title></path></g>'
    )
    out.append('<g id="settlements">')
    places = gazetteer.settlements(country)
    inside = shapely.intersects_xy(frame.envelope, places.lon, places.lat)
    for i, name in enumerate(places.names):
        if not inside[i] or places.population[i] < 50_000:
            continue
        x, y = projection.xy(float(places.lon[i]), float(places.lat[i]))
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#1b2631"/>'
            f'<text x="{x + 3:.1f}" y="{y - 2:.1f}" font-size="8" fill="#1b2631">{escape(name)}</text>'
        )
    out.append('</g><g id="legend">')
    y0 = projection.height + 10
    for n, (_pid, name, _area) in enumerate(areas):
        colour = COLOURS[n % len(COLOURS)]
        out.append(
            f'<rect x="10" y="{y0 + 18 * n}" width="12" height="12" fill="{colour}" fill-opacity="0.5"/>'
            f'<text x="28" y="{y0 + 18 * n + 10}" font-size="11">{escape(name)}</text>'
        )
    out.append(
        f'</g><text id="attribution" x="10" y="{height - 8}" font-size="9" fill="#566573">'
        f"{escape(gazetteer.ATTRIBUTION)}. {escape(ZONE_ATTRIBUTION)}.</text></svg>"
    )
    return "".join(out)
