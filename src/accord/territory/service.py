"""Evaluate territorial proposals on the zones in force, and compare them; occupied-area trends."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pydantic import BaseModel
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.errors import InvalidInput, NotFound
from accord.packs import service as packs
from accord.packs.loader import load_pack
from accord.territory import gazetteer
from accord.territory.specs import ProposalSpec
from accord.zones import geo
from accord.zones import service as zones
from accord.zones.models import Zone
from accord.zones.service import geometry_of

MAX_BUFFER_KM = 500.0


class Settlement(BaseModel):
    """A settlement inside a proposal's area."""

    name: str
    population: int


class ProposalResult(BaseModel):
    """A proposal's figures on the as-of date."""

    id: str
    name: str
    meaning: str
    area_km2: float
    line_km: float
    settlements: list[Settlement]
    population: int
    oblast_shares: dict[str, float]
    params: dict[str, float]


class Context:
    """Zones in force on one date, with the derived country outline and line of contact."""

    def __init__(self, session: Session, as_of: dt.date, params: dict[str, float]) -> None:
        """Read the zones in force on ``as_of``."""
        self.session = session
        self.as_of = as_of
        self.params = params
        self.zones = [z for z in zones.list_zones(session) if zones.in_force(z, as_of)]

    @functools.cached_property
    def admin(self) -> list[Zone]:
        """Return the admin areas (oblasts) in force."""
        found = [z for z in self.zones if z.kind == "admin_area"]
        if not found:
            raise InvalidInput(
                "no admin areas loaded: load oblast outlines with `accord zones load --kind admin_area`"
            )
        return found

    @functools.cached_property
    def country(self) -> BaseGeometry:
        """Return the union of the admin areas."""
        return shapely.union_all([geometry_of(z) for z in self.admin])

    @functools.cached_property
    def occupied(self) -> BaseGeometry:
        """Return the occupied-area snapshot in force (the latest one starting on or before)."""
        snapshots = [z for z in self.zones if z.kind == "occupied_area"]
        if not snapshots:
            raise InvalidInput(
                f"--as-of {self.as_of}: no occupied-area snapshot in force on that date"
            )
        latest = max(snapshots, key=lambda z: (z.valid_from or dt.date.min, z.id))
        return geometry_of(latest)

    @functools.cached_property
    def line(self) -> BaseGeometry:
        """Return the line of contact derived from the snapshot in force."""
        return geo.contact_line(self.occupied, self.country)

    def zone(self, pattern: str) -> BaseGeometry:
        """Return the union of the zones in force matching an id or pattern."""
        matched = [
            z for z in zones.match_zones(self.session, [pattern]) if zones.in_force(z, self.as_of)
        ]
        if not matched:
            raise NotFound(f"zone {pattern!r} is not in force on {self.as_of}")
        return shapely.union_all([geometry_of(z) for z in matched])

    def km(self, value: Any) -> float:
        """Resolve a width: a number or "{param}"."""
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            name = value[1:-1]
            if name not in self.params:
                raise InvalidInput(f"parameter {name!r} is not set (use --param {name}=N)")
            value = self.params[name]
        try:
            km = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"buffer width {value!r} is not a number") from exc
        if not 0 < km <= MAX_BUFFER_KM:
            raise InvalidInput(f"buffer width {km} km is outside 0-{MAX_BUFFER_KM:g} km")
        return km

    def evaluate(self, expr: dict[str, Any]) -> BaseGeometry:
        """Evaluate an expression tree to a geometry."""
        ((op, arg),) = expr.items()
        if op == "zone":
            return self.zone(arg)
        if op == "occupied":
            return self.occupied
        if op == "line":
            return self.line
        if op == "country":
            return self.country
        if op == "buffer":
            return geo.buffer_km(self.evaluate(arg["of"]), self.km(arg["km"]))
        parts = [self.evaluate(item) for item in arg]
        if op == "union":
            return shapely.union_all(parts)
        if op == "intersection":
            return shapely.intersection_all(parts)
        return shapely.difference(parts[0], shapely.union_all(parts[1:]))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def evaluate(
    ctx: Context, proposal: ProposalSpec, country_code: str
) -> tuple[ProposalResult, BaseGeometry, BaseGeometry]:
    """Return a proposal's figures, its area and its resulting line."""
    area = _polygonal(ctx.evaluate(proposal.area)) if proposal.area else shapely.Polygon()
    if proposal.line is not None:
        line = ctx.evaluate(proposal.line)
    elif proposal.meaning == "changes_hands" and not area.is_empty:
        line = geo.contact_line(shapely.union_all([ctx.occupied, area]), ctx.country)
    else:
        line = ctx.line
    places = gazetteer.settlements(country_code)
    inside = np.zeros(len(places.names), dtype=bool)
    if not area.is_empty:
        shapely.prepare(area)
        inside = shapely.intersects_xy(area, places.lon, places.lat)
    settlements = [
        Settlement(name=places.names[i], population=int(places.population[i]))
        for i in np.flatnonzero(inside)
    ]
    shares = {}
    if not area.is_empty:
        for zone in ctx.admin:
            outline = geometry_of(zone)
            if shapely.intersects(outline, area):
                part = geo.area_km2(shapely.intersection(outline, area))
                if part > 0.5:
                    shares[zone.name] = round(part / (zone.area_km2 or geo.area_km2(outline)), 4)
    result = ProposalResult(
        id=proposal.id,
        name=proposal.name,
        meaning=proposal.meaning,
        area_km2=round(geo.area_km2(area), 1),
        line_km=round(geo.length_km(line), 1),
        settlements=settlements,
        population=sum(s.population for s in settlements),
        oblast_shares=dict(sorted(shares.items(), key=lambda kv: -kv[1])),
        params=dict(ctx.params),
    )
    return result, area, line


def pack_proposals(session: Session) -> tuple[list[ProposalSpec], str]:
    """Return the loaded pack's proposals and the country code of its gazetteer."""
    pack = packs.current(session)
    if pack is None:
        raise InvalidInput("no pack loaded: run `accord init`")
    data = load_pack(pack.root if pack.root and Path(pack.root).is_dir() else pack.id)
    if not data.meta.gazetteer_country:
        raise InvalidInput(f"pack {pack.id} names no gazetteer_country in pack.yaml")
    return data.proposals, data.meta.gazetteer_country


def compare(
    session: Session,
    proposals: list[ProposalSpec],
    ids: list[str],
    as_of: dt.date,
    params: dict[str, float],
    country_code: str,
) -> list[ProposalResult]:
    """Evaluate the named proposals on one date."""
    known = {p.id: p for p in proposals}
    missing = [i for i in ids if i not in known]
    if missing:
        raise NotFound(
            f"unknown proposal(s) {', '.join(missing)} (known: {', '.join(sorted(known))})"
        )
    ctx = Context(session, as_of, {**_defaults(known[i] for i in ids), **params})
    return [evaluate(ctx, known[i], country_code)[0] for i in ids]


def _defaults(proposals: Any) -> dict[str, float]:
    merged: dict[str, float] = {}
    for p in proposals:
        merged.update(p.params)
    return merged


class SnapshotArea(BaseModel):
    """The occupied area on one snapshot, per oblast, and the change since the previous one.

    ``area_km2`` is the sum of the ``per_oblast`` rows: the occupied part of the loaded admin
    areas. ``snapshot_km2`` is the snapshot polygon as drawn, and ``outside_outlines_km2`` the part
    of it outside every admin area (sea, coast and border slivers). With no admin areas loaded,
    ``area_km2`` is the snapshot polygon and ``outside_outlines_km2`` is None.
    """

    date: dt.date
    zone: str
    area_km2: float
    per_oblast: dict[str, float]
    snapshot_km2: float
    outside_outlines_km2: float | None
    change_km2_per_day: float | None


def trend(session: Session, start: dt.date, end: dt.date) -> list[SnapshotArea]:
    """Return the occupied area of each snapshot dated between two dates, with rates of change."""
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    snapshots = [
        z
        for z in session.scalars(select(Zone).where(Zone.kind == "occupied_area"))
        if z.valid_from is not None and start <= z.valid_from <= end
    ]
    if not snapshots:
        raise InvalidInput(f"no occupied-area snapshot dated between {start} and {end}")
    admin = [z for z in zones.list_zones(session, "admin_area")]
    result: list[SnapshotArea] = []
    for zone in sorted(snapshots, key=lambda z: z.valid_from or dt.date.min):
        geometry = geometry_of(zone)
        per_oblast: dict[str, float] = {}
        for oblast in admin:
            outline = geometry_of(oblast)
            if shapely.intersects(outline, geometry):
                part = round(geo.area_km2(shapely.intersection(outline, geometry)), 1)
                if part > 0:
                    per_oblast[oblast.name] = part
        date = zone.valid_from or start
        snapshot = round(zone.area_km2 or geo.area_km2(geometry), 1)
        area = round(sum(per_oblast.values()), 1) if admin else snapshot
        outside = round(snapshot - area, 1) if admin else None
        rate = None
        if result:
            days = (date - result[-1].date).days
            rate = round((area - result[-1].area_km2) / days, 2) if days else None
        result.append(
            SnapshotArea(
                date=date,
                zone=zone.id,
                area_km2=area,
                per_oblast=per_oblast,
                snapshot_km2=snapshot,
                outside_outlines_km2=outside,
                change_km2_per_day=rate,
            )
        )
    return result


def render_map(
    session: Session,
    proposals: list[ProposalSpec],
    ids: list[str],
    as_of: dt.date,
    params: dict[str, float],
    country_code: str,
) -> str:
    """Return the atlas plate (SVG, A4 landscape) of the named proposals on one date."""
    from accord.territory.mapping import Plate, Proposal, plate_svg

    known = {p.id: p for p in proposals}
    missing = [i for i in ids if i not in known]
    if missing:
        raise NotFound(
            f"unknown proposal(s) {', '.join(missing)} (known: {', '.join(sorted(known))})"
        )
    ctx = Context(session, as_of, {**_defaults(known[i] for i in ids), **params})
    drawn = []
    for pid in ids:
        result, area, _line = evaluate(ctx, known[pid], country_code)
        drawn.append(Proposal(pid, known[pid].name, area, result.area_km2, result.population))
    snapshot = max(
        (z for z in ctx.zones if z.kind == "occupied_area"),
        key=lambda z: (z.valid_from or dt.date.min, z.id),
    )
    plate = Plate(
        as_of=as_of,
        snapshot=f"{snapshot.id} (from {snapshot.valid_from or 'undated'})",
        oblasts=[(z.name, geometry_of(z)) for z in ctx.admin],
        occupied=ctx.occupied,
        line=ctx.line,
        proposals=drawn,
        country=country_code,
    )
    return plate_svg(plate)
