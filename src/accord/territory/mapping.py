"""Static maps of territorial proposals, drawn like an atlas plate on an A4 landscape page.

The plate has a title, the as-of date and the occupied-area snapshot it uses, one map panel per
proposal (small multiples when several are compared, all at the same scale), the occupied area
shaded, oblast outlines and names, the line of contact, settlements with labels placed largest
first and never overlapping, a scale bar, a legend for every layer with each proposal's figures,
and the data sources. Each proposal has its own colour and hatch direction, so it still reads in
grey-scale print. SVG is the master; PNG and PDF are rendered from it with CairoSVG.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from accord.errors import InvalidInput
from accord.territory import gazetteer, style
from accord.territory.labels import Box, Label, place
from accord.zones.svg import svg_path

ZONE_ATTRIBUTION = "Outlines and occupied areas: as loaded by the user (see `accord zones list`)"
PAGE_W, PAGE_H = 1123, 794  # A4 landscape at 96 px per inch
MAP_BOX: Box = (20.0, 70.0, 820.0, 740.0)
LEGEND_X = 838.0
FORMATS = (".svg", ".png", ".pdf", ".html")


@dataclass(frozen=True)
class Proposal:
    """One proposal on the plate: id, name, area and its headline figures."""

    id: str
    name: str
    area: BaseGeometry
    area_km2: float
    population: int


@dataclass(frozen=True)
class Plate:
    """Everything a plate shows."""

    as_of: dt.date
    snapshot: str
    oblasts: list[tuple[str, BaseGeometry]]
    occupied: BaseGeometry
    line: BaseGeometry
    proposals: list[Proposal]
    country: str


class Fit:
    """Longitude/latitude to pixels inside a box (equirectangular, scaled by cos(mid latitude))."""

    def __init__(self, bounds: tuple[float, float, float, float], box: Box) -> None:
        """Fit ``bounds`` (min_lon, min_lat, max_lon, max_lat) into ``box``, centred."""
        x1, y1, x2, y2 = bounds
        self.k = math.cos(math.radians((y1 + y2) / 2))
        w, h = box[2] - box[0], box[3] - box[1]
        self.scale = min(w / ((x2 - x1) * self.k), h / (y2 - y1))  # px per degree of latitude
        self.x0 = box[0] + (w - (x2 - x1) * self.k * self.scale) / 2 - x1 * self.k * self.scale
        self.y0 = box[1] + (h - (y2 - y1) * self.scale) / 2 + y2 * self.scale

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """Project one point."""
        return self.x0 + lon * self.k * self.scale, self.y0 - lat * self.scale

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        """Return the longitude and latitude of a pixel."""
        return (x - self.x0) / (self.k * self.scale), (self.y0 - y) / self.scale

    def km_per_px(self) -> float:
        """Return kilometres per pixel (along a meridian)."""
        return 111.32 / self.scale

    def path(self, geometry: BaseGeometry) -> str:
        """Return SVG path data for (multi)polygons and (multi)lines."""
        return svg_path(geometry, self)


def panels(n: int) -> list[Box]:
    """Return the panel boxes of n proposals inside the map area (small multiples)."""
    cols, rows = {1: (1, 1), 2: (2, 1), 3: (2, 2), 4: (2, 2)}.get(n, (3, 2))
    x1, y1, x2, y2 = MAP_BOX
    w, h, gap = (x2 - x1 - (cols - 1) * 10) / cols, (y2 - y1 - (rows - 1) * 10) / rows, 10
    return [
        (
            x1 + c * (w + gap),
            y1 + r * (h + gap) + 18,
            x1 + c * (w + gap) + w,
            y1 + r * (h + gap) + h,
        )
        for r in range(rows)
        for c in range(cols)
    ][:n]


def nice_km(target: float) -> float:
    """Return a round length (1, 2 or 5 times a power of ten) not above ``target`` km."""
    power = 10 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def plate_svg(plate: Plate) -> str:
    """Return the plate as an SVG document sized A4 landscape."""
    if len(plate.proposals) > 6:
        raise InvalidInput("a plate compares at most 6 proposals")
    frame = _frame(plate)
    boxes = panels(max(1, len(plate.proposals)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" '
        f'viewBox="0 0 {PAGE_W} {PAGE_H}" font-family="DejaVu Sans, Arial, sans-serif">',
        "<defs>",
        *(_hatch(n) for n in range(len(plate.proposals))),
        "</defs>",
        f'<rect width="{PAGE_W}" height="{PAGE_H}" fill="#ffffff"/>',
        f'<text id="title" x="20" y="34" font-size="20" font-weight="bold" fill="{style.TEXT}">'
        f"{escape(_title(plate))}</text>",
        f'<text id="date" x="20" y="56" font-size="12" fill="{style.MUTED_TEXT}">'
        f"Situation as of {plate.as_of:%d %B %Y} · occupied area: {escape(plate.snapshot)}</text>",
    ]
    all_labels: list[Label] = []
    for n, box in enumerate(boxes):
        proposal = plate.proposals[n] if plate.proposals else None
        svg, labels = _panel(plate, frame, box, n, proposal, small=len(boxes) > 1)
        out.append(svg)
        all_labels += labels
    out.append(_scale_bar(Fit(frame, boxes[0]), boxes[0]))
    out.append(_legend(plate, small=len(boxes) > 1))
    out.append(_sources(plate))
    out.append("</svg>")
    return "".join(out)


def _title(plate: Plate) -> str:
    if len(plate.proposals) == 1:
        title = f"Territorial proposal: {plate.proposals[0].name}"
        return title if len(title) <= 76 else title[:75].rstrip() + "…"
    return f"Territorial proposals compared ({len(plate.proposals)})"


def _frame(plate: Plate) -> tuple[float, float, float, float]:
    parts = [p.area for p in plate.proposals if not p.area.is_empty] + [plate.line, plate.occupied]
    x1, y1, x2, y2 = shapely.union_all([g for g in parts if not g.is_empty]).bounds
    dx, dy = (x2 - x1) * 0.08 + 0.2, (y2 - y1) * 0.08 + 0.2
    return x1 - dx, y1 - dy, x2 + dx, y2 + dy


def _hatch(n: int) -> str:
    colour = style.proposal_colour(n)
    return (
        f'<pattern id="hatch-{n}" patternUnits="userSpaceOnUse" width="7" height="7" '
        f'patternTransform="rotate({style.proposal_hatch(n)})">'
        f'<rect width="7" height="7" fill="{colour}" fill-opacity="0.12"/>'
        f'<line x1="0" y1="0" x2="0" y2="7" stroke="{colour}" stroke-width="2.2"/></pattern>'
    )


def _panel(
    plate: Plate,
    frame: tuple[float, float, float, float],
    box: Box,
    n: int,
    proposal: Proposal | None,
    small: bool,
) -> tuple[str, list[Label]]:
    fit = Fit(frame, box)
    tolerance = 0.6 / fit.scale  # simplify to about half a pixel
    clip = f"clip-{n}"
    out = [
        f'<g id="panel-{n}" class="panel">',
        f'<clipPath id="{clip}"><rect x="{box[0]}" y="{box[1]}" width="{box[2] - box[0]}" '
        f'height="{box[3] - box[1]}"/></clipPath>',
        f'<rect x="{box[0]}" y="{box[1]}" width="{box[2] - box[0]}" height="{box[3] - box[1]}" '
        f'fill="{style.SEA}"/>',
        f'<g clip-path="url(#{clip})">',
        '<g class="oblasts">',
    ]
    for name, geometry in plate.oblasts:
        out.append(
            f'<path d="{fit.path(shapely.simplify(geometry, tolerance))}" fill="{style.LAND}" '
            f'stroke="{style.OBLAST_EDGE}" stroke-width="0.7" fill-rule="evenodd">'
            f"<title>{escape(name)}</title></path>"
        )
    out.append(
        f'</g><path class="occupied" d="{fit.path(shapely.simplify(plate.occupied, tolerance))}" '
        f'fill="{style.OCCUPIED}" fill-opacity="{style.OCCUPIED_OPACITY}" stroke="{style.OCCUPIED}" '
        f'stroke-width="0.6" fill-rule="evenodd"><title>occupied area</title></path>'
    )
    if proposal is not None and not proposal.area.is_empty:
        colour = style.proposal_colour(n)
        out.append(
            f'<path id="proposal-{escape(proposal.id)}" class="proposal" '
            f'd="{fit.path(shapely.simplify(proposal.area, tolerance))}" fill="url(#hatch-{n})" '
            f'stroke="{colour}" stroke-width="1.6" fill-rule="evenodd">'
            f"<title>{escape(proposal.name)}</title></path>"
        )
    out.append(
        f'<path class="line-of-contact" d="{fit.path(shapely.simplify(plate.line, tolerance))}" '
        f'fill="none" stroke="{style.LINE}" stroke-width="2"><title>line of contact</title></path>'
    )
    out.append("</g>")
    inner = (box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2)
    taken: list[Box] = []
    if n == 0:
        taken.append((box[0], box[3] - 34, box[0] + 190, box[3]))  # the scale bar
    dots, wanted = _settlements(plate, fit, inner, small, taken)  # dots first: names avoid them
    names = _oblast_names(plate, fit, inner, small, taken)
    taken += [label.box for label in names]
    places = place(wanted, inner, taken)
    out.append('<g class="oblast-names">')
    out += [
        f'<text x="{lb.x:.1f}" y="{lb.y:.1f}" font-size="{lb.size}" font-style="italic" '
        f'fill="{style.MUTED_TEXT}">{escape(lb.text)}</text>'
        for lb in names
    ]
    out.append('</g><g class="settlements">')
    out += dots
    for lb in places:  # a white halo under each name, then the name (no paint-order in CairoSVG)
        font = f'x="{lb.x:.1f}" y="{lb.y:.1f}" font-size="{lb.size}" font-weight="{"bold" if lb.bold else "normal"}"'
        out.append(
            f'<text class="halo" {font} fill="#ffffff" stroke="#ffffff" stroke-width="2.6" '
            f'stroke-linejoin="round" aria-hidden="true">{escape(lb.text)}</text>'
            f'<text class="place" {font} fill="{style.TEXT}">{escape(lb.text)}</text>'
        )
    out.append("</g>")
    if small and proposal is not None:
        letter = "ABCDEF"[n]
        out.append(
            f'<text class="panel-title" x="{box[0]}" y="{box[1] - 5}" font-size="12" '
            f'font-weight="bold" fill="{style.TEXT}">{letter}. {escape(_short(proposal.name, box))}</text>'
        )
    out.append(
        f'<rect x="{box[0]}" y="{box[1]}" width="{box[2] - box[0]}" height="{box[3] - box[1]}" '
        f'fill="none" stroke="{style.OBLAST_EDGE}"/></g>'
    )
    return "".join(out), names + places


def _short(name: str, box: Box) -> str:
    room = int((box[2] - box[0]) / (12 * 0.7)) - 3
    return name if len(name) <= room else name[: room - 1].rstrip() + "…"


def _oblast_names(plate: Plate, fit: Fit, frame: Box, small: bool, taken: list[Box]) -> list[Label]:
    size = 9.5 if small else 11.0
    wanted = []
    (x1, y1), (x2, y2) = fit.lonlat(frame[0], frame[3]), fit.lonlat(frame[2], frame[1])
    view = shapely.box(x1, y1, x2, y2)
    for name, geometry in sorted(plate.oblasts, key=lambda og: -og[1].area):
        visible = shapely.intersection(geometry, view)  # name the part on the map
        if visible.is_empty:
            continue
        spot = shapely.point_on_surface(visible)
        x, y = fit.xy(spot.x, spot.y)
        text = name.replace(" область", "").replace(" (illustrative outline)", "")
        wanted.append((text, x, y, size, False, 0.0))
    # centred on the spot: the first candidate is moved left by half the width
    centred = [(t, x - len(t) * s * 0.31 - 2, y, s, b, r) for t, x, y, s, b, r in wanted]
    return place(centred, frame, taken)


def _settlements(
    plate: Plate, fit: Fit, frame: Box, small: bool, taken: list[Box]
) -> tuple[list[str], list[tuple[str, float, float, float, bool, float]]]:
    places = gazetteer.settlements(plate.country)
    minimum = 100_000 if small else 40_000
    dots, wanted = [], []
    for i, name in enumerate(places.names):  # largest first
        population = int(places.population[i])
        if population < minimum:
            break
        x, y = fit.xy(float(places.lon[i]), float(places.lat[i]))
        if not (frame[0] + 3 < x < frame[2] - 3 and frame[1] + 3 < y < frame[3] - 3):
            continue
        r = 4.0 if population >= 1_000_000 else 3.0 if population >= 250_000 else 2.2
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="#ffffff" stroke="{style.TEXT}" '
            f'stroke-width="1.1"><title>{escape(name)} ({population:,})</title></circle>'
        )
        taken.append((x - r, y - r, x + r, y + r))
        size = 11.0 if population >= 1_000_000 else 10.0 if population >= 250_000 else 9.0
        wanted.append((name, x, y, size, population >= 250_000, r))
    return dots, wanted


def _scale_bar(fit: Fit, box: Box) -> str:
    km = nice_km(150 * fit.km_per_px())
    px = km / fit.km_per_px()
    x, y = box[0] + 12, box[3] - 14
    half = px / 2
    return (
        f'<g id="scale-bar"><rect x="{x - 6}" y="{y - 18}" width="{px + 60}" height="28" '
        f'fill="#ffffff" fill-opacity="0.85"/>'
        f'<rect x="{x}" y="{y - 4}" width="{half:.1f}" height="5" fill="{style.TEXT}"/>'
        f'<rect x="{x + half:.1f}" y="{y - 4}" width="{half:.1f}" height="5" fill="#ffffff" '
        f'stroke="{style.TEXT}" stroke-width="0.8"/>'
        f'<text x="{x}" y="{y - 7}" font-size="9" fill="{style.TEXT}">0</text>'
        f'<text x="{x + px:.1f}" y="{y - 7}" font-size="9" fill="{style.TEXT}" '
        f'text-anchor="middle">{km:g}</text>'
        f'<text x="{x + px + 8:.1f}" y="{y + 1}" font-size="9" fill="{style.TEXT}">km</text></g>'
    )


def _legend(plate: Plate, small: bool) -> str:
    x, y = LEGEND_X, 90.0
    out = [
        f'<g id="legend"><text x="{x}" y="{y - 14}" font-size="13" font-weight="bold" '
        f'fill="{style.TEXT}">Legend</text>'
    ]

    def entry(layer: str, swatch: str, text: str, extra: str = "") -> None:
        nonlocal y
        out.append(
            f'<g class="legend-entry" data-layer="{layer}">{swatch}'
            f'<text x="{x + 30}" y="{y + 10}" font-size="10.5" fill="{style.TEXT}">{escape(text)}</text>'
            f"{extra}</g>"
        )
        y += 20 if not extra else 32

    entry(
        "oblasts",
        f'<rect x="{x}" y="{y}" width="22" height="13" fill="{style.LAND}" stroke="{style.OBLAST_EDGE}"/>',
        "Oblast (name in italics)",
    )
    entry(
        "occupied",
        f'<rect x="{x}" y="{y}" width="22" height="13" fill="{style.OCCUPIED}" '
        f'fill-opacity="{style.OCCUPIED_OPACITY}" stroke="{style.OCCUPIED}"/>',
        "Occupied area",
    )
    entry(
        "line",
        f'<line x1="{x}" y1="{y + 7}" x2="{x + 22}" y2="{y + 7}" stroke="{style.LINE}" stroke-width="2"/>',
        "Line of contact",
    )
    for n, proposal in enumerate(plate.proposals):
        letter = f"{'ABCDEF'[n]}. " if small else ""
        entry(
            f"proposal-{proposal.id}",
            f'<rect x="{x}" y="{y}" width="22" height="13" fill="url(#hatch-{n})" '
            f'stroke="{style.proposal_colour(n)}" stroke-width="1.4"/>',
            letter + _legend_name(proposal.name),
            f'<text x="{x + 30}" y="{y + 23}" font-size="9.5" fill="{style.MUTED_TEXT}">'
            f"{proposal.area_km2:,.0f} km², {proposal.population:,} people (pre-war)</text>",
        )
    sizes = ((4.0, "1,000,000 and more"), (3.0, "250,000 to 1,000,000"), (2.2, "under 250,000"))
    for r, text in sizes:
        entry(
            "settlements",
            f'<circle cx="{x + 11}" cy="{y + 7}" r="{r}" fill="#ffffff" stroke="{style.TEXT}" stroke-width="1.1"/>',
            f"Settlement, {text}",
        )
    out.append("</g>")
    return "".join(out)


def _legend_name(name: str) -> str:
    return name if len(name) <= 42 else name[:41].rstrip() + "…"


def _sources(plate: Plate) -> str:
    lines = [
        "Sources: " + ZONE_ATTRIBUTION + f"; occupied-area snapshot {plate.snapshot}.",
        gazetteer.ATTRIBUTION + ". Populations are GeoNames figures, for Ukraine pre-war.",
        "Projection: equirectangular at the map's middle latitude; the scale holds north-south. "
        "Drawn by accord.",
    ]
    out = ['<g id="sources">']
    for i, line in enumerate(lines):
        out.append(
            f'<text x="20" y="{756 + 13 * i}" font-size="9.5" fill="{style.MUTED_TEXT}">'
            f"{escape(line)}</text>"
        )
    out.append("</g>")
    return "".join(out)


def write(svg: str, output: Path, title: str) -> int:
    """Write the plate as .svg, .png (2× for screens), .pdf (A4) or .html; return the bytes written."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"-o {output}: use a {', '.join(FORMATS)} file")
    if suffix == ".svg":
        data = svg.encode()
    elif suffix == ".html":
        data = (
            f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<body><main>{svg}</main></body></html>"
        ).encode()
    else:
        import cairosvg

        if suffix == ".png":
            data = cairosvg.svg2png(bytestring=svg.encode(), output_width=PAGE_W * 2)
        else:
            data = cairosvg.svg2pdf(bytestring=svg.encode())
    output.write_bytes(data)
    return len(data)
