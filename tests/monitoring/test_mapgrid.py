"""Incidents for the web map: points when few, grid counts when many, inside the date window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from accord.errors import InvalidInput
from accord.incidents import mapgrid
from accord.incidents.models import Incident

DAY = dt.date(2026, 3, 10)


def add(session: Session, n: int, seed: int = 3) -> list[dict[str, object]]:
    """Insert n incidents spread over Donbas and over the 40 days up to DAY."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        on = DAY - dt.timedelta(days=int(rng.integers(0, 40)))
        rows.append(
            {
                "occurred_at": dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC),
                "occurred_on": on,
                "time_precision": "hour",
                "latitude": float(rng.uniform(47.0, 49.5)),
                "longitude": float(rng.uniform(36.5, 39.5)),
                "location_precision": "exact",
                "type": ["explosion", "projectile", "heavy-weapons"][i % 3],
                "status": ["reported", "verified"][i % 2],
                "sources": [],
                "created_by": "test",
            }
        )
    session.execute(insert(Incident), rows)
    return rows


def test_few_incidents_are_points_inside_the_window_and_the_box(session: Session) -> None:
    rows = add(session, 300)
    box = (37.0, 47.5, 38.5, 49.0)
    got = mapgrid.layer(session, DAY, 10, bbox=box)
    expected = [
        r
        for r in rows
        if DAY - dt.timedelta(days=9) <= r["occurred_on"] <= DAY  # type: ignore[operator]
        and box[0] <= r["longitude"] <= box[2]  # type: ignore[operator]
        and box[1] <= r["latitude"] <= box[3]  # type: ignore[operator]
    ]
    assert not got["aggregated"] and got["total"] == len(expected) == len(got["features"]) > 10
    assert got["from"] == "2026-03-01" and got["to"] == "2026-03-10"
    assert {f["properties"]["type"] for f in got["features"]} == {
        "explosion",
        "projectile",
        "heavy-weapons",
    }


def test_many_incidents_are_counted_on_a_grid_that_keeps_every_one(session: Session) -> None:
    add(session, 3000)
    got = mapgrid.layer(session, DAY, 40, zoom=6, max_points=1000)
    assert got["aggregated"] and got["total"] == 3000
    cells = got["features"]
    assert sum(c["properties"]["count"] for c in cells) == 3000
    assert all(sum(c["properties"]["types"].values()) == c["properties"]["count"] for c in cells)
    assert all(sum(c["properties"]["statuses"].values()) == c["properties"]["count"] for c in cells)
    cell = got["cell_deg"]
    assert cell == pytest.approx(360 / 2**6 / mapgrid.CELLS_PER_TILE)
    for c in cells:  # each cell's mean position lies inside its bounds, one cell wide
        w, s, e, n = c["properties"]["bounds"]
        x, y = c["geometry"]["coordinates"]
        assert w - 1e-4 <= x <= e + 1e-4 and s - 1e-4 <= y <= n + 1e-4
        assert e - w == pytest.approx(cell, abs=2e-4)
    closer = mapgrid.layer(session, DAY, 40, zoom=8, max_points=1000)
    assert len(closer["features"]) > len(cells)  # finer cells when zoomed in


def test_coarsened_points_sit_on_the_grid(session: Session) -> None:
    add(session, 50)
    got = mapgrid.layer(session, DAY, 40, coarsen_deg=0.1)
    for f in got["features"]:
        for c in f["geometry"]["coordinates"]:
            assert abs(c * 10 - round(c * 10)) < 1e-6


def test_bad_windows_and_boxes_are_refused_with_the_field_named(session: Session) -> None:
    with pytest.raises(InvalidInput, match="days"):
        mapgrid.layer(session, DAY, 0)
    with pytest.raises(InvalidInput, match="bbox"):
        mapgrid.parse_bbox("38,49,37,48")
    with pytest.raises(InvalidInput, match="bbox"):
        mapgrid.parse_bbox("a,b,c,d")
    with pytest.raises(InvalidInput, match="zoom"):
        mapgrid.layer(session, DAY, 3, zoom=30)
