"""A seeded synthetic incident set for the demo: events near the front, some reported twice.

``generate(line, parties, start)`` returns rows in accord's CSV shape. Each event is drawn near a
random point of the pack's illustrative demo line (a few km off it), on a random day, with a type
drawn from a fixed mix; about a third of the events are reported a second time by another
monitor, a few hundred metres and up to an hour apart, so that dedup has work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

MIX = [
    ("explosion", None, 30),
    ("projectile", None, 15),
    ("small-arms-hmg-fire", None, 20),
    ("explosions-remote-violence", "shelling-artillery-missile-attack", 15),
    ("explosions-remote-violence", "air-drone-strike", 10),
    ("military-presence", None, 5),
    ("heavy-weapons", None, 5),
]
NOTES = {
    "explosion": "Explosions heard {d} km {dir} of the observation post",
    "projectile": "Incoming projectile impact {d} km {dir}",
    "small-arms-hmg-fire": "Bursts of small-arms and heavy machine-gun fire {d} km {dir}",
    "explosions-remote-violence": "Strike reported on positions {d} km {dir}",
    "military-presence": "Armoured vehicles seen {d} km {dir}",
    "heavy-weapons": "Artillery pieces observed {d} km {dir} of the line",
}
DIRECTIONS = [
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
]


Point = tuple[float, float]


def _point_on_line(rng: random.Random, line: Sequence[Point]) -> Point:
    i = rng.randrange(len(line) - 1)
    t = rng.random()
    (x1, y1), (x2, y2) = line[i], line[i + 1]
    return x1 + t * (x2 - x1), y1 + t * (y2 - y1)


def generate(
    line: Sequence[Point],
    parties: Sequence[str],
    start: dt.date,
    *,
    scatter: Point = (0.12, 0.08),
    seed: int = 2026,
    events: int = 120,
    days: int = 14,
) -> list[dict[str, Any]]:
    """Return synthetic incident rows (accord CSV fields), the same for the same arguments.

    ``line`` is a list of [lon, lat] points (the pack's demo line), ``parties`` the actors the
    events are alleged against (plus "unknown"), ``scatter`` how far off the line in degrees.
    """
    if len(line) < 2:
        raise ValueError("the demo line needs at least two points")
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not a secret
    perpetrators = [*parties, "unknown"]
    # a duplicate report lies within 1/30 of the scatter (a few hundred metres at 0.12 degrees)
    near_lon, near_lat = scatter[0] / 30, scatter[1] / 20
    kinds = [k for k in MIX for _ in range(k[2])]
    rows: list[dict[str, Any]] = []
    for n in range(events):
        kind, sub, _w = rng.choice(kinds)
        lon, lat = _point_on_line(rng, line)
        lon += rng.uniform(-scatter[0], scatter[0])
        lat += rng.uniform(-scatter[1], scatter[1])
        when = dt.datetime.combine(
            start + dt.timedelta(days=rng.randrange(days)),
            dt.time(hour=rng.randrange(24), minute=rng.randrange(60)),
        )
        note = NOTES[kind].format(d=rng.randint(1, 9), dir=rng.choice(DIRECTIONS))
        base = {
            "occurred_at": when.isoformat(),
            "time_precision": "exact",
            "latitude": round(lat, 5),
            "longitude": round(lon, 5),
            "location_precision": "near",
            "type": kind,
            "sub_type": sub or "",
            "alleged_perpetrator": rng.choice(perpetrators),
            "notes": note,
        }
        rows.append({"external_id": f"demo-{n:04d}-a", **base, "reporter": "monitor-a"})
        if rng.random() < 0.35:
            again = dict(base)
            again["latitude"] = round(lat + rng.uniform(-near_lat, near_lat), 5)
            again["longitude"] = round(lon + rng.uniform(-near_lon, near_lon), 5)
            again["occurred_at"] = (when + dt.timedelta(minutes=rng.randint(-50, 50))).isoformat()
            rows.append({"external_id": f"demo-{n:04d}-b", **again, "reporter": "monitor-b"})
    return rows
