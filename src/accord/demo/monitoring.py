"""The demo's monitoring story: zones, synthetic incidents, check, dedup, review, ruling, report."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.council import service as council
from accord.demo.synthetic import generate
from accord.errors import InvalidInput
from accord.incidents import check, clustering, importing, workflow
from accord.incidents.models import Incident, ViolationCandidate
from accord.packs.loader import load_pack
from accord.packs.schemas import DemoSpec
from accord.reports import service as reports
from accord.sources.blobs import BlobStore
from accord.territory import service as territory
from accord.zones import service as zones

SessionFactory = Callable[[], AbstractContextManager[Session]]


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    columns = sorted({k for row in rows for k in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def run(
    open_session: SessionFactory, pack: str, folder: Path, blobs: BlobStore, *, by: str
) -> dict[str, Any]:
    """Run the monitoring story in the demo database; return what each step did.

    The pack's ``demo:`` section in pack.yaml names the line, the band, the rule and the parties;
    a pack without one has no monitoring story (an empty summary).
    """
    data = load_pack(pack)
    spec = data.meta.demo
    if spec is None:
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {}
    report_day = spec.report_day
    with open_session() as session:
        path = Path(data.root) / "examples" / "zones.geojson"
        loaded = zones.load_geojson(session, path, zones.LoadOptions(pack=pack), by=by)
        band = zones.buffer(
            session, spec.line_zone, spec.band_km, spec.band_zone, kind=spec.band_kind, by=by
        )
        summary["zones"] = [z.id for z in loaded] + [band.id]
        line = spec.incident_line or _line_points(session, spec.line_zone)
    incidents_csv = folder / "synthetic-incidents.csv"
    rows = generate(line, spec.parties, spec.incidents_start, scatter=spec.scatter_deg)
    _write_csv(rows, incidents_csv)
    imported = importing.run_import(
        incidents_csv, "csv", area=None, by=by, open_session=open_session, pack=pack
    )
    summary["imported"] = imported.inserted
    with open_session() as session:
        summary["check"] = check.run_check(session, by=by).__dict__
    with open_session() as session:
        summary["dedup"] = clustering.run_dedup(session, by=by)
    with open_session() as session:
        summary["workflow"] = _review(session, spec, by)
    with open_session() as session:
        verified = session.scalar(
            select(Incident)
            .where(
                Incident.status == "verified",
                Incident.occurred_on <= report_day,
                Incident.pack_id == pack,
            )
            .order_by(Incident.occurred_on.desc(), Incident.id)
        )
        if verified is not None:
            votes = {
                m.id: ("abstain" if m.role == "observer" else "yes")
                for m in council.members(session, pack)
            }
            if spec.dissenting_member in votes:
                votes[spec.dissenting_member] = "no"
            ruling = council.rule(
                session,
                verified.id,
                "violation",
                votes,
                report_day,
                by=by,
                party=verified.attributed_to or spec.parties[0],
                reasoning=spec.ruling_reasoning,
            )
            summary["ruling"] = {"id": ruling.id, "incident": verified.id}
    with open_session() as session:
        summary["territory"] = _territory(session, pack, report_day, by)
    with open_session() as session:
        artifacts = reports.write_daily(
            session,
            report_day,
            folder / f"daily-{report_day}.html",
            by=by,
            blobs=blobs,
            pdf=True,
            pack=pack,
        )
        summary["report"] = [a.path for a in artifacts]
    return summary


def _line_points(session: Session, zone_id: str) -> list[tuple[float, float]]:
    """Return the [lon, lat] points of a line zone (the first part of a multi-line)."""
    geometry = zones.geometry_of(zones.get(session, zone_id))
    if isinstance(geometry, shapely.MultiLineString):
        geometry = geometry.geoms[0]
    if not isinstance(geometry, shapely.LineString):
        raise InvalidInput(f"demo line {zone_id!r} is a {geometry.geom_type}, not a line")
    return [(float(x), float(y)) for x, y, *_ in geometry.coords]


def _territory(session: Session, pack: str, day: dt.date, by: str) -> list[dict[str, Any]]:
    """Compare the pack's proposals on the illustrative outlines (not real boundaries)."""
    path = Path(load_pack(pack).root) / "examples" / "territory-illustrative.geojson"
    zones.load_geojson(session, path, zones.LoadOptions(pack=pack), by=by)
    specs, country = territory.pack_proposals(session)
    results = territory.compare(session, specs, [p.id for p in specs], day, {}, country)
    return [
        {
            "id": r.id,
            "area_km2": r.area_km2,
            "line_km": r.line_km,
            "settlements": [s.name for s in r.settlements][:5],
        }
        for r in results
    ]


def _review(session: Session, spec: DemoSpec, by: str) -> dict[str, int]:
    """Verify the first few violation candidates of the demo rule and dismiss one other."""
    candidates = list(
        session.scalars(
            select(Incident)
            .join(ViolationCandidate, ViolationCandidate.incident_id == Incident.id)
            .where(ViolationCandidate.rule_id == spec.review_rule)
            .order_by(Incident.occurred_on.desc(), Incident.id)
            .distinct()
            .limit(4)
        )
    )
    counts = {"verified": 0, "dismissed": 0}
    for incident in candidates[:3]:
        workflow.transition(session, incident.id, "under_review", by=by, reason="demo review")
        party = (
            incident.alleged_perpetrator if incident.alleged_perpetrator in spec.parties else None
        )
        workflow.transition(
            session,
            incident.id,
            "verified",
            by=by,
            reason="two monitors' reports",
            attributed_to=party,
            confidence=0.7 if party else None,
        )
        counts["verified"] += 1
    for incident in candidates[3:]:
        workflow.transition(session, incident.id, "under_review", by=by)
        workflow.transition(
            session, incident.id, "dismissed", by=by, reason="duplicate of a verified report"
        )
        counts["dismissed"] += 1
    return counts
