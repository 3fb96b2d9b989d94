"""A monitored case for the export tests (import the ``case`` fixture from here).

The pack, zones, incidents checked, clustered and ruled on, a source, and a signed framework
with implementation records and an indicator; built once per test module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from accord.agreements import implementation
from accord.agreements import service as agreements
from accord.agreements.models import Provision
from accord.council import service as council
from accord.db.session import session_scope
from accord.demo import monitoring
from accord.demo.setup import init_database
from accord.demo.synthetic import generate
from accord.incidents import check, clustering, importing
from accord.incidents.models import Incident
from accord.packs.loader import load_pack
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.zones import service as zones

SIGNED = dt.date(2026, 1, 10)
RULED = dt.date(2026, 2, 14)
NOTE = b"Title: Exchange note\nDate: 2026-02-03\n\nBoth sides released 150 prisoners.\n"


def build_case(url: str, folder: Path) -> None:
    """Fill a migrated database with a small monitored case (the demo's story, without reports)."""
    init_database(url, "ukraine-2025", by="setup")
    pack = load_pack("ukraine-2025")
    spec = pack.meta.demo
    assert spec is not None
    with session_scope(url) as session:
        path = Path(pack.root) / "examples" / "zones.geojson"
        zones.load_geojson(session, path, zones.LoadOptions(), by="setup")
        zones.buffer(
            session, spec.line_zone, spec.band_km, spec.band_zone, kind=spec.band_kind, by="setup"
        )
        line = spec.incident_line or monitoring._line_points(session, spec.line_zone)
    rows = folder / "incidents.csv"
    incidents = generate(
        line, spec.parties, spec.incidents_start, scatter=spec.scatter_deg, events=60
    )
    monitoring._write_csv(incidents, rows)
    importing.run_import(
        rows, "csv", area=None, by="setup", open_session=lambda: session_scope(url)
    )
    with session_scope(url) as session:
        check.run_check(session, by="setup")
    with session_scope(url) as session:
        clustering.run_dedup(session, by="setup")
    with session_scope(url) as session:
        monitoring._review(session, spec, "setup")
    with session_scope(url) as session:
        verified = session.scalars(
            select(Incident.id).where(Incident.status == "verified").order_by(Incident.id)
        ).first()
        assert verified is not None, "the review must verify an incident"
        votes = {m.id: "yes" for m in council.members(session)}
        votes["member-ru"] = "no"
        council.rule(session, verified, "violation", votes, RULED, by="setup", party="ru")
    with session_scope(url) as session:
        source, _added = sources.ingest_bytes(
            session, NOTE, Path("exchange-note.txt"), by="setup", blobs=BlobStore(folder / "blobs")
        )
        source_id = source.id
    with session_scope(url) as session:
        agreements.sign(session, "twenty-point-framework", SIGNED, by="setup")
        first, second = session.scalars(
            select(Provision.id)
            .where(Provision.draft_id == "twenty-point-framework")
            .order_by(Provision.position)
            .limit(2)
        ).all()
        for provision, level, day in (
            (first, 1, dt.date(2026, 1, 20)),
            (first, 3, dt.date(2026, 2, 10)),
            (second, 2, dt.date(2026, 2, 1)),
        ):
            implementation.record(
                session, provision, level, day, by="setup", source_id=source_id, note=f"L{level}"
            )
        implementation.add_indicator(
            session,
            "twenty-point-framework",
            "prisoner_exchange",
            dt.date(2026, 2, 3),
            {"released_by": {"ru": 150, "ua": 150}},
            by="setup",
        )


@pytest.fixture(scope="module")
def case(module_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database holding the monitored case, shared by a module's tests (which only read it)."""
    build_case(module_db, tmp_path_factory.mktemp("case"))
    return module_db
