"""The grid-binned zone join gives exactly the pairs of a plain point-in-zone test.

The reference here is written independently of ``zone_join``: for each zone, shapely's
``intersects_xy`` on every point, then the zone's validity dates. Points are clustered along a
front and spread at random, and many sit on or within 1e-9 degrees of a zone's boundary (its
vertices, the middles of its edges, nudged each way), where a wrongly sorted-out grid cell shows.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from accord.incidents import zone_join
from accord.incidents.zone_join import ZoneSet, zone_hits


def reference(
    lon: np.ndarray, lat: np.ndarray, days: np.ndarray, zs: ZoneSet
) -> set[tuple[int, int]]:
    """Every (point, zone) pair by brute force: each zone tested against every point."""
    pairs: set[tuple[int, int]] = set()
    for z, geometry in enumerate(zs.geometries):
        inside = shapely.intersects_xy(geometry, lon, lat)
        valid = (days >= zs.valid_from[z]) & (days <= zs.valid_to[z])
        pairs.update((int(p), z) for p in np.flatnonzero(inside & valid))
    return pairs


def zones(rng: np.random.Generator) -> ZoneSet:
    """Circles, a square with a hole, a multipolygon, a thin strip, a line and one huge zone."""
    centres = shapely.points(rng.uniform(33.0, 37.5, 40), rng.uniform(47.0, 49.5, 40))
    shapes = list(shapely.buffer(centres, rng.uniform(0.02, 0.4, 40), quad_segs=6))
    shapes += [
        shapely.Polygon(
            [(34, 47.5), (35, 47.5), (35, 48.5), (34, 48.5)],
            holes=[[(34.3, 47.8), (34.7, 47.8), (34.7, 48.2), (34.3, 48.2)]],
        ),
        shapely.MultiPolygon(
            [
                shapely.box(35.5, 48.0, 35.9, 48.3),
                shapely.Polygon([(36.0, 48.0), (36.6, 48.1), (36.1, 48.7)]),  # a concave gap
            ]
        ),
        shapely.box(33.0, 48.0001, 38.0, 48.0003),  # thinner than a grid cell
        shapely.LineString([(33.2, 47.2), (35.0, 48.0), (37.9, 49.4)]),
        shapely.box(20.0, 40.0, 45.0, 55.0),  # reaches far past every point
    ]
    n = len(shapes)
    valid_from = rng.integers(0, 30, n)
    valid_from[-1] = 0
    return ZoneSet(
        ids=[f"z{i}" for i in range(n)],
        geometries=np.array(shapes, dtype=object),
        valid_from=valid_from,
        valid_to=valid_from + rng.integers(10, 80, n),
    )


def edge_points(zs: ZoneSet, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points on each zone's vertices and edge middles, and each nudged by ±1e-9 either way."""
    xy = shapely.get_coordinates(list(zs.geometries))
    middles = (xy[:-1] + xy[1:]) / 2
    base = np.concatenate([xy, middles])
    nudges = rng.choice([-1e-9, 0.0, 1e-9], size=(len(base) * 3, 2))
    moved = np.repeat(base, 3, axis=0) + nudges
    return moved[:, 0], moved[:, 1]


def layout(kind: str, rng: np.random.Generator, zs: ZoneSet) -> tuple[np.ndarray, ...]:
    """Clustered (a front line) or random points, plus the boundary points, with days."""
    n = 20_000
    if kind == "front":
        t = rng.uniform(0, 1, n)
        lon = 33.0 + 4.5 * t + rng.normal(0, 0.05, n)
        lat = 47.0 + 2.5 * t + rng.normal(0, 0.05, n)
    else:
        lon, lat = rng.uniform(32.5, 38.0, n), rng.uniform(46.5, 50.0, n)
    ex, ey = edge_points(zs, rng)
    lon, lat = np.concatenate([lon, ex]), np.concatenate([lat, ey])
    return lon, lat, rng.integers(0, 100, len(lon))


@pytest.mark.parametrize("direct_points", [zone_join.DIRECT_POINTS, 0])
@pytest.mark.parametrize("kind", ["front", "random"])
def test_grid_join_equals_exact_point_in_polygon(
    kind: str, direct_points: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # direct_points 0 sends every zone through the grid path, however few points its box holds
    monkeypatch.setattr(zone_join, "DIRECT_POINTS", direct_points)
    rng = np.random.default_rng(11)
    zs = zones(rng)
    lon, lat, days = layout(kind, rng, zs)
    points, zone_index = zone_hits(lon, lat, days, zs)
    found = list(zip(points.tolist(), zone_index.tolist(), strict=True))
    expected = reference(lon, lat, days, zs)
    assert len(found) == len(set(found))  # no pair twice
    assert set(found) == expected
    # the boundary points matter: many of them are in and many out
    on_edges = {p for p, _z in expected if p >= 20_000}
    assert 1_000 < len(on_edges) < len(lon) - 20_000


def test_no_points_or_no_zones() -> None:
    zs = zones(np.random.default_rng(1))
    none = np.empty(0)
    assert [len(a) for a in zone_hits(none, none, none.astype(int), zs)] == [0, 0]
    empty = ZoneSet([], np.array([], dtype=object), np.array([]), np.array([]))
    one = np.array([35.0])
    assert [len(a) for a in zone_hits(one, one, np.array([1]), empty)] == [0, 0]
