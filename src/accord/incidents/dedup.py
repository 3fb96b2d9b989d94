"""Duplicate reports: cluster reports of one event, never merging rows.

Two reports *may* be the same event when they share a type family, lie within a distance and a
time window that widen with their precision (the wider of the two applies), and nothing they both
state disagrees: a known perpetrator, a death toll (beyond an early count being revised), or
their notes (rapidfuzz ``token_set_ratio``). Candidate pairs come from a KD-tree on unit-sphere
coordinates plus scaled time, and are tested column-wise with numpy.

Clusters are built by complete linkage, closest pairs first: two groups join only when *every*
report of one may be the same event as every report of the other. Joining connected components
instead (single linkage) chains separate events that happen to lie near each other into one
cluster, which is what this module did before. The analysts' decisions are honoured: "same" pairs
are always joined (and count as compatible), "different" pairs never end up together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
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
WINDOW_DAYS = {"exact": 0.125, "day": 1.0, "days": 4.0, "week": 7.0, "month": 31.0, "year": 366.0}
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
LAST_SECOND = 1.0 - 1.0 / 86400  # a bare date covers its day up to its last second
OTHER_WORDING = math.log(2)  # added to a pair's score when the two types are worded differently


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
    perpetrator: str | None = None
    casualties: int | None = None  # the best death toll the report gives, when it gives one


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


def tolls_conflict(a: int, b: int) -> bool:
    """Tell whether two death tolls cannot be counts of one event (revisions up to half allowed)."""
    return abs(a - b) > max(2, max(a, b) // 2)


def time_span(r: Report) -> tuple[float, float, float]:
    """Return the interval of days a report's time stands for, and the slack allowed around it.

    An exact time is a point with a few hours' slack; a day given as a UTC midnight (a bare
    date) is that whole day; any other day-precision time is the 24 hours around it; coarser
    precisions span their window on either side.
    """
    window = WINDOW_DAYS[r.time_precision]
    if r.time_precision == "exact":
        return r.time, r.time, window / 2
    if r.time_precision == "day":
        if r.time == math.floor(r.time):
            return r.time, r.time + LAST_SECOND, 0.0
        return r.time - 0.5, r.time + 0.5, 0.0
    return r.time - window, r.time + window, 0.0


class _Columns:
    """The reports as numpy columns, for testing many pairs at once."""

    def __init__(self, reports: Sequence[Report]) -> None:
        self.reports = reports
        self.lat = np.radians(np.array([r.lat for r in reports], dtype=float))
        self.lon = np.radians(np.array([r.lon for r in reports], dtype=float))
        spans = np.array([time_span(r) for r in reports], dtype=float).reshape(-1, 3)
        self.start, self.end, self.slack = spans[:, 0], spans[:, 1], spans[:, 2]
        self.reach = np.array([DISTANCE_KM[r.location_precision] for r in reports], dtype=float)
        # spread of a report's place and time around the event's, for ranking pairs
        self.place_var = (self.reach / 4) ** 2
        self.time_var = np.maximum(self.slack / 2, (self.end - self.start) / math.sqrt(12)) ** 2
        perps = {p: k for k, p in enumerate({r.perpetrator for r in reports} - {None})}
        self.perp = np.array([perps.get(r.perpetrator, -1) for r in reports], dtype=np.int64)
        self.toll = np.array(
            [-1 if r.casualties is None else r.casualties for r in reports], dtype=np.int64
        )
        kinds = {t: k for k, t in enumerate({r.type for r in reports})}
        self.kind = np.array([kinds[r.type] for r in reports], dtype=np.int64)
        families = {f: k for k, f in enumerate({family(r.type) for r in reports})}
        self.family = np.array([families[family(r.type)] for r in reports], dtype=np.int64)
        self.noted = np.array([bool(r.notes) for r in reports], dtype=bool)

    def score(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Return each pair's score (lower is likelier), ``inf`` where it cannot be one event.

        The score is the negative log-likelihood of the pair's distance and time gap if both
        reports describe one event (each spread as its precision says), plus a penalty when the
        types are worded differently; pairs are ranked by it.
        """
        dp, dl = self.lat[b] - self.lat[a], self.lon[b] - self.lon[a]
        h = np.sin(dp / 2) ** 2 + np.cos(self.lat[a]) * np.cos(self.lat[b]) * np.sin(dl / 2) ** 2
        km = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        gap = np.maximum(
            0.0, np.maximum(self.start[a], self.start[b]) - np.minimum(self.end[a], self.end[b])
        )
        place_var = self.place_var[a] + self.place_var[b]
        time_var = self.time_var[a] + self.time_var[b]
        score = km**2 / (2 * place_var) + np.log(place_var)
        score += gap**2 / (2 * time_var) + 0.5 * np.log(time_var)
        score += OTHER_WORDING * (self.kind[a] != self.kind[b])
        ok = km <= np.maximum(self.reach[a], self.reach[b])
        ok &= gap <= self.slack[a] + self.slack[b]
        ok &= self.family[a] == self.family[b]
        pa, pb = self.perp[a], self.perp[b]
        ok &= (pa < 0) | (pb < 0) | (pa == pb)
        ta, tb = self.toll[a], self.toll[b]
        high, low = np.maximum(ta, tb), np.minimum(ta, tb)
        ok &= (low < 0) | (high - low <= np.maximum(2, high // 2))
        for k in np.flatnonzero(ok & self.noted[a] & self.noted[b]):
            first, second = self.reports[a[k]].notes, self.reports[b[k]].notes
            ok[k] = fuzz.token_set_ratio(first, second) >= TEXT_SIMILARITY
        return np.where(ok, score, np.inf)


def is_duplicate(a: Report, b: Report) -> bool:
    """Tell whether two reports may describe the same event."""
    one = np.array([0])
    return bool(np.isfinite(_Columns([a, b]).score(one, one + 1))[0])


def candidate_pairs(reports: Sequence[Report]) -> np.ndarray:
    """Return index pairs ``(i, j)``, i < j, close enough in space and time to be tested.

    Per type family, reports become points in four dimensions: the unit sphere, plus time
    scaled so that the typical time window spans the same length as the typical distance reach.
    Precise reports are paired in one pass; coarse ones search their own, larger, radius.
    """
    by_family: dict[str, list[int]] = {}
    for i, r in enumerate(reports):
        by_family.setdefault(family(r.type), []).append(i)
    found = [np.empty((0, 2), dtype=np.int64)]
    for members in by_family.values():
        if len(members) < 2:
            continue
        idx = np.array(members, dtype=np.int64)
        subset = [reports[i] for i in members]
        reach = np.array([DISTANCE_KM[r.location_precision] for r in subset])
        window = np.array([WINDOW_DAYS[r.time_precision] for r in subset])
        small = (reach <= DISTANCE_KM["near"]) & (window <= WINDOW_DAYS["day"])
        base_reach = float(reach[small].max()) if small.any() else DISTANCE_KM["near"]
        base_window = float(window[small].max()) if small.any() else WINDOW_DAYS["day"]
        scale = _chord(base_reach) / base_window
        xyz = _unit(np.array([r.lat for r in subset]), np.array([r.lon for r in subset]))
        middle = np.array([sum(time_span(r)[:2]) / 2 for r in subset])
        points = np.column_stack([xyz, middle * scale])
        tree = cKDTree(points)
        radius = math.hypot(_chord(base_reach), base_window * scale)
        found.append(idx[tree.query_pairs(radius, output_type="ndarray")])
        coarse = np.flatnonzero(~small)
        if len(coarse):
            own = np.hypot([_chord(float(r)) for r in reach[coarse]], window[coarse] * scale)
            hits = tree.query_ball_point(points[coarse], own)
            counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
            if counts.sum():
                left = np.repeat(coarse, counts)
                right = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits if h])
                keep = left != right
                found.append(np.column_stack([idx[left[keep]], idx[right[keep]]]))
    pairs = np.sort(np.concatenate(found), axis=1)
    keys = np.unique(pairs[:, 0] * len(reports) + pairs[:, 1])
    return np.column_stack([keys // len(reports), keys % len(reports)])


def _link(
    n: int,
    pairs: np.ndarray,
    scores: np.ndarray,
    same: list[tuple[int, int]],
    forbidden: set[tuple[int, int]],
) -> list[list[int]]:
    """Join groups by complete linkage, best pairs first; return groups of two or more."""
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    compatible = set((pairs[:, 0] * n + pairs[:, 1]).tolist())
    compatible |= {min(p) * n + max(p) for p in same}
    banned = {a * n + b for a, b in forbidden}

    def join(a: int, b: int, forced: bool) -> None:
        ga, gb = group[a], group[b]
        if ga == gb:
            return
        for x in members[ga]:
            for y in members[gb]:
                key = x * n + y if x < y else y * n + x
                if key in banned or (not forced and key not in compatible):
                    return
        if len(members[ga]) < len(members[gb]):
            ga, gb = gb, ga
        for y in members[gb]:
            group[y] = ga
        members[ga].extend(members.pop(gb))

    for a, b in same:
        join(a, b, True)
    for k in np.argsort(scores, kind="stable"):
        join(int(pairs[k, 0]), int(pairs[k, 1]), False)
    return [m for m in members.values() if len(m) > 1]


def clusters(
    reports: list[Report],
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
) -> list[list[int]]:
    """Return clusters (lists of incident ids, two or more) of duplicate reports."""
    index = {r.id: i for i, r in enumerate(reports)}
    forbidden = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b in different
        if a in index and b in index
    }
    joined = [(index[a], index[b]) for a, b in same if a in index and b in index]
    pairs = candidate_pairs(reports)
    scores = _Columns(reports).score(pairs[:, 0], pairs[:, 1])
    kept = np.isfinite(scores)
    groups = _link(len(reports), pairs[kept], scores[kept], joined, forbidden)
    return sorted(sorted(reports[m].id for m in members) for members in groups)


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
