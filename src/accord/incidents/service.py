"""Incidents: file one, list with filters, show one. Services flush; the caller commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.errors import Conflict, InvalidInput, NotFound
from accord.incidents.models import (
    INCIDENT_STATUSES,
    Incident,
    ViolationCandidate,
    ZoneHit,
    occurred_between,
)
from accord.incidents.schemas import IncidentIn, IncidentOut
from accord.incidents.taxonomy import TYPES
from accord.packs import choice


@dataclass(frozen=True)
class IncidentFilter:
    """Filters of ``accord incidents list``."""

    start: dt.date | None = None
    end: dt.date | None = None
    type: str | None = None
    zone: str | None = None
    status: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    pack: str | None = None

    def check(self) -> None:
        """Refuse filters that cannot match anything by construction."""
        if self.type is not None and self.type not in TYPES:
            raise InvalidInput(
                f"--type: unknown incident type {self.type!r} (use {', '.join(TYPES)})"
            )
        if self.status is not None and self.status not in INCIDENT_STATUSES:
            raise InvalidInput(
                f"--status: unknown status {self.status!r} (use {', '.join(INCIDENT_STATUSES)})"
            )
        if self.start and self.end and self.end < self.start:
            raise InvalidInput(f"--to {self.end} is before --from {self.start}")
        if self.bbox is not None:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
                raise InvalidInput("--bbox: use min_lon,min_lat,max_lon,max_lat within range")


def create(session: Session, data: IncidentIn, *, by: str, pack: str | None = None) -> Incident:
    """File one incident report for a pack (the named one, else the default pack)."""
    columns = data.columns()
    if columns.get("external_id") and session.scalar(
        select(Incident.id).where(Incident.external_id == columns["external_id"])
    ):
        raise Conflict(f"an incident with external id {columns['external_id']!r} already exists")
    incident = Incident(**columns, created_by=by, pack_id=choice.owner(session, pack))
    session.add(incident)
    session.flush()
    audit.record(
        session,
        by=by,
        action="incident.create",
        entity="incident",
        entity_id=incident.id,
        payload={
            "type": incident.type,
            "occurred_on": str(incident.occurred_on),
            "lat": incident.latitude,
            "lon": incident.longitude,
            "pack": incident.pack_id,
        },
    )
    return incident


def _filtered(query: Select[Any], f: IncidentFilter) -> Select[Any]:
    if f.start or f.end:
        query = query.where(occurred_between(f.start, f.end))
    if f.pack:
        query = query.where(Incident.pack_id == f.pack)
    if f.type:
        query = query.where(Incident.type == f.type)
    if f.status:
        query = query.where(Incident.status == f.status)
    if f.bbox:
        min_lon, min_lat, max_lon, max_lat = f.bbox
        query = query.where(
            Incident.longitude.between(min_lon, max_lon),
            Incident.latitude.between(min_lat, max_lat),
        )
    if f.zone:
        query = query.where(
            Incident.id.in_(select(ZoneHit.incident_id).where(ZoneHit.zone_id == f.zone))
        )
    return query


def filtered(query: Select[Any], f: IncidentFilter) -> Select[Any]:
    """Return a query narrowed to the incidents matching the filters (checked first)."""
    f.check()
    return _filtered(query, f)


def count_incidents(session: Session, f: IncidentFilter) -> int:
    """Return how many incidents match the filters."""
    f.check()
    query = _filtered(select(Incident.id), f)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def page_of_incidents(
    session: Session, f: IncidentFilter, *, limit: int = 100, offset: int = 0
) -> list[Incident]:
    """Return one page of the incidents matching the filters, newest first."""
    f.check()
    query = _filtered(select(Incident), f)
    rows = session.scalars(
        query.order_by(Incident.occurred_at.desc(), Incident.id.desc()).limit(limit).offset(offset)
    )
    return list(rows)


def rows_of_incidents(
    session: Session, f: IncidentFilter, *, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Return one page of matching incidents as their stored columns (no ORM objects).

    Lists shown to many readers at once use this: a Core query on the session's connection
    skips the ORM's loading, identity map and attribute instrumentation.
    """
    f.check()
    table = Incident.__table__
    newest_first = (table.c.occurred_at.desc(), table.c.id.desc())
    # The page's ids first, from the indexes alone; then only those rows are read. Skipping
    # ``offset`` rows this way reads index entries, not the rows themselves.
    page = _filtered(select(table.c.id), f).order_by(*newest_first).limit(limit).offset(offset)
    result = session.connection().execute(
        select(*table.columns).where(table.c.id.in_(page.scalar_subquery())).order_by(*newest_first)
    )
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def list_incidents(
    session: Session, f: IncidentFilter, *, limit: int = 100, offset: int = 0
) -> tuple[list[Incident], int]:
    """Return a page of incidents (newest first) and the total matching the filters."""
    return page_of_incidents(session, f, limit=limit, offset=offset), count_incidents(session, f)


def get(session: Session, incident_id: int, *, for_update: bool = False) -> Incident:
    """Return one incident or raise NotFound; ``for_update`` row-locks it until commit."""
    incident = session.get(Incident, incident_id, with_for_update=for_update or None)
    if incident is None:
        raise NotFound(f"incident {incident_id} does not exist")
    return incident


def detail(session: Session, incident_id: int) -> IncidentOut:
    """Return an incident with its zone hits and violation candidates."""
    out = IncidentOut.model_validate(get(session, incident_id))
    out.zones = list(
        session.scalars(
            select(ZoneHit.zone_id)
            .where(ZoneHit.incident_id == incident_id)
            .order_by(ZoneHit.zone_id)
        )
    )
    out.violations = [
        {
            "ceasefire": v.ceasefire_id,
            "rule": v.rule_id,
            "zone": v.zone_id,
            "description": v.description,
        }
        for v in session.scalars(
            select(ViolationCandidate).where(ViolationCandidate.incident_id == incident_id)
        )
    ]
    return out
