"""Territorial proposals on the real data: figures, settlements, map; bad input."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import shape
from sqlalchemy.orm import Session

from accord.errors import InvalidInput, NotFound
from accord.packs import service as packs
from accord.territory import service
from accord.territory.specs import ProposalSpec
from accord.zones import service as zones

DAY = dt.date(2025, 12, 28)
ALL = ["russia-demand", "freeze", "plan-28-buffer", "dmz-each-side"]


def _load(session: Session, data: Path) -> None:
    packs.load_by_name(session, "ukraine-2025", by="t")
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
    for day, until in (("20251120", "2025-12-27"), ("20251228", "2026-08-21"), ("20260822", None)):
        zones.load_geojson(
            session,
            data / f"occupied-{day}.geojson",
            zones.LoadOptions(
                kind="occupied_area",
                id_value=f"occupied-{day}",
                valid_from=dt.date.fromisoformat(f"{day[:4]}-{day[4:6]}-{day[6:]}"),
                valid_to=dt.date.fromisoformat(until) if until else None,
            ),
            by="t",
        )


@pytest.fixture
def real(session: Session, ukraine_data: Path) -> Session:
    _load(session, ukraine_data)
    return session


def _independent_free_donetsk(data: Path) -> float:
    oblasts = json.loads((data / "oblasts-2020.geojson").read_text())
    donetsk = next(
        shape(f["geometry"])
        for f in oblasts["features"]
        if f["properties"]["ADMIN_1"] == "Донецька область"
    )
    occupied = shape(
        json.loads((data / "occupied-20251228.geojson").read_text())["features"][0]["geometry"]
    )
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(
        shapely.make_valid(donetsk.difference(occupied))
    )
    return abs(area) / 1e6


def test_compare_on_the_real_data(real: Session, ukraine_data: Path) -> None:
    specs, country = service.pack_proposals(real)
    results = {r.id: r for r in service.compare(real, specs, ALL, DAY, {}, country)}
    independent = _independent_free_donetsk(ukraine_data)
    plan = results["plan-28-buffer"]
    assert plan.area_km2 == pytest.approx(independent, rel=0.005)
    assert plan.area_km2 == pytest.approx(5_800, rel=0.03)
    assert plan.oblast_shares["Донецька область"] == pytest.approx(0.22, abs=0.005)
    demand = results["russia-demand"]
    assert demand.area_km2 >= plan.area_km2  # plus what Ukraine still holds of Luhansk oblast
    names = {s.name for s in demand.settlements}
    assert {"Kramatorsk", "Slovyansk", "Kostyantynivka", "Druzhkivka"} <= names
    assert demand.population == sum(s.population for s in demand.settlements) > 300_000
    assert results["freeze"].area_km2 == 0 and results["freeze"].settlements == []
    dmz = results["dmz-each-side"]
    assert 20_000 < dmz.area_km2 < 50_000 and dmz.params == {"width_km": 15.0}
    wider = service.compare(real, specs, ["dmz-each-side"], DAY, {"width_km": 30}, country)[0]
    assert wider.area_km2 > 1.6 * dmz.area_km2
    assert 1_000 < results["freeze"].line_km < 2_500


def test_trend(real: Session) -> None:
    rows = service.trend(real, dt.date(2025, 11, 1), dt.date(2026, 9, 1))
    assert [r.zone for r in rows] == ["occupied-20251120", "occupied-20251228", "occupied-20260822"]
    assert rows[0].change_km2_per_day is None and rows[1].change_km2_per_day is not None
    assert rows[2].area_km2 > rows[0].area_km2  # the occupied area grew over the period
    assert "Донецька область" in rows[1].per_oblast
    with pytest.raises(InvalidInput, match="no occupied-area snapshot dated"):
        service.trend(real, dt.date(2020, 1, 1), dt.date(2020, 2, 1))


def test_map_is_an_atlas_plate_with_every_layer(real: Session) -> None:
    specs, country = service.pack_proposals(real)
    svg = service.render_map(real, specs, ["russia-demand", "dmz-each-side"], DAY, {}, country)
    root = ET.fromstring(svg)  # noqa: S314 — parses the SVG our own code just made
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:g[@class='panel']", ns)) == 2  # small multiples
    assert len(root.findall(".//s:g[@id='panel-0']/s:g/s:g[@class='oblasts']/s:path", ns)) == 27
    assert {p.get("id") for p in root.findall(".//s:path[@class='proposal']", ns)} == {
        "proposal-russia-demand",
        "proposal-dmz-each-side",
    }
    assert "28 December 2025" in root.find("s:text[@id='date']", ns).text  # type: ignore[union-attr]
    assert "Kramatorsk" in svg and "GeoNames" in svg
    assert root.find(".//s:g[@id='scale-bar']", ns) is not None


def test_bad_input(real: Session) -> None:
    specs, country = service.pack_proposals(real)
    with pytest.raises(InvalidInput, match="no occupied-area snapshot in force"):
        service.compare(real, specs, ["russia-demand"], dt.date(2024, 1, 1), {}, country)
    with pytest.raises(NotFound, match="unknown proposal"):
        service.compare(real, specs, ["annex-everything"], DAY, {}, country)
    with pytest.raises(InvalidInput, match="outside 0-500 km"):
        service.compare(real, specs, ["dmz-each-side"], DAY, {"width_km": 0}, country)
    with pytest.raises(InvalidInput, match="outside 0-500 km"):
        service.compare(real, specs, ["dmz-each-side"], DAY, {"width_km": 5000}, country)
    ghost = ProposalSpec(id="ghost", name="g", meaning="changes_hands", area={"zone": "atlantis"})
    with pytest.raises(NotFound, match="no zone matches 'atlantis'"):
        service.compare(real, [ghost], ["ghost"], DAY, {}, country)


def test_bad_proposal_spec() -> None:
    with pytest.raises(ValueError, match="unknown operator 'annex'"):
        ProposalSpec(id="x", name="x", meaning="frozen", area={"annex": True})
    with pytest.raises(ValueError, match="give `of` and `km`"):
        ProposalSpec(id="x", name="x", meaning="frozen", area={"buffer": {"km": 3}})


def _feature_file(tmp_path: Path, geometry: dict, crs: str | None = None) -> Path:  # type: ignore[type-arg]
    data: dict = {
        "type": "FeatureCollection",
        "features": [  # type: ignore[type-arg]
            {"type": "Feature", "properties": {"id": "z", "kind": "dmz"}, "geometry": geometry}
        ],
    }
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / "z.geojson"
    path.write_text(json.dumps(data))
    return path


def test_zone_files_repaired_or_refused(session: Session, tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[35, 47], [36, 48], [36, 47], [35, 48], [35, 47]]],
    }
    zone = zones.load_geojson(
        session, _feature_file(tmp_path, bowtie), zones.LoadOptions(), by="t"
    )[0]
    assert zones.repaired(zone) is not None and "make_valid" in zones.repaired(zone)  # type: ignore[operator]
    assert shapely.is_valid(zones.geometry_of(zone))
    projected = {
        "type": "Polygon",
        "coordinates": [
            [
                [3_900_000, 6_000_000],
                [3_910_000, 6_000_000],
                [3_910_000, 6_010_000],
                [3_900_000, 6_000_000],
            ]
        ],
    }
    with pytest.raises(InvalidInput, match="coordinates look projected"):
        zones.load_geojson(session, _feature_file(tmp_path, projected), zones.LoadOptions(), by="t")
    with pytest.raises(InvalidInput, match="reads WGS84"):
        zones.load_geojson(
            session,
            _feature_file(tmp_path, bowtie, "urn:ogc:def:crs:EPSG::3857"),
            zones.LoadOptions(),
            by="t",
        )
