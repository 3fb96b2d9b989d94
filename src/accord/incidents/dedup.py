"""Duplicate reports: cluster reports of one event, never merging rows.

Two reports are candidates when they share a type family, lie within a distance and a time window
that widen with their precision (the wider of the two applies), and — when both have notes —
their notes are similar (rapidfuzz ``token_set_ratio``). Candidate pairs come from a KD-tree on
unit-sphere coordinates; clusters are the connected components (union-find), honouring the
analysts' decisions: "same" pairs are always joined, "different" pairs never end up together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from scipy.spatial import cKDTree

EARTH_KM = 6371.0088
DISTANCE_KM = {
    "exact": 2.0,
    "near": 10.0,
    "admin2": 40.0,
    "admin1": 120.0,
    "country": 400.0,
    "unknown": 400.0,
}
WINDOW_DAYS = {"exact": 0.25, "day": 1.0, "days": 4.0, "week": 7.0, "month": 31.0, "year": 366.0}
FAMILIES = {
    "battles": "fighting",
    "small-arms-hmg-fire": "fighting",
    "muzzle-flash": "fighting",
    "explosions-remote-violence": "strikes",
    "explosion": "strikes",
    "projectile": "strikes",
    "military-presence": "presence",
    "heavy-weapons": "presence",
    "state-based-violence": "fighting",
}
TEXT_SIMILARITY = 45.0


@dataclass(frozen=True)
class Report:
    """What dedup needs of one incident."""

    id: int
    type: str
    lat: float
    lon: float
    time: float  # days since the epoch, fractional
    location_precision: str
    time_precision: str
    notes: str | None
    sources: int


def family(incident_type: str) -> str:
    """Return the type family used for matching (a type is its own family by default)."""
    return FAMILIES.get(incident_type, incident_type)


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _chord(km: float) -> float:
    return 2.0 * math.sin(min(km / EARTH_KM, math.pi) / 2.0)


def haversine_km(a: Report, b: Report) -> float:
    """Return the great-circle distance between two reports in km."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def is_duplicate(a: Report, b: Report) -> bool:
    """Tell whether two reports may describe the same event."""
    if family(a.type) != family(b.type):
        return False
    window = max(WINDOW_DAYS[a.time_precision], WINDOW_DAYS[b.time_precision])
    if abs(a.time - b.time) > window:
        return False
    reach = max(DISTANCE_KM[a.location_precision], DISTANCE_KM[b.location_precision])
    if haversine_km(a, b) > reach:
        return False
    if a.notes and b.notes:
        return fuzz.token_set_ratio(a.notes, b.notes) >= TEXT_SIMILARITY
    return True


def candidate_pairs(reports: list[Report]) -> Iterable[tuple[int, int]]:
    """Yield index pairs close enough in space and time (before the exact tests).

    Per type family, reports become points in four dimensions: the unit sphere, plus time
    scaled so that the typical time window spans the same length as the typical distance reach.
    Precise reports are paired in one pass; coarse ones search their own, larger, radius.
    """
    by_family: dict[str, list[int]] = {}
    for i, r in enumerate(reports):
        by_family.setdefault(family(r.type), []).append(i)
    for members in by_family.values():
        if len(members) < 2:
            continue
        idx = np.array(members)
        subset = [reports[i] for i in members]
        reach = np.array([DISTANCE_KM[r.location_precision] for r in subset])
        window = np.array([WINDOW_DAYS[r.time_precision] for r in subset])
        small = (reach <= DISTANCE_KM["near"]) & (window <= WINDOW_DAYS["day"])
        base_reach = float(reach[small].max()) if small.any() else DISTANCE_KM["near"]
        base_window = float(window[small].max()) if small.any() else WINDOW_DAYS["day"]
        scale = _chord(base_reach) / base_window
        xyz = _unit(np.array([r.lat for r in subset]), np.array([r.lon for r in subset]))
        points = np.column_stack([xyz, np.array([r.time for r in subset]) * scale])
        tree = cKDTree(points)
        radius = math.hypot(_chord(base_reach), base_window * scale)
        for a, b in tree.query_pairs(radius, output_type="ndarray"):
            yield int(idx[a]), int(idx[b])
        for a in np.flatnonzero(~small):
            own = math.hypot(_chord(float(reach[a])), float(window[a]) * scale)
            for b in tree.query_ball_point(points[a], own):
                if b != a:
                    first, second = sorted((int(idx[a]), int(idx[b])))
                    yield first, second


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, set[int]] = {i: {i} for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, forbidden: dict[int, set[int]]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if any(forbidden.get(m, set()) & self.members[rb] for m in self.members[ra]):
            return  # an analyst said some pair across the two groups are different events
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)


def clusters(
    reports: list[Report],
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
) -> list[list[int]]:
    """Return clusters (lists of incident ids, two or more) of duplicate reports."""
    index = {r.id: i for i, r in enumerate(reports)}
    forbidden: dict[int, set[int]] = {}
    for a, b in different:
        if a in index and b in index:
            forbidden.setdefault(index[a], set()).add(index[b])
            forbidden.setdefault(index[b], set()).add(index[a])
    groups = _UnionFind(len(reports))
    for a, b in same:
        if a in index and b in index:
            groups.union(index[a], index[b], forbidden)
    seen: set[tuple[int, int]] = set()
    for i, j in candidate_pairs(reports):
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if is_duplicate(reports[i], reports[j]):
            groups.union(i, j, forbidden)
    found = [
        sorted(reports[m].id for m in members)
        for members in groups.members.values()
        if len(members) > 1
    ]
    return sorted(found)


def representative(members: list[Report]) -> Report:
    """Pick the most precise report (then the best sourced, then the first filed)."""
    order = list(DISTANCE_KM)
    return min(
        members,
        key=lambda r: (
            order.index(r.location_precision),
            WINDOW_DAYS[r.time_precision],
            -r.sources,
            r.id,
        ),
    )
