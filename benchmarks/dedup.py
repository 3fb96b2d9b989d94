"""Dedup quality and speed on planted duplicates, beside DBSCAN with a time window (scikit-learn).

Reports come from ``accord.incidents.planted``: true events along a 1,000 km front, each
reported one to four times with jitter that matches the stated precision, and 30 % of events
with a distinct *sibling* event 1-8 km and 1-12 h away (half of the same type family). Each
method is scored by pair precision and recall against the true event ids.

The yardstick is DBSCAN (min_samples 2) on space-time points: kilometres east and north, plus
days times a speed (km per day), with the type families far apart so that only one family
clusters together. Its eps and speed are picked from a small grid *on the same data* (the best
F1), which favours it. ``--old REV`` also runs the dedup module of that git revision on the same
reports (it ignores perpetrator and death toll, which it did not read). ``--legacy`` times the
old and new code on the previous benchmark's reports (no ground truth), for speed only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.cluster import DBSCAN

from accord.incidents import dedup, planted

OLD_FIELDS = ("id", "type", "lat", "lon", "time", "location_precision", "time_precision")


def old_module(rev: str) -> types.ModuleType:
    """Load ``src/accord/incidents/dedup.py`` as it was at a git revision."""
    root = Path(__file__).resolve().parent.parent
    text = subprocess.run(  # noqa: S603 — git, with a revision the benchmark names
        ["git", "show", f"{rev}:src/accord/incidents/dedup.py"],  # noqa: S607 — the developer's git; benchmark only
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_dedup")
    sys.modules["old_dedup"] = module
    exec(compile(text, f"{rev}:dedup.py", "exec"), module.__dict__)  # noqa: S102 — old dedup from our own git history
    return module


def as_old(module: types.ModuleType, reports: list[dedup.Report]) -> list[Any]:
    """Rebuild reports with the fields the old module's Report takes."""
    return [
        module.Report(*[getattr(r, f) for f in OLD_FIELDS], r.notes, r.sources) for r in reports
    ]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def dbscan_labels(reports: list[dedup.Report], eps_km: float, km_per_day: float) -> np.ndarray:
    lat = np.array([r.lat for r in reports])
    lon = np.array([r.lon for r in reports])
    days = np.array([sum(dedup.time_span(r)[:2]) / 2 for r in reports])
    families = sorted({dedup.family(r.type) for r in reports})
    fam = np.array([families.index(dedup.family(r.type)) for r in reports], dtype=float)
    x = (lon - 35.0) * 111.32 * np.cos(np.radians(48.5))
    y = (lat - 48.5) * 110.57
    points = np.column_stack([x + fam * 1e6, y, days * km_per_day])
    return DBSCAN(eps=eps_km, min_samples=2, algorithm="kd_tree").fit(points).labels_


def rounded(scores: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in scores.items()}


def run_density(args: argparse.Namespace, days: float, old: types.ModuleType | None) -> dict:
    data = planted.generate(args.reports, seed=args.seed, days=days)
    reports, truth = data.reports, data.events
    out: dict[str, Any] = {"reports": len(reports), "days": days, "events": len(set(truth))}
    seconds, groups = timed(lambda: dedup.clusters(reports))
    out["accord"] = {
        "seconds": round(seconds, 2),
        **rounded(planted.pair_scores(planted.labels_of(groups, reports), truth)),
    }
    best: dict[str, Any] = {}
    for eps in (1.0, 2.0, 4.0, 8.0):
        for speed in (10.0, 40.0, 160.0):
            seconds, labels = timed(lambda e=eps, s=speed: dbscan_labels(reports, e, s))
            scores = planted.pair_scores(labels.tolist(), truth)
            f1 = (
                2
                * scores["precision"]
                * scores["recall"]
                / (scores["precision"] + scores["recall"] or 1.0)
            )
            if f1 > best.get("f1", -1):
                best = {
                    "eps_km": eps,
                    "km_per_day": speed,
                    "seconds": round(seconds, 2),
                    "f1": round(f1, 3),
                    **rounded(scores),
                }
    out["dbscan_best_of_grid"] = best
    if old is not None and len(reports) <= args.old_max:
        seconds, groups = timed(lambda: old.clusters(as_old(old, reports)))
        out["old"] = {
            "seconds": round(seconds, 2),
            **rounded(planted.pair_scores(planted.labels_of(groups, reports), truth)),
        }
    return out


def legacy_reports(n: int, seed: int = 11) -> list[dedup.Report]:
    """Rebuild the previous benchmark's reports (a third of events reported twice)."""
    rng = np.random.default_rng(seed)
    kinds = ["explosion", "projectile", "small-arms-hmg-fire", "military-presence"]
    events = int(n / 1.33)
    t = rng.uniform(0, 1, events)
    lat = 46.6 + 3.1 * t + rng.normal(0, 0.05, events)
    lon = 32.6 + 5.4 * t + rng.normal(0, 0.05, events)
    day = rng.uniform(0, 365, events)
    kind = rng.integers(0, len(kinds), events)
    out: list[dedup.Report] = []
    for i in range(events):
        base = (kinds[kind[i]], float(lat[i]), float(lon[i]), float(day[i]))
        out.append(dedup.Report(len(out), *base, "near", "exact", None, 1))
        if len(out) < n and rng.random() < 0.33:
            moved = (
                base[0],
                base[1] + rng.normal(0, 0.002),
                base[2] + rng.normal(0, 0.002),
                base[3] + rng.uniform(0, 0.04),
            )
            out.append(dedup.Report(len(out), *moved, "near", "exact", None, 1))
    return out[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--days", type=float, nargs="+", default=[1825.0, 365.0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--old", help="git revision whose dedup to run beside (e.g. main)")
    parser.add_argument("--old-max", type=int, default=100_000)
    parser.add_argument("--legacy", action="store_true")
    args = parser.parse_args()
    old = old_module(args.old) if args.old else None
    if args.legacy:
        reports = legacy_reports(args.reports)
        new_s, new_groups = timed(lambda: dedup.clusters(reports))
        result: dict[str, Any] = {"reports": len(reports), "accord_seconds": round(new_s, 2)}
        result["accord_clusters"] = len(new_groups)
        if old is not None:
            old_s, old_groups = timed(lambda: old.clusters(as_old(old, reports)))
            result |= {"old_seconds": round(old_s, 2), "old_clusters": len(old_groups)}
        print(json.dumps(result, indent=2))
        return
    print(json.dumps([run_density(args, d, old) for d in args.days], indent=2))


if __name__ == "__main__":
    main()
