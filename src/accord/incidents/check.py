"""Check incidents against zones and ceasefire terms: zone hits and violation candidates.

The spatial join (``zone_join``) bins the incident points into a grid and tests exactly only
the points in cells that a zone's boundary crosses; hits are filtered by each zone's validity
dates. Rules then apply per ceasefire in force on the incident's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyproj import Geod
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.incidents.models import Incident, ViolationCandidate, ZoneHit
from accord.incidents.taxonomy import SUBTYPE_PARENT
from accord.incidents.zone_join import ZoneSet, zone_hits
from accord.zones import service as zones
from accord.zones.terms import CeasefireSpec

GEOD = Geod(ellps="WGS84")
__all__ = ["CheckSummary", "ZoneSet", "run_check", "zone_hits"]


def _prohibited(rule_types: set[str], incident_type: str, sub_type: str | None) -> bool:
    return (
        incident_type in rule_types
        or (sub_type is not None and sub_type in rule_types)
        or (sub_type is not None and SUBTYPE_PARENT.get(sub_type) in rule_types)
    )


@dataclass
class CheckSummary:
    """What a check run found."""

    incidents: int = 0
    zone_hits: int = 0
    candidates: int = 0
    skipped_rules: list[str] | None = None


def run_check(session: Session, *, by: str) -> CheckSummary:
    """Recompute zone hits and violation candidates for every incident.

    An incident meets only its own pack's zones and ceasefires (rows without a pack meet all).
    """
    rows = session.execute(
        select(
            Incident.id,
            Incident.longitude,
            Incident.latitude,
            Incident.occurred_on,
            Incident.type,
            Incident.sub_type,
            Incident.pack_id,
        )
    ).all()
    summary = CheckSummary(incidents=len(rows), skipped_rules=[])
    zone_rows = zones.list_zones(session)
    zoneset = ZoneSet.from_rows(zone_rows)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    lon = np.array([r[1] for r in rows], dtype=float)
    lat = np.array([r[2] for r in rows], dtype=float)
    days = np.array([r[3].toordinal() for r in rows], dtype=np.int64)
    p_idx, z_idx = zone_hits(lon, lat, days, zoneset)
    zone_pack = [z.pack_id for z in zone_rows]
    hits: dict[int, set[str]] = {}
    for p, z in zip(p_idx.tolist(), z_idx.tolist(), strict=True):
        if _same_pack(rows[p][6], zone_pack[z]):
            hits.setdefault(p, set()).add(zoneset.ids[z])
    candidates = []
    for pack_id, ceasefire in zones.ceasefires_by_pack(session):
        known_zones = {z.id for z in zone_rows if _same_pack(pack_id, z.pack_id)}
        mine = [i for i, r in enumerate(rows) if _same_pack(r[6], pack_id)]
        candidates.extend(
            _candidates(
                ceasefire,
                [rows[i] for i in mine],
                lon[mine],
                lat[mine],
                {n: hits[i] for n, i in enumerate(mine) if i in hits},
                known_zones,
                summary,
            )
        )
    session.execute(delete(ZoneHit))
    session.execute(delete(ViolationCandidate))
    hit_rows = [
        {"incident_id": int(ids[p]), "zone_id": z} for p, zs in hits.items() for z in sorted(zs)
    ]
    if hit_rows:
        session.execute(insert(ZoneHit), hit_rows)
    if candidates:
        session.execute(insert(ViolationCandidate), candidates)
    session.flush()
    summary.zone_hits, summary.candidates = len(hit_rows), len(candidates)
    audit.record(
        session,
        by=by,
        action="incidents.check",
        entity="check",
        entity_id="all",
        payload={
            "incidents": summary.incidents,
            "zone_hits": summary.zone_hits,
            "candidates": summary.candidates,
        },
    )
    return summary


def _same_pack(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _candidates(
    ceasefire: CeasefireSpec,
    rows: Sequence[Any],
    lon: np.ndarray,
    lat: np.ndarray,  # type: ignore[type-arg]
    hits: dict[int, set[str]],
    known_zones: set[str],
    summary: CheckSummary,
) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    prohibited = set(ceasefire.prohibited_types)
    scope = set(ceasefire.scope)
    distances: dict[str, np.ndarray] = {}
    for rule in ceasefire.rules:
        if rule.zone is not None and rule.zone not in known_zones:
            summary.skipped_rules.append(f"{ceasefire.id}/{rule.id}: zone {rule.zone!r} not loaded")  # type: ignore[union-attr]
        if rule.near is not None:
            n = len(lon)
            _az1, _az2, metres = GEOD.inv(
                np.full(n, rule.near.lon), np.full(n, rule.near.lat), lon, lat
            )
            distances[rule.id] = np.asarray(metres) / 1000.0
    for index, (incident_id, _lo, _la, day, itype, sub, _pack) in enumerate(rows):
        if not ceasefire.in_force(day):
            continue
        zones_here = hits.get(index, set())
        if prohibited and _prohibited(prohibited, itype, sub) and (not scope or scope & zones_here):
            found.append(
                {
                    "incident_id": incident_id,
                    "ceasefire_id": ceasefire.id,
                    "rule_id": "prohibited-type",
                    "zone_id": None,
                    "description": f"{itype} is prohibited by {ceasefire.name}",
                }
            )
        for rule in ceasefire.rules:
            if not _prohibited(set(rule.prohibits), itype, sub):
                continue
            if rule.zone is not None:
                inside = rule.zone in zones_here
            else:
                inside = rule.near is not None and bool(distances[rule.id][index] <= rule.near.km)
            if inside:
                found.append(
                    {
                        "incident_id": incident_id,
                        "ceasefire_id": ceasefire.id,
                        "rule_id": rule.id,
                        "zone_id": rule.zone,
                        "description": rule.description,
                    }
                )
    return found
