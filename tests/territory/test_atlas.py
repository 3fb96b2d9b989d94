"""The atlas plate: its elements exist, labels never overlap, the formats open as what they claim."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, box

from accord.errors import InvalidInput
from accord.territory import labels
from accord.territory.mapping import Plate, Proposal, nice_km, plate_svg, write

NS = {"s": "http://www.w3.org/2000/svg"}


def plate(n: int) -> Plate:
    """Donbas-sized outlines with an occupied east and n proposals (Ukraine's settlements)."""
    west, east = box(34.0, 46.5, 37.8, 49.5), box(37.8, 46.5, 40.2, 49.5)
    occupied = box(38.2, 46.8, 40.2, 49.4)
    line = LineString([(38.2, 46.8), (38.2, 49.4)])
    proposals = [
        Proposal(f"p{i}", f"Proposal number {i}", box(37.4 + 0.1 * i, 47.5, 38.2, 49.0), 1000.0, 5)
        for i in range(n)
    ]
    return Plate(
        as_of=dt.date(2025, 12, 28),
        snapshot="occupied-20251228 (from 2025-12-28)",
        oblasts=[("Західна область", west), ("Східна область", east)],
        occupied=occupied,
        line=line,
        proposals=proposals,
        country="UA",
    )


def text_boxes(root: ET.Element) -> list[labels.Box]:
    """Boxes of the settlement and oblast labels, estimated as the placement does."""
    out = []
    for t in root.iterfind(".//s:text", NS):
        cls = t.get("class")
        italic = t.get("font-style") == "italic"
        if cls == "place" or italic:
            out.append(
                labels.text_box(
                    float(t.get("x", 0)),
                    float(t.get("y", 0)),
                    t.text or "",
                    float(t.get("font-size", 0)),
                    t.get("font-weight") == "bold",
                )
            )
    return out


@pytest.mark.parametrize("n", [1, 4])
def test_the_plate_has_title_date_scale_legend_and_sources(n: int) -> None:
    root = ET.fromstring(plate_svg(plate(n)))  # noqa: S314 — our own SVG
    assert root.get("width") == "297mm" and root.get("height") == "210mm"  # A4 landscape
    title = root.find("s:text[@id='title']", NS).text or ""  # type: ignore[union-attr]
    assert ("compared (4)" in title) if n == 4 else ("Proposal number 0" in title)
    assert "28 December 2025" in (root.find("s:text[@id='date']", NS).text or "")  # type: ignore[union-attr]
    bar = root.find(".//s:g[@id='scale-bar']", NS)
    assert bar is not None and [t.text for t in bar.iterfind("s:text", NS)][-1] == "km"
    layers = {e.get("data-layer") for e in root.iterfind(".//s:g[@class='legend-entry']", NS)}
    assert layers == {"oblasts", "occupied", "line", "settlements"} | {
        f"proposal-p{i}" for i in range(n)
    }
    assert len(root.findall(".//s:g[@class='panel']", NS)) == n
    assert len(root.findall(".//s:path[@class='occupied']", NS)) == n
    hatches = {p.get("fill") for p in root.iterfind(".//s:path[@class='proposal']", NS)}
    assert len(hatches) == n  # each proposal its own fill
    sources = " ".join(t.text or "" for t in root.iterfind(".//s:g[@id='sources']/s:text", NS))
    assert "GeoNames" in sources and "occupied-20251228" in sources
    names = {t.text for t in root.iterfind(".//s:text[@font-style='italic']", NS)}
    assert "Західна" in names and "Східна" in names


@pytest.mark.parametrize("n", [1, 4])
def test_no_two_labels_overlap_and_the_largest_places_are_named(n: int) -> None:
    root = ET.fromstring(plate_svg(plate(n)))  # noqa: S314 — our own SVG
    boxes = text_boxes(root)
    assert len(boxes) > 10
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if labels.overlaps(a, b)]
    assert clashes == []
    placed = {t.text for t in root.iterfind(".//s:text[@class='place']", NS)}
    assert {"Donetsk", "Luhansk"} <= placed  # the two largest in the frame always get a label


def test_placement_keeps_the_first_and_drops_a_clash() -> None:
    got = labels.place(
        [("Big", 100, 100, 10, True, 3), ("Small", 101, 100, 10, False, 2)],
        (0, 0, 126, 200),
    )
    assert got[0].text == "Big" and all(
        not labels.overlaps(a.box, b.box) for a in got for b in got if a is not b
    )
    crowded = labels.place([("Name", 50, 50, 10, False, 2)], (0, 0, 200, 200), [(0, 0, 200, 200)])
    assert crowded == []


def test_formats_and_bad_output(tmp_path: Path) -> None:
    svg = plate_svg(plate(2))
    assert write(svg, tmp_path / "p.pdf", "t") > 1000
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    write(svg, tmp_path / "p.png", "t")
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InvalidInput, match=r"\.svg"):
        write(svg, tmp_path / "p.jpg", "t")
    with pytest.raises(InvalidInput, match="at most 6"):
        plate_svg(Plate(**{**plate(1).__dict__, "proposals": plate(7).proposals}))
    assert nice_km(173) == 100 and nice_km(260) == 200 and nice_km(9.9) == 5
    assert shapely.is_valid(plate(1).occupied)
