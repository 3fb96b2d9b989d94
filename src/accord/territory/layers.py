"""GeoJSON layers of the interactive map on one date: the basemap and the territorial proposals.

Layers: ``oblasts`` (admin areas), ``occupied`` (the snapshot in force), ``line`` (the line of
contact derived from it, or the loaded line zones when it cannot be derived), ``zones`` (every
other zone in force: DMZs, exclusion areas, ceasefire zones), ``proposals`` (the loaded pack's
territorial proposals with their figures) and ``settlements`` (GeoNames places inside the map's
frame). Shapes are simplified to ``SIMPLIFY_DEG`` and coordinates rounded to ``DECIMALS`` places
(about 11 m), which keeps the whole basemap of Ukraine to a few hundred kilobytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.territory import gazetteer
from accord.territory import service as territory
from accord.zones import geo
from accord.zones.service import geometry_of

LAYERS = ("oblasts", "occupied", "line", "zones", "proposals", "settlements")
SIMPLIFY_DEG = 0.003  # about 300 m: invisible below zoom 9, a fifth of the vertices
DECIMALS = 4
BASEMAP_KINDS = ("admin_area", "occupied_area")
ATTRIBUTION = "Outlines and occupied areas: as loaded (accord zones list); " + gazetteer.ATTRIBUTION


def web_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """Return a geometry as a GeoJSON mapping, simplified and rounded for the web."""
    simple = shapely.simplify(geometry, SIMPLIFY_DEG, preserve_topology=True)
    rounded = shapely.transform(simple, lambda xy: np.round(xy, DECIMALS))
    return shapely.geometry.mapping(rounded)  # type: ignore[no-any-return]


def feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    """Return one GeoJSON feature."""
    return {"type": "Feature", "geometry": web_geometry(geometry), "properties": properties}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a GeoJSON feature collection."""
    return {"type": "FeatureCollection", "features": features}


def build(session: Session, day: dt.date) -> dict[str, Any]:
    """Return every layer in force on ``day`` as a feature collection, with notes on what is missing."""
    ctx = territory.Context(session, day, {})
    notes: list[str] = []
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in LAYERS}
    admin = [z for z in ctx.zones if z.kind == "admin_area"]
    for zone in admin:
        outline = geometry_of(zone)
        spot = shapely.point_on_surface(outline)
        out["oblasts"].append(
            feature(
                outline,
                {
                    "id": zone.id,
                    "name": _oblast_name(zone.name),
                    "area_km2": _km2(zone.area_km2),
                    "label": [round(spot.x, DECIMALS), round(spot.y, DECIMALS)],
                },
            )
        )
    occupied = _try(lambda: ctx.occupied, notes)
    if occupied is not None:
        snapshot = max(
            (z for z in ctx.zones if z.kind == "occupied_area"),
            key=lambda z: (z.valid_from or dt.date.min, z.id),
        )
        out["occupied"].append(
            feature(
                occupied,
                {
                    "id": snapshot.id,
                    "name": snapshot.name,
                    "valid_from": str(snapshot.valid_from or ""),
                    "area_km2": _km2(geo.area_km2(occupied)),
                },
            )
        )
    line = _try(lambda: ctx.line, notes) if occupied is not None and admin else None
    if line is not None and not line.is_empty:
        out["line"].append(
            feature(line, {"name": "line of contact (derived)", "km": round(geo.length_km(line))})
        )
    for zone in ctx.zones:
        if zone.kind in BASEMAP_KINDS:
            continue
        if zone.kind == "line_of_contact" and out["line"]:
            continue  # the derived line stands for it
        target = "line" if zone.kind == "line_of_contact" else "zones"
        shape = geometry_of(zone)
        out[target].append(
            feature(
                shape,
                {
                    "id": zone.id,
                    "kind": zone.kind,
                    "name": zone.name,
                    "area_km2": _km2(zone.area_km2),
                    "km": round(geo.length_km(shape)),
                },
            )
        )
    country_code = _proposals(session, ctx, out["proposals"], notes)
    _settlements(country_code, ctx, out["settlements"])
    return {
        "date": str(day),
        "attribution": ATTRIBUTION,
        "notes": notes,
        "layers": {name: collection(features) for name, features in out.items()},
    }


def _proposals(
    session: Session, ctx: territory.Context, into: list[dict[str, Any]], notes: list[str]
) -> str | None:
    try:
        specs, country_code = territory.pack_proposals(session)
    except AccordError as exc:
        notes.append(f"proposals: {exc}")
        return None
    for spec in specs:
        ctx.params = {**spec.params}
        try:
            result, area, _line = territory.evaluate(ctx, spec, country_code)
        except AccordError as exc:
            notes.append(f"proposal {spec.id}: {exc}")
            continue
        if area.is_empty:
            continue
        into.append(
            feature(
                area,
                {
                    "id": spec.id,
                    "name": spec.name,
                    "meaning": spec.meaning,
                    "area_km2": round(result.area_km2),
                    "line_km": round(result.line_km),
                    "population": result.population,
                    "settlements": [s.name for s in result.settlements[:6]],
                    "params": result.params,
                },
            )
        )
    return country_code


def _settlements(
    country_code: str | None, ctx: territory.Context, into: list[dict[str, Any]]
) -> None:
    if country_code is None or not ctx.zones:
        return
    frame = shapely.union_all([geometry_of(z) for z in ctx.zones]).envelope
    places = gazetteer.settlements(country_code)
    inside = shapely.intersects_xy(frame, places.lon, places.lat)
    for i in np.flatnonzero(inside):
        into.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(places.lon[i]), 4), round(float(places.lat[i]), 4)],
                },
                "properties": {"name": places.names[i], "population": int(places.population[i])},
            }
        )


def _try(compute: Any, notes: list[str]) -> BaseGeometry | None:
    try:
        return compute()  # type: ignore[no-any-return]
    except AccordError as exc:
        notes.append(str(exc))
        return None


def _km2(value: float | None) -> int | None:
    return None if value is None else round(value)


def _oblast_name(name: str) -> str:
    return name.replace(" (illustrative outline)", "")
