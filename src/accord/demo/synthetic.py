"""A seeded synthetic incident set for the demo: events near the front, some reported twice.

``generate(seed, days, start)`` returns rows in accord's CSV shape. Each event is drawn near a
random point of the illustrative line of contact (a few km off it), on a random day, with a type
drawn from a fixed mix; about a third of the events are reported a second time by another
monitor, a few hundred metres and up to an hour apart, so that dedup has work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

LINE = [
    (37.62, 49.71),
    (37.80, 48.98),
    (38.10, 48.87),
    (38.02, 48.60),
    (37.85, 48.40),
    (37.18, 48.28),
    (36.83, 47.84),
    (36.26, 47.66),
    (35.78, 47.57),
    (35.30, 47.45),
    (34.60, 47.40),
    (33.80, 46.90),
    (32.62, 46.63),
]
MIX = [
    ("explosion", None, 30),
    ("projectile", None, 15),
    ("small-arms-hmg-fire", None, 20),
    ("explosions-remote-violence", "shelling-artillery-missile-attack", 15),
    ("explosions-remote-violence", "air-drone-strike", 10),
    ("military-presence", None, 5),
    ("heavy-weapons", None, 5),
]
PERPETRATORS = ["ru", "ua", "unknown"]
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


def _point_on_line(rng: random.Random) -> tuple[float, float]:
    i = rng.randrange(len(LINE) - 1)
    t = rng.random()
    (x1, y1), (x2, y2) = LINE[i], LINE[i + 1]
    return x1 + t * (x2 - x1), y1 + t * (y2 - y1)


def generate(
    seed: int = 2026, events: int = 120, start: dt.date = dt.date(2026, 2, 1), days: int = 14
) -> list[dict[str, Any]]:
    """Return synthetic incident rows (accord CSV fields), the same for the same arguments."""
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not a secret
    kinds = [k for k in MIX for _ in range(k[2])]
    rows: list[dict[str, Any]] = []
    for n in range(events):
        kind, sub, _w = rng.choice(kinds)
        lon, lat = _point_on_line(rng)
        lon += rng.uniform(-0.12, 0.12)
        lat += rng.uniform(-0.08, 0.08)
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
            "alleged_perpetrator": rng.choice(PERPETRATORS),
            "notes": note,
        }
        rows.append({"external_id": f"demo-{n:04d}-a", **base, "reporter": "monitor-a"})
        if rng.random() < 0.35:
            again = dict(base)
            again["latitude"] = round(lat + rng.uniform(-0.004, 0.004), 5)
            again["longitude"] = round(lon + rng.uniform(-0.004, 0.004), 5)
            again["occurred_at"] = (when + dt.timedelta(minutes=rng.randint(-50, 50))).isoformat()
            rows.append({"external_id": f"demo-{n:04d}-b", **again, "reporter": "monitor-b"})
    return rows
