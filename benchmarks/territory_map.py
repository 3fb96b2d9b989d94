"""The atlas plate of the four bundled proposals on the real data: time and bytes per format.

Loads ``../shared/data/ukraine/`` into a fresh SQLite database, then times ``render_map`` (the
proposals evaluated and the SVG drawn) and the PNG and PDF conversions of that SVG, beside the
yardstick of ``territory compare`` on the same four proposals (the figures without a drawing).
Writes the files to ``--out`` so they can be looked at. Usage:
``python benchmarks/territory_map.py --out /tmp/plates``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from accord.db import migrate
from accord.db.session import session_scope
from accord.packs import service as packs
from accord.territory import service
from accord.territory.mapping import write
from accord.zones import service as zones

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine"
DAY = dt.date(2025, 12, 28)
IDS = ["russia-demand", "freeze", "plan-28-buffer", "dmz-each-side"]


def load(url: str) -> None:
    """Load the pack, the oblast outlines and the occupied-area snapshot of DAY."""
    migrate.upgrade(url)
    with session_scope(url) as session:
        packs.load_by_name(session, "ukraine-2025", by="bench")
        zones.load_geojson(
            session,
            DATA / "oblasts-2020.geojson",
            zones.LoadOptions(
                id_property="ADMIN_1",
                name_property="ADMIN_1",
                kind="admin_area",
                id_prefix="ua-oblast-",
            ),
            by="bench",
        )
        zones.load_geojson(
            session,
            DATA / "occupied-20251228.geojson",
            zones.LoadOptions(kind="occupied_area", id_value="occupied-20251228", valid_from=DAY),
            by="bench",
        )


def main() -> None:
    """Time the plate and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "plates")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit("../shared/data/ukraine is not present")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/t.db"
        load(url)
        with session_scope(url) as session:
            specs, country = service.pack_proposals(session)
            service.compare(session, specs, IDS[:1], DAY, {}, country)  # warm the gazetteer
            t0 = time.perf_counter()
            service.compare(session, specs, IDS, DAY, {}, country)
            compare_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            svg = service.render_map(session, specs, IDS, DAY, {}, country)
            svg_s = time.perf_counter() - t0
    result: dict[str, object] = {
        "proposals": IDS,
        "compare_s (yardstick)": round(compare_s, 2),
        "render_map_svg_s": round(svg_s, 2),
    }
    for suffix in (".svg", ".png", ".pdf"):
        t0 = time.perf_counter()
        size = write(svg, args.out / f"four-proposals{suffix}", "four proposals")
        result[f"{suffix[1:]}_write_s"] = round(time.perf_counter() - t0, 2)
        result[f"{suffix[1:]}_bytes"] = size
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
