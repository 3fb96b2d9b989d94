"""Planted duplicates: synthetic reports with the true event of each, to score dedup honestly.

Events lie along a front line over a span of days. Each true event is reported one to four times;
every report is jittered as its stated precision allows (place, time), may word the type
differently within its family, may leave the perpetrator or the death toll out or give a slightly
different toll, and may carry a note in its own words. A share of the events get a *sibling*: a
distinct event close in space and time (a few km, a few hours), half of them of the same family,
so that a method that merges on distance and time alone is caught out. Scoring counts pairs of
reports: precision is the share of predicted same-event pairs that are truly the same event,
recall the share of true same-event pairs that were found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.incidents.dedup import Report

WORDING = {
    "strikes": ["explosion", "projectile", "explosions-remote-violence"],
    "fighting": ["small-arms-hmg-fire", "battles"],
    "presence": ["military-presence", "heavy-weapons"],
}
NOTE_WORDS = {
    "strikes": ["shelling hit", "strike on", "explosions heard near", "artillery fire at"],
    "fighting": ["clashes near", "firefight at", "small arms fire near", "exchange of fire at"],
    "presence": ["armour seen near", "troops moving at", "vehicles observed near"],
}
PERPETRATORS = ["ru", "ua", None]
# Per-report jitter (km, one axis) by stated location precision, and its share of reports.
PLACE = {"exact": (0.4, 0.5), "near": (2.5, 0.4), "admin2": (12.0, 0.1)}
REPORTS_PER_EVENT = ([1, 2, 3, 4], [0.45, 0.30, 0.15, 0.10])


@dataclass(frozen=True)
class Planted:
    """Synthetic reports and, for each, the id of the true event it describes."""

    reports: list[Report]
    events: list[int]


def _place_names(rng: np.random.Generator, count: int) -> list[str]:
    syllables = ["ko", "ra", "mi", "vka", "lo", "dne", "pol", "sta", "niv", "bur", "hor", "ze"]
    return ["".join(rng.choice(syllables, size=3)).capitalize() + "ivka" for _ in range(count)]


def _event_stream(
    rng: np.random.Generator, events: int, days: float, sibling_share: float
) -> list[tuple[float, float, float, str, str | None, int]]:
    """Return true events (lat, lon, day, family, perpetrator, deaths), siblings included."""
    out = []
    families = list(WORDING)
    for _ in range(events):
        along = rng.uniform(0, 1)
        lat = 46.6 + 3.1 * along + rng.normal(0, 0.05)
        lon = 32.6 + 5.4 * along + rng.normal(0, 0.05)
        day = rng.uniform(0, days)
        fam = str(rng.choice(families, p=[0.55, 0.3, 0.15]))
        perp = PERPETRATORS[int(rng.choice(3, p=[0.6, 0.25, 0.15]))]
        deaths = 0 if rng.random() < 0.6 else int(rng.geometric(0.4))
        out.append((lat, lon, day, fam, perp, deaths))
        if rng.random() < sibling_share:
            km, angle = rng.uniform(1.0, 8.0), rng.uniform(0, 2 * np.pi)
            hours = rng.uniform(1.0, 12.0) * rng.choice([-1, 1])
            sib_fam = fam if rng.random() < 0.5 else str(rng.choice(families))
            sib_perp = perp if rng.random() < 0.7 else PERPETRATORS[int(rng.integers(3))]
            sib_deaths = 0 if rng.random() < 0.6 else int(rng.geometric(0.4))
            out.append(
                (
                    lat + km * np.sin(angle) / 110.6,
                    lon + km * np.cos(angle) / (111.3 * np.cos(np.radians(lat))),
                    day + hours / 24.0,
                    sib_fam,
                    sib_perp,
                    sib_deaths,
                )
            )
    return out


def generate(
    reports: int, *, seed: int = 1, days: float = 365.0, sibling_share: float = 0.3
) -> Planted:
    """Generate about ``reports`` planted reports (exactly that many, cut at the end)."""
    rng = np.random.default_rng(seed)
    sizes, weights = REPORTS_PER_EVENT
    mean_size = float(np.dot(sizes, weights))
    true_events = _event_stream(
        rng, int(reports / mean_size / (1 + sibling_share)) + 1, days, sibling_share
    )
    places = _place_names(rng, 400)
    precisions = list(PLACE)
    out: list[Report] = []
    truth: list[int] = []
    for event_id, (lat, lon, day, fam, perp, deaths) in enumerate(true_events):
        place = places[int((lat - 46.0) * 60 + (lon - 32.0) * 13) % len(places)]
        for _ in range(int(rng.choice(sizes, p=weights))):
            precision = precisions[int(rng.choice(3, p=[p[1] for p in PLACE.values()]))]
            sigma = PLACE[precision][0]
            exact_time = rng.random() < 0.6
            when = day + rng.normal(0, 0.75) / 24.0 if exact_time else float(np.floor(day))
            shown_perp = perp if rng.random() < 0.8 else None
            if shown_perp is not None and rng.random() < 0.02:
                shown_perp = str(rng.choice(["ru", "ua"]))  # misattributed
            toll: int | None = None
            if rng.random() < 0.7:
                toll = max(0, deaths + int(rng.choice([-1, 0, 0, 0, 0, 0, 1])))
            note = None
            if rng.random() < 0.5:
                note = f"{rng.choice(NOTE_WORDS[fam])} {place}"
            kind = WORDING[fam][0] if rng.random() < 0.7 else str(rng.choice(WORDING[fam]))
            out.append(
                Report(
                    id=len(out) + 1,
                    type=kind,
                    lat=float(lat + rng.normal(0, sigma) / 110.6),
                    lon=float(lon + rng.normal(0, sigma) / (111.3 * np.cos(np.radians(lat)))),
                    time=float(when),
                    location_precision=precision,
                    time_precision="exact" if exact_time else "day",
                    notes=note,
                    sources=1,
                    perpetrator=shown_perp,
                    casualties=toll,
                )
            )
            truth.append(event_id)
            if len(out) == reports:
                return Planted(out, truth)
    return Planted(out, truth)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pair_scores(labels: Sequence[int], truth: Sequence[int]) -> dict[str, float]:
    """Return pair precision, recall and counts of a labelling against the true events.

    ``labels`` gives each report's predicted group; reports alone in their group may share
    any label that no other report has (use a distinct one, or -1 only for singletons).
    """
    predicted = _pairs(Counter(x for x in labels if x != -1).values())
    true = _pairs(Counter(truth).values())
    both = _pairs(Counter((x, t) for x, t in zip(labels, truth, strict=True) if x != -1).values())
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "predicted_pairs": predicted,
        "true_pairs": true,
    }


def labels_of(clusters: Iterable[Sequence[int]], reports: Sequence[Report]) -> list[int]:
    """Turn clusters of report ids into one label per report (-1 for reports in none)."""
    position = {r.id: i for i, r in enumerate(reports)}
    labels = [-1] * len(reports)
    for label, members in enumerate(clusters):
        for rid in members:
            labels[position[rid]] = label
    return labels
