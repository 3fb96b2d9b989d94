"""Dedup of 100,000 reports: time and peak memory, beside scikit-learn's DBSCAN (haversine, ball tree).

Both get the same points: events along a 1,000 km front, a third reported twice within a few
hundred metres. DBSCAN clusters on distance alone (eps = 10 km, min_samples = 2); accord also
checks the type family, the time window and the notes. Peak memory is measured with tracemalloc
(numpy's buffers included). Needs the ``bench`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.cluster import DBSCAN

from accord.incidents import dedup

TYPES = ["explosion", "projectile", "small-arms-hmg-fire", "military-presence"]


def make_reports(n: int, seed: int = 11) -> list[dedup.Report]:
    rng = np.random.default_rng(seed)
    events = int(n / 1.33)
    t = rng.uniform(0, 1, events)
    lat = 46.6 + 3.1 * t + rng.normal(0, 0.05, events)
    lon = 32.6 + 5.4 * t + rng.normal(0, 0.05, events)
    day = rng.uniform(0, 365, events)
    kind = rng.integers(0, len(TYPES), events)
    reports: list[dedup.Report] = []
    for i in range(events):
        reports.append(
            dedup.Report(
                len(reports),
                TYPES[kind[i]],
                float(lat[i]),
                float(lon[i]),
                float(day[i]),
                "near",
                "exact",
                None,
                1,
            )
        )
        if len(reports) < n and rng.random() < 0.33:
            reports.append(
                dedup.Report(
                    len(reports),
                    TYPES[kind[i]],
                    float(lat[i] + rng.normal(0, 0.002)),
                    float(lon[i] + rng.normal(0, 0.002)),
                    float(day[i] + rng.uniform(0, 0.04)),
                    "near",
                    "exact",
                    None,
                    1,
                )
            )
    return reports[:n]


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    reports = make_reports(args.reports)
    coords = np.radians([[r.lat, r.lon] for r in reports])
    t_ours, mem_ours, groups = measure(lambda: dedup.clusters(reports))
    t_db, mem_db, labels = measure(
        lambda: (
            DBSCAN(
                eps=10 / dedup.EARTH_KM, min_samples=2, metric="haversine", algorithm="ball_tree"
            )
            .fit(coords)
            .labels_
        )
    )
    print(
        json.dumps(
            {
                "reports": len(reports),
                "accord": {
                    "seconds": round(t_ours, 2),
                    "peak_mb": round(mem_ours, 1),
                    "clusters": len(groups),
                    "clustered_reports": sum(len(g) for g in groups),
                },
                "dbscan": {
                    "seconds": round(t_db, 2),
                    "peak_mb": round(mem_db, 1),
                    "clusters": int(labels.max() + 1),
                    "clustered_reports": int((labels >= 0).sum()),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
