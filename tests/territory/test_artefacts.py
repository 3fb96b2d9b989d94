"""Territory figures without artefacts: specks, stubs, clipping, the occupied total, settlements.

The synthetic cases fail on the code before the fix; the real-data cases compare against a
reference method written here (UTM zone 37N, planar metres) and skip when ``../shared`` is absent.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.cli.main import app
from accord.territory import gazetteer
from accord.territory import service as territory
from accord.zones import geo
from accord.zones import service as zones

# a country 2° × 1° at 48° N (about 149 × 111 km) and an occupied eastern half; the line of
# contact is the meridian 37° E, about 111 km long
COUNTRY = shapely.box(36.0, 47.5, 38.0, 48.5)
HALF = shapely.box(37.0, 47.5, 38.0, 48.5)
# a hole of about 600 m² (0.00025° × 0.00035°) inside the occupied half
SPECK_HOLE = shapely.box(37.5, 48.0, 37.00035 + 0.5, 48.00025)


def test_a_tiny_hole_makes_no_line_and_no_dmz_disc() -> None:
    occupied = HALF.difference(SPECK_HOLE)
    assert 400 < geo.area_km2(SPECK_HOLE) * 1e6 < 800  # m²
    line = geo.contact_line(occupied, COUNTRY)
    assert 107 < geo.length_km(line) < 112
    assert not line.intersects(SPECK_HOLE.buffer(0.01))
    dmz = geo.buffer_km(line, 15)
    assert not dmz.contains(shapely.Point(37.5, 48.0))
    # the same hole above the minimum area is a front of its own
    kept = geo.contact_line(occupied, COUNTRY, min_patch_km2=0, min_piece_km=0)
    assert kept.intersects(SPECK_HOLE.buffer(0.001))


def test_a_speck_island_makes_no_line() -> None:
    island = shapely.box(36.5, 48.0, 36.5005, 48.0005)  # about 0.2 km², west of the front
    line = geo.contact_line(shapely.union_all([HALF, island]), COUNTRY)
    assert not line.intersects(island.buffer(0.01))
    assert 107 < geo.length_km(line) < 112


def test_a_sliver_along_the_coast_makes_no_line() -> None:
    # a 1.6 km-wide strip of occupied coast, 20 km long, at the country's southern edge
    strip = shapely.box(36.2, 47.5, 36.47, 47.5145)
    line = geo.contact_line(shapely.union_all([HALF, strip]), COUNTRY)
    assert not line.intersects(strip.buffer(0.001))
    assert 107 < geo.length_km(line) < 112
    kept = geo.contact_line(shapely.union_all([HALF, strip]), COUNTRY, min_width_km=0)
    assert kept.intersects(strip.buffer(0.001))


def test_short_stubs_are_dropped_but_real_fronts_kept() -> None:
    stub = shapely.LineString([(36.2, 47.6), (36.21, 47.6)])  # about 0.75 km
    front = shapely.LineString([(37.0, 47.5), (37.0, 48.5)])
    kept = geo.without_stubs(shapely.MultiLineString([stub, front]))
    assert kept.equals(front)
    assert geo.without_stubs(stub).is_empty


def _admin_and_line(session: Session) -> None:
    zones._store(session, "ua-test", "admin_area", "Test country", COUNTRY, by="t")
    zones._store(
        session,
        "loc-test",
        "line_of_contact",
        "Front near the edge",
        shapely.LineString([(37.9, 47.5), (37.9, 48.5)]),
        by="t",
    )


def test_buffer_is_clipped_to_the_country_by_default(session: Session) -> None:
    _admin_and_line(session)
    clipped = zones.buffer(session, "loc-test", 15, "dmz-clip", kind="dmz", by="t")
    whole = zones.buffer(session, "loc-test", 15, "dmz-whole", kind="dmz", by="t", clip=False)
    assert clipped.derived_from["clipped_to"] == ["ua-test"]
    assert whole.derived_from["clipped_to"] is None
    # 15 km west of the line stays inside; the 15 km east of it and beyond the edge is cut
    assert clipped.area_km2 < 0.75 * whole.area_km2
    assert shapely.covers(COUNTRY.buffer(1e-9), zones.geometry_of(clipped))


def test_buffer_without_admin_areas_says_it_is_not_clipped(
    runner: CliRunner, home: Path, fresh_db: str, tmp_path: Path
) -> None:
    line = tmp_path / "line.geojson"
    line.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": "loc-x", "name": "x"},
                        "geometry": shapely.geometry.mapping(
                            shapely.LineString([(37.0, 47.5), (37.0, 48.5)])
                        ),
                    }
                ],
            }
        )
    )
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    loaded = runner.invoke(
        app, ["zones", "load", str(line), "--kind", "line_of_contact", "--db", fresh_db]
    )
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(
        app, ["zones", "buffer", "loc-x", "--km", "5", "--id", "dmz-x", "--db", fresh_db]
    )
    assert result.exit_code == 0, result.output
    assert "not clipped: no admin areas" in result.output


def test_proposals_are_listed_with_their_parameters(
    runner: CliRunner, home: Path, fresh_db: str
) -> None:
    assert runner.invoke(app, ["init", "--db", fresh_db]).exit_code == 0
    result = runner.invoke(app, ["territory", "proposals", "--db", fresh_db, "--json"])
    assert result.exit_code == 0, result.output
    listed = {p["id"]: p for p in json.loads(result.stdout)}
    assert {"russia-demand", "freeze", "dmz-each-side"} <= set(listed)
    assert "width_km" in listed["dmz-each-side"]["params"]
    table = runner.invoke(app, ["territory", "proposals", "--db", fresh_db])
    assert "dmz-each-side" in table.output and "width_km=" in table.output


def test_each_settlement_counts_once() -> None:
    places = gazetteer.settlements("UA")
    names = places.names
    assert names.count("Kramatorsk") == 1
    # city districts of Kramatorsk and Donetsk that GeoNames lists as rows of their own
    assert not {"Sotsmisto", "Sonyachnyi", "Kyivskyi", "Rutchenkivskyi", "Hladkivka"} & set(names)
    # real neighbouring towns stay, including one only the newer GeoNames table has
    assert {"Donetsk", "Makiyivka", "Horlivka", "Mariupol", "Myrnohrad", "Pokrovsk"} <= set(names)
    # no two places within 1 km of each other
    lon, lat = places.lon, places.lat
    dx = (lon[:, None] - lon[None, :]) * 111.32 * np.cos(np.radians(48))
    dy = (lat[:, None] - lat[None, :]) * 111.32
    distance = np.hypot(dx, dy) + np.eye(len(lon)) * 1e9
    assert distance.min() > 1.0


# --- real data (skipped when ../shared is absent) -------------------------------------------

UTM37 = Transformer.from_crs(4326, 32637, always_xy=True)


def _utm(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geometry, lambda c: np.column_stack(UTM37.transform(c[:, 0], c[:, 1])))


def _reference_line_km(
    occupied: shapely.Geometry, country: shapely.Geometry
) -> tuple[float, float]:
    """Reference method: in UTM 37N metres, drop parts and holes under 1 km², take the occupied
    boundary more than 1 km from the country's boundary, drop pieces under 2 km and pieces lying
    wholly within 2 km of that boundary; return the line's length and its 15 km buffer's area,
    planar."""
    occ, ctry = _utm(occupied), _utm(country)
    parts = [
        shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= 1e6])
        for p in shapely.get_parts(occ)
        if shapely.Polygon(p.exterior).area >= 1e6
    ]
    boundary = shapely.MultiPolygon(parts).boundary
    inner = shapely.line_merge(boundary.difference(ctry.boundary.buffer(1000)).intersection(ctry))
    band = ctry.boundary.buffer(2000)
    pieces = [p for p in shapely.get_parts(inner) if p.length >= 2000 and not band.contains(p)]
    line = shapely.MultiLineString(pieces)
    return line.length / 1000, line.buffer(15000, quad_segs=16).area / 1e6


@pytest.fixture
def country_and_occupied(ukraine_data: Path) -> tuple[shapely.Geometry, shapely.Geometry]:
    oblasts = json.loads((ukraine_data / "oblasts-2020.geojson").read_text())["features"]
    country = shapely.make_valid(shapely.union_all([shape(f["geometry"]) for f in oblasts]))
    occupied = shape(
        json.loads((ukraine_data / "occupied-20251228.geojson").read_text())["features"][0][
            "geometry"
        ]
    )
    return country, shapely.make_valid(occupied)


def test_line_and_dmz_within_two_percent_of_the_reference(
    country_and_occupied: tuple[shapely.Geometry, shapely.Geometry],
) -> None:
    country, occupied = country_and_occupied
    ref_line, ref_dmz = _reference_line_km(occupied, country)
    line = geo.contact_line(occupied, country)
    assert abs(geo.length_km(line) / ref_line - 1) < 0.02
    assert abs(geo.area_km2(geo.buffer_km(line, 15)) / ref_dmz - 1) < 0.02


def test_occupied_total_is_the_sum_of_its_rows(session: Session, ukraine_data: Path) -> None:
    zones.load_geojson(
        session,
        ukraine_data / "oblasts-2020.geojson",
        zones.LoadOptions(
            id_property="ADMIN_1", name_property="ADMIN_1", kind="admin_area", id_prefix="ua-"
        ),
        by="t",
    )
    zones.load_geojson(
        session,
        ukraine_data / "occupied-20251228.geojson",
        zones.LoadOptions(
            kind="occupied_area", id_value="occupied-20251228", valid_from=dt.date(2025, 12, 28)
        ),
        by="t",
    )
    rows = territory.trend(session, dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    (row,) = rows
    assert row.area_km2 == pytest.approx(sum(row.per_oblast.values()), abs=0.11)
    assert row.outside_outlines_km2 == pytest.approx(row.snapshot_km2 - row.area_km2, abs=0.11)
    # the snapshot polygon reaches beyond the outlines (sea, coast, border): a few hundred km²
    assert 100 < row.outside_outlines_km2 < 2000
