"""What a viewer may see of an incident: coarse coordinates and no reporter identities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request

from accord.exports.query import coarsen
from accord.incidents.schemas import IncidentOut
from accord.reports.daily import DailyReport
from accord.web.deps import Principal

__all__ = ["coarsen", "incident_for", "incidents_for", "point_for", "report_for", "sees_exact"]

PRIVILEGED_ROLES = frozenset({"analyst", "monitor", "council", "admin"})


def sees_exact(who: Principal) -> bool:
    """Tell whether a caller's role sees exact locations and who reported."""
    return who.role in PRIVILEGED_ROLES


def _viewer_fields(request: Request, latitude: float, longitude: float) -> dict[str, Any]:
    step = request.app.state.settings.viewer_coarsen_deg
    return {
        "latitude": coarsen(latitude, step),
        "longitude": coarsen(longitude, step),
        "reporter": None,
        "observer": None,
    }


def incident_for(who: Principal, request: Request, incident: IncidentOut) -> IncidentOut:
    """Return an incident as the caller may see it (viewers: coarsened, reporter hidden)."""
    if sees_exact(who):
        return incident
    return incident.model_copy(
        update=_viewer_fields(request, incident.latitude, incident.longitude)
    )


def incidents_for(
    who: Principal, request: Request, rows: Iterable[Mapping[str, Any]]
) -> list[IncidentOut]:
    """Build listed incidents from their stored columns, as the caller may see them."""
    if sees_exact(who):
        return [IncidentOut.model_validate(row) for row in rows]
    return [
        IncidentOut.model_validate(
            {**row, **_viewer_fields(request, row["latitude"], row["longitude"])}
        )
        for row in rows
    ]


def point_for(who: Principal, request: Request, point: dict[str, Any]) -> dict[str, Any]:
    """Return a map point ({"lat", "lon", ...}) as the caller may see it."""
    if sees_exact(who):
        return point
    step = request.app.state.settings.viewer_coarsen_deg
    return {**point, "lat": coarsen(point["lat"], step), "lon": coarsen(point["lon"], step)}


def report_for(who: Principal, request: Request, report: DailyReport) -> DailyReport:
    """Return a daily report as the caller may see it (viewers: coarsened incident points)."""
    if sees_exact(who):
        return report
    return report.model_copy(
        update={"incidents": [point_for(who, request, point) for point in report.incidents]}
    )
