"""Zone check: 1,000,000 incidents against 1,000 zones, beside geopandas ``sjoin`` on the same data.

Both sides get the same points (uniform over Ukraine's bounding box) and the same polygons
(circles of 5-40 km radius with validity dates), and must find the same point-in-zone pairs;
accord's join also filters by each zone's validity on the incident's date, which sjoin does not.
Needs the ``bench`` extra (geopandas).
"""

from __future__ import annotations

import argparse
import json
import time

import geopandas as gpd
import numpy as np
import shapely

from accord.incidents.check import ZoneSet, zone_hits


def make_data(
    n_points: int, n_zones: int, seed: int = 7, layout: str = "uniform"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, ZoneSet]:
    rng = np.random.default_rng(seed)
    if layout == "front":  # points and zones clustered along a 1,000 km front line
        t = rng.uniform(0, 1, n_points)
        lon = 32.6 + 5.4 * t + rng.normal(0, 0.05, n_points)
        lat = 46.6 + 3.1 * t + rng.normal(0, 0.05, n_points)
        tz = rng.uniform(0, 1, n_zones)
        zx = 32.6 + 5.4 * tz + rng.normal(0, 0.05, n_zones)
        zy = 46.6 + 3.1 * tz + rng.normal(0, 0.05, n_zones)
    else:
        lon = rng.uniform(22.0, 40.5, n_points)
        lat = rng.uniform(44.0, 52.5, n_points)
        zx, zy = rng.uniform(22.5, 40.0, n_zones), rng.uniform(44.5, 52.0, n_zones)
    days = rng.integers(739_000, 739_400, n_points)
    centres = shapely.points(zx, zy)
    radii = rng.uniform(0.05, 0.4, n_zones)
    polygons = shapely.buffer(centres, radii, quad_segs=8)
    zoneset = ZoneSet(
        ids=[f"z{i}" for i in range(n_zones)],
        geometries=polygons,
        valid_from=np.full(n_zones, 0),
        valid_to=np.full(n_zones, 10**7),
    )
    return lon, lat, days, zoneset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--zones", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layout", choices=["uniform", "front"], default="uniform")
    parser.add_argument(
        "--points-outside",
        action="store_true",
        help="build sjoin's point frame before the clock starts (accord builds no points)",
    )
    args = parser.parse_args()
    lon, lat, days, zoneset = make_data(args.points, args.zones, layout=args.layout)
    prebuilt = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)

    def accord_run() -> int:
        p, _z = zone_hits(lon, lat, days, zoneset)
        return len(p)

    def sjoin_run() -> int:
        points = (
            prebuilt
            if args.points_outside
            else gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
        )
        zones = gpd.GeoDataFrame({"zone": zoneset.ids}, geometry=zoneset.geometries, crs=4326)
        return len(gpd.sjoin(points, zones, predicate="intersects", how="inner"))

    results = {}
    for name, run in (("accord", accord_run), ("geopandas_sjoin", sjoin_run)):
        times, pairs = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            pairs = run()
            times.append(time.perf_counter() - start)
        results[name] = {"seconds": round(min(times), 3), "pairs": pairs}
    if results["accord"]["pairs"] != results["geopandas_sjoin"]["pairs"]:
        raise SystemExit(f"accord and geopandas sjoin found different pairs: {results}")
    results["ratio_sjoin_over_accord"] = round(
        results["geopandas_sjoin"]["seconds"] / results["accord"]["seconds"], 2
    )
    setup = {"layout": args.layout, "points_outside": args.points_outside}
    print(json.dumps({"points": args.points, "zones": args.zones, **setup, **results}, indent=2))


if __name__ == "__main__":
    main()
