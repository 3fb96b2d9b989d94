"""Zones on real data: geodesic areas, the derived line of contact, a 15 km DMZ, and the check."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.ops import nearest_points
from sqlalchemy.orm import Session

from accord.errors import InvalidInput, NotFound
from accord.incidents import check, service
from accord.incidents.rows import from_accord
from accord.packs import service as packs
from accord.zones import geo
from accord.zones import service as zones


def _load_real(session: Session, data: Path) -> None:
    zones.load_geojson(
        session,
        data / "oblasts-2020.geojson",
        zones.LoadOptions(
            id_property="ADMIN_1",
            name_property="ADMIN_1",
            kind="admin_area",
            id_prefix="ua-oblast-",
        ),
        by="t",
    )
    zones.load_geojson(
        session,
        data / "occupied-20251228.geojson",
        zones.LoadOptions(
            kind="occupied_area",
            id_value="occupied-20251228",
            valid_from=dt.date(2025, 12, 28),
            valid_to=dt.date(2026, 8, 21),
        ),
        by="t",
    )


def test_areas_agree_with_geod_and_public_figures(session: Session, ukraine_data: Path) -> None:
    _load_real(session, ukraine_data)
    donetsk = zones.get(session, "ua-oblast-Донецька область")
    raw = json.loads((ukraine_data / "oblasts-2020.geojson").read_text())
    geometry = next(
        shape(f["geometry"])
        for f in raw["features"]
        if f["properties"]["ADMIN_1"] == "Донецька область"
    )
    independent = abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0]) / 1e6
    assert donetsk.area_km2 == pytest.approx(independent, rel=0.005)
    assert donetsk.area_km2 == pytest.approx(26_500, rel=0.005)
    free = geo.area_km2(
        zones.geometry_of(donetsk).difference(
            zones.geometry_of(zones.get(session, "occupied-20251228"))
        )
    )
    assert free == pytest.approx(5_800, rel=0.02)
    assert free / donetsk.area_km2 == pytest.approx(0.22, abs=0.005)


def test_dmz_from_the_snapshot_flags_incidents(session: Session, ukraine_data: Path) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    _load_real(session, ukraine_data)
    line = zones.derive_line(session, "occupied-20251228", ["ua-oblast-*"], "loc-20251228", by="t")
    assert line.kind == "line_of_contact" and 1_000 < (line.length_km or 0) < 2_500
    # the whole buffer (not clipped to the country) to check its width
    dmz = zones.buffer(session, "loc-20251228", 15, "dmz-15km", kind="dmz", by="t", clip=False)
    line_geom = zones.geometry_of(line)
    dmz_geom = zones.geometry_of(dmz)
    # the DMZ's edge lies 15 km (geodesic) from the line: sample it against the densified line
    geod = Geod(ellps="WGS84")
    vertices = shapely.get_coordinates(shapely.segmentize(line_geom, 0.002))
    outer = (
        dmz_geom if dmz_geom.geom_type == "Polygon" else max(dmz_geom.geoms, key=lambda g: g.area)
    )
    for lon, lat in shapely.get_coordinates(outer.exterior)[::150]:
        n = len(vertices)
        metres = geod.inv(np.full(n, lon), np.full(n, lat), vertices[:, 0], vertices[:, 1])[2].min()
        assert 14_700 < metres < 15_300
    near_line = nearest_points(line_geom, shapely.Point(37.8, 48.3))[0]
    inside = service.create(
        session,
        from_accord(
            {
                "occurred_at": "2026-02-03",
                "latitude": near_line.y + 0.02,
                "longitude": near_line.x,
                "type": "military-presence",
            }
        ),
        by="t",
    )
    far = service.create(
        session,
        from_accord(
            {
                "occurred_at": "2026-02-03",
                "latitude": 50.45,
                "longitude": 30.52,
                "type": "military-presence",
            }
        ),
        by="t",
    )
    before = service.create(
        session,
        from_accord(
            {
                "occurred_at": "2025-12-01",
                "latitude": near_line.y + 0.02,
                "longitude": near_line.x,
                "type": "military-presence",
            }
        ),
        by="t",
    )
    summary = check.run_check(session, by="t")
    assert summary.candidates >= 1
    assert "dmz-15km" in service.detail(session, inside.id).zones
    assert any(
        v["rule"] == "dmz-no-military-presence"
        for v in service.detail(session, inside.id).violations
    )
    assert "dmz-15km" not in service.detail(session, far.id).zones
    early_zones = service.detail(session, before.id).zones  # dated zones were not in force yet
    assert "dmz-15km" not in early_zones and "occupied-20251228" not in early_zones
    _rows, total = service.list_incidents(session, service.IncidentFilter(zone="dmz-15km"))
    assert total == 1


def test_nuclear_plant_rule(session: Session) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
    near = service.create(
        session,
        from_accord(
            {
                "occurred_at": "2026-02-04",
                "latitude": 47.55,
                "longitude": 34.65,
                "type": "explosion",
            }
        ),
        by="t",
    )
    far = service.create(
        session,
        from_accord(
            {"occurred_at": "2026-02-04", "latitude": 48.2, "longitude": 35.5, "type": "explosion"}
        ),
        by="t",
    )
    check.run_check(session, by="t")
    rules = {v["rule"] for v in service.detail(session, near.id).violations}
    assert {"znpp-no-attack-30km", "prohibited-type"} <= rules
    assert "znpp-no-attack-30km" not in {
        v["rule"] for v in service.detail(session, far.id).violations
    }


def _write(tmp_path: Path, features: list[dict]) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "z.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[35, 47], [35.5, 47], [35.5, 47.5], [35, 47.5], [35, 47]]],
}


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        (
            {"type": "Feature", "properties": {"kind": "dmz"}, "geometry": SQUARE},
            "missing property 'id'",
        ),
        (
            {"type": "Feature", "properties": {"id": "a"}, "geometry": SQUARE},
            "missing property 'kind'",
        ),
        (
            {"type": "Feature", "properties": {"id": "a", "kind": "moat"}, "geometry": SQUARE},
            "unknown kind 'moat'",
        ),
        (
            {
                "type": "Feature",
                "properties": {"id": "a", "kind": "dmz"},
                "geometry": {"type": "Polygon"},
            },
            "invalid geometry",
        ),
        (
            {
                "type": "Feature",
                "properties": {"id": "a", "kind": "dmz", "valid_from": "soon"},
                "geometry": SQUARE,
            },
            "cannot read date 'soon'",
        ),
    ],
)
def test_bad_zone_files_load_nothing(
    session: Session, tmp_path: Path, feature: dict, message: str
) -> None:  # type: ignore[type-arg]
    good = {"type": "Feature", "properties": {"id": "ok", "kind": "dmz"}, "geometry": SQUARE}
    with pytest.raises(InvalidInput, match=message):
        zones.load_geojson(session, _write(tmp_path, [good, feature]), zones.LoadOptions(), by="t")


def test_buffer_and_lookup_errors(session: Session, tmp_path: Path) -> None:
    zones.load_geojson(
        session,
        _write(
            tmp_path,
            [
                {
                    "type": "Feature",
                    "properties": {"id": "sq", "kind": "security_zone"},
                    "geometry": SQUARE,
                }
            ],
        ),
        zones.LoadOptions(),
        by="t",
    )
    grown = zones.buffer(session, "sq", 10, "sq-10", kind="exclusion_zone", by="t")
    assert grown.area_km2 > zones.get(session, "sq").area_km2
    with pytest.raises(InvalidInput, match="outside 0-500 km"):
        zones.buffer(session, "sq", 0, "x", kind="dmz", by="t")
    with pytest.raises(NotFound):
        zones.buffer(session, "nope", 5, "x", kind="dmz", by="t")
    with pytest.raises(NotFound, match="no zone matches"):
        zones.derive_line(session, "sq", ["ua-*"], "x", by="t")
