"""The atlas plate of the four bundled proposals on the real data: time and bytes per format.

Loads ``../shared/data/ukraine/`` into a fresh SQLite database, then times ``render_map`` (the
proposals evaluated and the SVG drawn) and the PNG and PDF conversions of that SVG, beside the
yardstick of ``territory compare`` on the same four proposals (the figures without a drawing).
Writes the files to ``--out`` so they can be looked at. Usage:
``python benchmarks/territory_map.py --out /tmp/plates``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from accord.db.session import session_scope
from accord.territory import service
from accord.territory.mapping import write

sys.path.insert(0, str(Path(__file__).parent))

from territory import DATA, DAY, IDS, load


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
