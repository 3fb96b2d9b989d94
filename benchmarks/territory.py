"""Territory compare over the four bundled proposals on the real data, beside a naive version.

The naive version computes the same figures with plain shapely calls: settlements tested one by
one with ``contains`` on an unprepared polygon, and every oblast intersected with every area
(no bounding-box or ``intersects`` pre-test). Needs ``../shared/data/ukraine/``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import shapely
from shapely.geometry import Point

from accord.db import migrate
from accord.db.session import session_scope
from accord.packs import service as packs
from accord.territory import gazetteer, service
from accord.zones import geo
from accord.zones import service as zones

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ukraine"
DAY = dt.date(2025, 12, 28)
IDS = ["russia-demand", "freeze", "plan-28-buffer", "dmz-each-side"]


def naive(session, specs, country):  # type: ignore[no-untyped-def]
    ctx = service.Context(session, DAY, {"width_km": 15.0})
    places = gazetteer.settlements(country)
    out = []
    for spec in [s for s in specs if s.id in IDS]:
        area = service._polygonal(ctx.evaluate(spec.area)) if spec.area else shapely.Polygon()
        inside = [
            n
            for n, x, y in zip(places.names, places.lon, places.lat, strict=True)
            if not area.is_empty and area.contains(Point(x, y))
        ]
        shares = {}
        for zone in ctx.admin:
            part = (
                geo.area_km2(zones.geometry_of(zone).intersection(area))
                if not area.is_empty
                else 0.0
            )
            if part > 0.5:
                shares[zone.name] = part / zone.area_km2
        if spec.meaning == "changes_hands" and not area.is_empty:
            line = geo.contact_line(shapely.union_all([ctx.occupied, area]), ctx.country)
        else:
            line = ctx.line
        out.append(
            (
                spec.id,
                round(geo.area_km2(area), 1),
                round(geo.length_km(line), 1),
                len(inside),
                len(shares),
            )
        )
    return out


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
    if not DATA.exists():
        sys.exit("../shared/data/ukraine is not present")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/t.db"
        load(url)
        with session_scope(url) as session:
            specs, country = service.pack_proposals(session)
            gazetteer.settlements(country)  # load the gazetteer before timing either side
            start = time.perf_counter()
            ours = service.compare(session, specs, IDS, DAY, {}, country)
            t_ours = time.perf_counter() - start
            start = time.perf_counter()
            theirs = naive(session, specs, country)
            t_naive = time.perf_counter() - start
    mine = [(r.id, r.area_km2, r.line_km, len(r.settlements), len(r.oblast_shares)) for r in ours]
    if mine != theirs:
        raise SystemExit(f"accord and the naive yardstick disagree: {mine} != {theirs}")
    print(
        json.dumps(
            {
                "proposals": IDS,
                "accord_seconds": round(t_ours, 2),
                "naive_seconds": round(t_naive, 2),
                "speed_up": round(t_naive / t_ours, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
