"""Zones: load GeoJSON, derive contact lines and buffers, and select the zones in force."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.errors import Conflict, InvalidInput, NotFound
from accord.packs import choice
from accord.zones import geo
from accord.zones.models import ZONE_KINDS, Ceasefire, Zone
from accord.zones.terms import CeasefireSpec


@dataclass(frozen=True)
class LoadOptions:
    """How to read zone properties from a GeoJSON file."""

    id_property: str = "id"
    name_property: str = "name"
    kind: str | None = None
    id_prefix: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    id_value: str | None = None
    pack: str | None = None  # the pack the zones belong to (default: the default pack)


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InvalidInput(f"{where}: cannot read date {value!r} (use YYYY-MM-DD)") from exc


def _store(
    session: Session,
    zone_id: str,
    kind: str,
    name: str,
    geometry: BaseGeometry,
    *,
    by: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    rules: list[Any] | None = None,
    derived_from: dict[str, Any] | None = None,
    pack_id: str | None = None,
) -> Zone:
    if kind not in ZONE_KINDS:
        raise InvalidInput(f"zone {zone_id!r}: unknown kind {kind!r} (use {', '.join(ZONE_KINDS)})")
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidInput(
            f"zone {zone_id!r}: valid_to {valid_to} is before valid_from {valid_from}"
        )
    geometry = shapely.make_valid(geometry)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    zone = session.get(Zone, zone_id) or Zone(id=zone_id, created_by=by)
    if zone.pack_id not in (None, pack_id) and pack_id is not None:
        raise Conflict(
            f"zone {zone_id!r} belongs to pack {zone.pack_id!r}: give this zone another id"
        )
    zone.kind, zone.name, zone.valid_from, zone.valid_to = kind, name, valid_from, valid_to
    zone.rules, zone.derived_from, zone.pack_id = rules, derived_from, pack_id
    zone.geometry_wkb = shapely.to_wkb(geometry)
    zone.geometry_type = geometry.geom_type
    zone.area_km2 = round(geo.area_km2(geometry), 3)
    zone.length_km = round(geo.length_km(geometry), 3)
    zone.min_lon, zone.min_lat, zone.max_lon, zone.max_lat = min_lon, min_lat, max_lon, max_lat
    session.add(zone)
    session.flush()
    audit.record(
        session,
        by=by,
        action="zone.store",
        entity="zone",
        entity_id=zone_id,
        payload={
            "kind": kind,
            "wkb_sha256": audit.sha256_hex(zone.geometry_wkb),
            "valid_from": str(valid_from),
            "valid_to": str(valid_to),
            "pack": pack_id,
        },
    )
    return zone


def load_geojson(session: Session, path: Path, options: LoadOptions, *, by: str) -> list[Zone]:
    """Load every feature of a GeoJSON file as zones of a pack (all or nothing)."""
    pack_id = choice.owner(session, options.pack)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot read file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: not a GeoJSON FeatureCollection with features")
    _check_crs(data, path)
    features = data.get("features")
    if data.get("type") == "Feature":
        features = [data]
    if not isinstance(features, list) or not features:
        raise InvalidInput(f"{path}: not a GeoJSON FeatureCollection with features")
    zones: list[Zone] = []
    for number, feature in enumerate(features, start=1):
        where = f"{path}: feature {number}"
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise InvalidInput(f"{where}: a Feature must be an object with object 'properties'")
        raw_id: Any
        if options.id_value is not None:
            raw_id = options.id_value if len(features) == 1 else f"{options.id_value}-{number}"
        else:
            raw_id = props.get(options.id_property)
        if raw_id in (None, ""):
            raise InvalidInput(f"{where}: missing property {options.id_property!r}")
        kind = options.kind or props.get("kind")
        if not kind:
            raise InvalidInput(f"{where}: missing property 'kind' (or give --kind)")
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, ShapelyError) as exc:
            raise InvalidInput(f"{where}: invalid geometry ({exc})") from exc
        if geometry.is_empty:
            raise InvalidInput(f"{where}: empty geometry")
        if not numpy.isfinite(shapely.get_coordinates(geometry)).all():
            raise InvalidInput(f"{where}: coordinates must be finite numbers")
        if any(z.id == f"{options.id_prefix}{raw_id}" for z in zones):
            raise InvalidInput(f"{where}: zone id {raw_id!r} appears twice in the file")
        min_x, min_y, max_x, max_y = geometry.bounds
        if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
            raise InvalidInput(
                f"{where}: coordinates look projected (x up to {max(abs(min_x), abs(max_x)):,.0f}), "
                "not WGS84 longitude/latitude: reproject the file to EPSG:4326"
            )
        repaired = (
            None
            if geometry.is_valid
            else {"repaired": f"make_valid ({shapely.is_valid_reason(geometry)})"}
        )
        rules = props.get("rules")
        zones.append(
            _store(
                session,
                f"{options.id_prefix}{raw_id}",
                str(kind),
                str(props.get(options.name_property) or raw_id),
                geometry,
                by=by,
                valid_from=options.valid_from
                or _date(props.get("valid_from"), f"{where}: valid_from"),
                valid_to=options.valid_to or _date(props.get("valid_to"), f"{where}: valid_to"),
                rules=rules if isinstance(rules, list) else None,
                derived_from=repaired,
                pack_id=pack_id,
            )
        )
    return zones


def _check_crs(data: Any, path: Path) -> None:
    """Refuse a GeoJSON file that declares a CRS other than WGS84 longitude/latitude."""
    crs = data.get("crs") if isinstance(data, dict) else None
    if not crs:
        return
    name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else str(crs)
    if not any(ok in name.upper() for ok in ("CRS84", "4326")):
        raise InvalidInput(f"{path}: declares CRS {name!r}; accord reads WGS84 (EPSG:4326) only")


def repaired(zone: Zone) -> str | None:
    """Return how a zone's geometry was repaired on load, if it was."""
    value = (zone.derived_from or {}).get("repaired")
    return str(value) if value else None


def geometry_of(zone: Zone) -> BaseGeometry:
    """Return a zone's geometry."""
    return shapely.from_wkb(zone.geometry_wkb)


def get(session: Session, zone_id: str) -> Zone:
    """Return a zone or raise NotFound."""
    zone = session.get(Zone, zone_id)
    if zone is None:
        raise NotFound(f"zone {zone_id!r} does not exist")
    return zone


def list_zones(session: Session, kind: str | None = None, pack: str | None = None) -> list[Zone]:
    """Return zones by kind and id; with ``pack``, only that pack's zones."""
    query = select(Zone).order_by(Zone.kind, Zone.id)
    if kind:
        query = query.where(Zone.kind == kind)
    if pack:
        query = query.where(Zone.pack_id == pack)
    return list(session.scalars(query))


def derive_line(
    session: Session, occupied_id: str, country_ids: list[str], new_id: str, *, by: str
) -> Zone:
    """Derive the line of contact: the occupied area's boundary inside the country."""
    occupied = get(session, occupied_id)
    if occupied.geometry_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(f"zone {occupied_id!r} is a {occupied.geometry_type}, not an area")
    country = shapely.union_all(
        [geometry_of(z) for z in match_zones(session, country_ids, pack=occupied.pack_id)]
    )
    line = geo.contact_line(geometry_of(occupied), country)
    if line.is_empty:
        raise InvalidInput(f"zone {occupied_id!r} has no boundary inside the given country")
    return _store(
        session,
        new_id,
        "line_of_contact",
        f"Line of contact from {occupied_id}",
        line,
        by=by,
        valid_from=occupied.valid_from,
        valid_to=occupied.valid_to,
        derived_from={"occupied": occupied_id, "country": country_ids},
        pack_id=occupied.pack_id,
    )


def match_zones(session: Session, patterns: list[str], pack: str | None = None) -> list[Zone]:
    """Return the zones (of a pack) named by ids or shell-style patterns ("area-*"); each must match."""
    every = list_zones(session, pack=pack)
    found: dict[str, Zone] = {}
    for pattern in patterns:
        matches = [z for z in every if fnmatch.fnmatchcase(z.id, pattern)]
        if not matches:
            raise NotFound(f"no zone matches {pattern!r}")
        found.update({z.id: z for z in matches})
    return list(found.values())


def country_outline(
    session: Session, on: dt.date | None, pack: str | None = None
) -> tuple[BaseGeometry, list[str]]:
    """Return the union of a pack's admin areas in force on a date (any date if None), and ids."""
    areas = [z for z in list_zones(session, "admin_area", pack) if on is None or in_force(z, on)]
    if not areas:
        return shapely.Polygon(), []
    return shapely.union_all([geometry_of(z) for z in areas]), [z.id for z in areas]


def buffer(
    session: Session,
    zone_id: str,
    km: float,
    new_id: str,
    *,
    kind: str,
    by: str,
    clip: bool = True,
) -> Zone:
    """Store the area within ``km`` km of a zone (geodesic) as a new zone.

    With ``clip`` (the default) the area is cut to the admin areas in force when the zone starts
    (the country as loaded), so a buffer does not run into the sea or a neighbour; the stored
    derivation says what it was clipped to. With no admin areas loaded nothing is clipped, and the
    derivation says so.
    """
    base = get(session, zone_id)
    if not 0 < km <= 500:
        raise InvalidInput(f"--km: {km} is outside 0-500 km")
    area = geo.buffer_km(geometry_of(base), km)
    derived: dict[str, Any] = {"buffer_of": zone_id, "km": km, "clipped_to": None}
    if clip:
        outline, ids = country_outline(session, base.valid_from, base.pack_id)
        if ids:
            area = shapely.make_valid(shapely.intersection(area, outline))
            derived["clipped_to"] = ids if len(ids) <= 5 else [f"{len(ids)} admin areas"]
    return _store(
        session,
        new_id,
        kind,
        f"{km:g} km around {zone_id}",
        area,
        by=by,
        valid_from=base.valid_from,
        valid_to=base.valid_to,
        derived_from=derived,
        pack_id=base.pack_id,
    )


def in_force(zone: Zone, on: dt.date) -> bool:
    """Tell whether a zone applies on a date."""
    return (zone.valid_from is None or zone.valid_from <= on) and (
        zone.valid_to is None or on <= zone.valid_to
    )


def replace_ceasefires(session: Session, pack_id: str, specs: list[CeasefireSpec]) -> int:
    """Store the pack's ceasefire terms (replacing earlier versions of the same ids)."""
    for spec in specs:
        row = session.get(Ceasefire, spec.id) or Ceasefire(id=spec.id)
        row.pack_id, row.spec = pack_id, spec.model_dump(mode="json")
        session.add(row)
    session.flush()
    return len(specs)


def ceasefires(session: Session) -> list[CeasefireSpec]:
    """Return the stored ceasefire terms."""
    return [spec for _pack, spec in ceasefires_by_pack(session)]


def ceasefires_by_pack(session: Session) -> list[tuple[str | None, CeasefireSpec]]:
    """Return the stored ceasefire terms, each with the pack it belongs to."""
    rows = session.scalars(select(Ceasefire).order_by(Ceasefire.id))
    return [(r.pack_id, CeasefireSpec.model_validate(r.spec)) for r in rows]
