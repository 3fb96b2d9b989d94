"""Migrations 0010 and 0015: claims, zones, incidents, rulings and reports stored before them
stay with (or go to) the pack they belong to."""

from __future__ import annotations

import datetime as dt

import shapely
from alembic import command
from sqlalchemy import Connection, MetaData, Table, inspect, text

from accord.db import migrate
from accord.db.session import get_engine, session_scope
from accord.packs import service as packs


def test_existing_claims_stay_with_the_loaded_pack(fresh_db: str) -> None:
    assert migrate.upgrade(fresh_db, "0009") == "0009"
    with session_scope(fresh_db) as session:
        packs.load_by_name(session, "ukraine-2025", by="setup")
    with get_engine(fresh_db).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (sha256, media_type, encoding, text, size_bytes, "
                "ingested_at, ingested_by) VALUES (:h, 'text', 'utf-8', 'Kyiv said no.', 13, "
                "CURRENT_TIMESTAMP, 't')"
            ),
            {"h": "a" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO claims (source_id, kind, issue_id, holder_id, stance, summary, quote, "
                "span_start, span_end, confidence, negated, hedged, extractor, "
                "extractor_version, review_state, created_at, created_by) VALUES "
                "(1, 'position', 'territory', 'ua', 'oppose', '', 'Kyiv said no.', 0, 13, 0.8, "
                ":f, :f, 'test', '1', 'machine', CURRENT_TIMESTAMP, 't')"
            ),
            {"f": False},
        )
    assert migrate.upgrade(fresh_db) == migrate.head()
    with get_engine(fresh_db).connect() as conn:
        assert conn.execute(text("SELECT pack_id FROM claims")).scalars().all() == ["ukraine-2025"]


def _row(conn: Connection, table: str, **values: object) -> object:
    """Insert a row with the columns given (the table as it is before migration 0015)."""
    reflected = Table(table, MetaData(), autoload_with=conn)
    return conn.execute(reflected.insert().values(**values)).inserted_primary_key[0]


def _incident(conn: Connection, lon: float, lat: float) -> int:
    now = dt.datetime(2025, 11, 14, tzinfo=dt.UTC)
    return _row(  # type: ignore[return-value]
        conn, "incidents", source_format="manual", occurred_at=now, occurred_on=now.date(),
        time_precision="day", latitude=lat, longitude=lon, location_precision="exact",
        type="battles", sources="[]", status="verified", created_at=now, created_by="t",
        updated_at=now,
    )  # fmt: skip


def _zone(conn: Connection, zone_id: str, lon: float, lat: float) -> None:
    point = shapely.Point(lon, lat)
    _row(
        conn, "zones", id=zone_id, kind="dmz", name=zone_id, geometry_wkb=shapely.to_wkb(point),
        geometry_type="Point", min_lon=lon, min_lat=lat, max_lon=lon, max_lat=lat,
        created_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC), created_by="t",
    )  # fmt: skip


def test_monitoring_rows_go_to_the_pack_whose_area_holds_them(fresh_db: str) -> None:
    assert migrate.upgrade(fresh_db, "0014") == "0014"
    with session_scope(fresh_db) as session:
        for pack_id in ("ukraine-2025", "gaza-2025"):
            packs.load_by_name(session, pack_id, by="setup")
    with get_engine(fresh_db).begin() as conn:
        kyiv_side = _incident(conn, 37.8, 48.98)
        gaza_side = _incident(conn, 34.45, 31.5)
        nowhere = _incident(conn, 2.35, 48.85)  # outside both areas of interest
        _zone(conn, "east-band", 37.8, 48.9)
        _zone(conn, "south-band", 34.4, 31.4)
        for incident in (kyiv_side, gaza_side):
            _row(
                conn, "rulings", incident_id=incident, outcome="violation", votes="{}",
                published_on=dt.date(2025, 11, 15), created_at=dt.datetime.now(dt.UTC),
                created_by="t",
            )  # fmt: skip
        _row(
            conn, "report_artifacts", kind="daily", report_date=dt.date(2025, 11, 15),
            media_type="text/html", path="r.html", sha256="b" * 64, size_bytes=1,
            created_at=dt.datetime.now(dt.UTC), created_by="t",
        )  # fmt: skip
    assert migrate.upgrade(fresh_db) == migrate.head()
    with get_engine(fresh_db).connect() as conn:

        def owners(sql: str) -> dict[object, object]:
            return {key: pack for key, pack in conn.execute(text(sql))}

        assert owners("SELECT id, pack_id FROM incidents") == {
            kyiv_side: "ukraine-2025",
            gaza_side: "gaza-2025",
            nowhere: "ukraine-2025",  # the pack of databases from before packs sat side by side
        }
        assert owners("SELECT id, pack_id FROM zones") == {
            "east-band": "ukraine-2025",
            "south-band": "gaza-2025",
        }
        assert owners("SELECT incident_id, pack_id FROM rulings") == {
            kyiv_side: "ukraine-2025",
            gaza_side: "gaza-2025",
        }
        assert set(owners("SELECT id, pack_id FROM report_artifacts").values()) == {"ukraine-2025"}
    command.downgrade(migrate.alembic_config(fresh_db), "0014")  # and back again
    with get_engine(fresh_db).connect() as conn:
        assert "pack_id" not in {c["name"] for c in inspect(conn).get_columns("incidents")}
