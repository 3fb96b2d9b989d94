"""One map style for the web map, the static atlas plates and the reports: colours, hatches, labels.

Colours are chosen to stay apart for colour-blind readers (after Okabe and Ito) and to print on
grey-scale: each proposal also has its own hatch direction, so two proposals never differ only by
hue. Incidents are coloured by type; their status is drawn as the ring (verified: a thick dark
ring; dismissed: hollow).
"""

from __future__ import annotations

from accord.incidents.taxonomy import TYPES

LAND = "#f4f1ea"
OBLAST_EDGE = "#8a8477"
SEA = "#dfeaf2"
OCCUPIED = "#c0736a"
OCCUPIED_OPACITY = 0.45
LINE = "#6b1d14"
TEXT = "#1b2631"
MUTED_TEXT = "#4d5656"  # 7:1 on white
ZONE_COLOURS = {
    "dmz": "#6c3483",
    "exclusion_zone": "#b9770e",
    "ceasefire_zone": "#1e8449",
    "line_of_contact": LINE,
}
OTHER_ZONE = "#2e4053"
# proposals: a colour and a hatch angle each (degrees), in the order they are compared
PROPOSAL_COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
PROPOSAL_HATCHES = [45, -45, 0, 90, 30, -60]
_TYPE_PALETTE = [
    "#d55e00",
    "#0072b2",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#9467bd",
    "#2ca02c",
    "#d62728",
    "#1f77b4",
    "#ff7f0e",
    "#393b79",
    "#843c39",
    "#637939",
]
INCIDENT_COLOURS = {t: _TYPE_PALETTE[i % len(_TYPE_PALETTE)] for i, t in enumerate(TYPES)}
OTHER_INCIDENT = "#555555"
# status -> (ring colour, ring width, fill opacity)
STATUS_STYLES = {
    "reported": ("#333333", 1.0, 0.85),
    "under_review": ("#333333", 1.0, 0.85),
    "unverified": ("#333333", 1.0, 0.5),
    "verified": ("#000000", 2.5, 0.95),
    "dismissed": ("#777777", 1.0, 0.0),
}


def proposal_colour(n: int) -> str:
    """Return the colour of the n-th proposal compared."""
    return PROPOSAL_COLOURS[n % len(PROPOSAL_COLOURS)]


def proposal_hatch(n: int) -> int:
    """Return the hatch angle of the n-th proposal compared."""
    return PROPOSAL_HATCHES[n % len(PROPOSAL_HATCHES)]


def zone_colour(kind: str) -> str:
    """Return the outline colour of a zone kind."""
    return ZONE_COLOURS.get(kind, OTHER_ZONE)


def web_style() -> dict[str, object]:
    """Return the style the web map's script draws with (the page passes it as JSON)."""
    return {
        "land": LAND,
        "oblast_edge": OBLAST_EDGE,
        "occupied": OCCUPIED,
        "occupied_opacity": OCCUPIED_OPACITY,
        "line": LINE,
        "zones": ZONE_COLOURS,
        "other_zone": OTHER_ZONE,
        "proposals": PROPOSAL_COLOURS,
        "incidents": INCIDENT_COLOURS,
        "other_incident": OTHER_INCIDENT,
        "statuses": {k: list(v) for k, v in STATUS_STYLES.items()},
    }
