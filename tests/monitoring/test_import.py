"""ACLED, UCDP, GeoJSON and CSV imports: field mapping, precision codes, bad rows, idempotency."""

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.db.session import session_scope
from accord.errors import InvalidInput
from accord.incidents import importing
from accord.incidents.models import Incident
from accord.incidents.rows import ACLED_COLUMNS, RowError, acled_columns, from_ucdp

AREA = [22.0, 44.0, 40.5, 52.5]


def acled_row(**overrides: str) -> dict[str, str]:
    row = {c: "" for c in ACLED_COLUMNS}
    row.update(
        {
            "event_id_cnty": "UKR1",
            "event_date": "2026-02-03",
            "year": "2026",
            "time_precision": "1",
            "disorder_type": "Political violence",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "actor1": "Military Forces of Russia",
            "actor2": "Civilians (Ukraine)",
            "civilian_targeting": "Civilian targeting",
            "iso": "804",
            "country": "Ukraine",
            "admin1": "Donetsk",
            "admin2": "Kramatorskyi",
            "location": "Kramatorsk",
            "latitude": "48.7389",
            "longitude": "37.5848",
            "geo_precision": "1",
            "source": "Wire",
            "notes": "Shelling hit a residential block.",
            "fatalities": "2",
            "timestamp": "1770000000",
        }
    )
    row.update(overrides)
    return row


def write_acled(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_acled_mapping_keeps_and_normalises_precision() -> None:
    incident = acled_columns(acled_row(geo_precision="2", time_precision="3"))
    assert incident["external_id"] == "acled:UKR1"
    assert (incident["location_precision"], incident["location_precision_code"]) == ("near", "2")
    assert (incident["time_precision"], incident["time_precision_code"]) == ("month", "3")
    assert (incident["type"], incident["sub_type"]) == (
        "explosions-remote-violence",
        "shelling-artillery-missile-attack",
    )
    assert incident["alleged_perpetrator"] == "Military Forces of Russia"
    assert incident["casualties"] == {"best": 2, "civilian": {"best": 2}}
    assert incident["target_type"] == "civilians"
    assert acled_columns(acled_row(event_date="3 February 2026"))["occurred_at"].day == 3


def test_ucdp_mapping() -> None:
    row = {
        "id": "991",
        "date_start": "2026-01-10 00:00:00.000",
        "date_prec": "3",
        "where_prec": "4",
        "latitude": "47.8",
        "longitude": "35.1",
        "type_of_violence": "1",
        "best": "5",
        "low": "3",
        "high": "9",
        "deaths_civilians": "1",
        "side_a": "Government of Russia",
        "adm_1": "Zaporizhia",
    }
    incident = from_ucdp(row)
    assert incident.external_id == "ucdp:991" and incident.type == "state-based-violence"
    assert (incident.location_precision, incident.time_precision) == ("admin1", "week")
    assert incident.casualties is not None and (
        incident.casualties.low,
        incident.casualties.high,
    ) == (3, 9)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"latitude": "123.5"}, "latitude"),
        ({"longitude": "east"}, "longitude 'east' is not a number"),
        ({"event_date": "yesterday-ish"}, "cannot read event_date"),
        ({"event_date": ""}, "missing event_date"),
        ({"event_type": "Parade"}, "unknown incident type 'Parade'"),
        ({"sub_event_type": "Juggling"}, "unknown sub-type"),
        ({"geo_precision": "9"}, "unknown geo_precision code '9'"),
    ],
)
def test_bad_acled_rows(overrides: dict[str, str], reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        acled_columns(acled_row(**overrides))


def _count(url: str) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(Incident)) or 0)


def _run(url: str, path: Path, fmt: str = "acled") -> importing.ImportSummary:
    return importing.run_import(
        path, fmt, area=AREA, by="t", open_session=lambda: session_scope(url)
    )


@pytest.fixture
def db(fresh_db: str) -> str:
    from accord.db import migrate

    migrate.upgrade(fresh_db)
    return fresh_db


def test_import_good_and_bad_rows_then_reimport(db: str, tmp_path: Path) -> None:
    rows = [acled_row(event_id_cnty=f"UKR{i}", latitude=str(47 + i / 100)) for i in range(1, 8)]
    rows += [
        acled_row(event_id_cnty="BAD1", latitude="95"),  # out of range
        acled_row(event_id_cnty="BAD2", latitude="40.0", longitude="10.0"),  # outside the area
        acled_row(event_id_cnty="BAD3", event_date="31/31/2026"),  # unparsable date
        acled_row(event_id_cnty="BAD4", event_type="Fireworks"),  # unknown type
        acled_row(event_id_cnty="UKR1"),  # duplicate id in file
        acled_row(event_id_cnty="BAD5", latitude=""),  # missing value
    ]
    path = write_acled(tmp_path / "acled.csv", rows)
    first = _run(db, path)
    assert (first.rows, first.inserted, first.rejected) == (13, 7, 6)
    reasons = {p.row: p.reason for p in first.problems}
    assert "outside the pack's area of interest" in reasons[10]
    assert "duplicate external id 'acled:UKR1' (first on row 2)" in reasons[13]
    assert _count(db) == 7
    again = _run(db, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 7)
    assert _count(db) == 7
    rows[0]["fatalities"] = "9"
    write_acled(path, rows)
    changed = _run(db, path)
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 6)
    report = tmp_path / "errors.csv"
    report.write_text("an older report, to be replaced whole\n")
    importing.write_problems(first, report)
    assert len(list(csv.DictReader(report.open()))) == 6
    assert sorted(p.name for p in tmp_path.iterdir() if "errors" in p.name) == ["errors.csv"]


def test_missing_required_columns_writes_nothing(db: str, tmp_path: Path) -> None:
    path = tmp_path / "thin.csv"
    path.write_text("event_id_cnty,event_date\nUKR1,2026-02-03\n")
    with pytest.raises(InvalidInput, match="missing required columns: time_precision"):
        _run(db, path)
    assert _count(db) == 0


def test_geojson_and_accord_csv(db: str, tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [34.6, 47.5]},
            "properties": {
                "external_id": "m-1",
                "occurred_at": "2026-02-04T06:30:00",
                "type": "explosion",
                "location_precision": "near",
            },
        },
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"external_id": "m-2", "occurred_at": "2026-02-04", "type": "projectile"},
        },
    ]
    path = tmp_path / "obs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    summary = _run(db, path, "geojson")
    assert (summary.inserted, summary.rejected) == (1, 1)
    csv_path = tmp_path / "own.csv"
    csv_path.write_text(
        "external_id,occurred_at,latitude,longitude,type,fatalities_best\n"
        "c-1,2026-02-05,48.0,37.8,battles,3\n"
    )
    assert _run(db, csv_path, "csv").inserted == 1
    with pytest.raises(InvalidInput, match="unknown format"):
        _run(db, csv_path, "kml")


def test_service_filters(session: Session) -> None:
    from accord.incidents import service
    from accord.incidents.rows import from_accord

    for i, (day, kind) in enumerate([("2026-02-01", "battles"), ("2026-02-10", "explosion")]):
        service.create(
            session,
            from_accord({"occurred_at": day, "latitude": 48 + i, "longitude": 37, "type": kind}),
            by="t",
        )
    rows, total = service.list_incidents(session, service.IncidentFilter(type="explosion"))
    assert total == 1 and rows[0].type == "explosion"
    _rows, total = service.list_incidents(
        session, service.IncidentFilter(bbox=(36.0, 47.5, 38.0, 48.5))
    )
    assert total == 1
    with pytest.raises(InvalidInput, match="unknown incident type"):
        service.list_incidents(session, service.IncidentFilter(type="parade"))


def test_date_filters_take_the_local_date_through_the_time_index(session: Session) -> None:
    """--from/--to match occurred_on, also when it is the local date and the UTC date differs.

    The ACLED reader keeps the date as given (``2026-02-03T23:30-05:00`` is on 02-03); the
    filter narrows through the occurred_at index and must still find such rows.
    """
    from accord.incidents import service
    from accord.incidents.rows import from_accord

    stamps = {
        "early-utc": "2026-02-02T12:00:00+00:00",
        "late-evening-west": "2026-02-03T23:30:00-05:00",  # 02-04 04:30 UTC
        "after-midnight-east": "2026-02-04T00:30:00+03:00",  # 02-03 21:30 UTC
        "far-east": "2026-02-04T23:00:00+13:00",  # 02-04 10:00 UTC
        "later-utc": "2026-02-05T12:00:00+00:00",
    }
    for i, (name, when) in enumerate(stamps.items()):
        incident = service.create(
            session,
            from_accord(
                {
                    "external_id": name,
                    "occurred_at": when,
                    "latitude": 48 + i / 10,
                    "longitude": 37,
                    "type": "battles",
                }
            ),
            by="t",
        )
        incident.occurred_on = dt.datetime.fromisoformat(when).date()  # as the ACLED reader does
    session.flush()

    def names(start: str | None, end: str | None) -> set[str]:
        f = service.IncidentFilter(
            start=dt.date.fromisoformat(start) if start else None,
            end=dt.date.fromisoformat(end) if end else None,
        )
        rows, total = service.list_incidents(session, f)
        assert total == len(rows)
        return {r.external_id for r in rows}

    assert names("2026-02-03", "2026-02-03") == {"late-evening-west"}
    assert names("2026-02-04", "2026-02-04") == {"after-midnight-east", "far-east"}
    assert names("2026-02-04", None) == {"after-midnight-east", "far-east", "later-utc"}
    assert names(None, "2026-02-03") == {"early-utc", "late-evening-west"}
    assert names("2026-02-06", None) == set()
