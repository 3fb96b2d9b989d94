"""The public, read-only view (``ACCORD_PUBLIC_VIEW``): what the council has published.

Its routes need the ``published`` permission: signed-in readers always, anyone without signing
in when the operator turns the view on. Everything is shown under the viewers' privacy rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy.orm import Session

from accord.exports import published
from accord.packs import choice as packs
from accord.reports import daily
from accord.reports import service as reports
from accord.web import privacy
from accord.web.api import REPORT_CSP
from accord.web.deps import Principal, db
from accord.web.pages import page
from accord.web.routing import route

router = APIRouter()
VIEWER = Principal(None, "viewer")  # the public sees what a viewer sees
MEDIA = {".csv": "text/csv", ".json": "application/json", ".md": "text/markdown"}


@page("/public", "published", "public.html")
def public_data(session: Session = Depends(db)) -> dict[str, Any]:
    """Return the published material: the last release, the board as of it, rulings, reports."""
    return published.overview(session)


@route(router, "GET", "/public/reports/{day}", "published", response_class=HTMLResponse)
def public_report(
    day: dt.date, request: Request, pack: str | None = None, session: Session = Depends(db)
) -> Any:
    """Return a published daily report of a pack as a page (viewers' coarse places)."""
    published.report_day(session, day)
    built = daily.build(session, day, packs.owner(session, pack))
    report = privacy.report_for(VIEWER, request, built)
    response = HTMLResponse(reports.render_html(session, report))
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


@route(router, "GET", "/public/release/{name}", "published", response_class=FileResponse)
def public_release_file(name: str, session: Session = Depends(db)) -> Any:
    """Return a file of the last release, as long as it is unchanged since it was released."""
    path = published.release_file(session, name)
    suffix = path.suffix
    media = MEDIA.get(
        suffix, "application/geo+json" if suffix == ".geojson" else "application/octet-stream"
    )
    return FileResponse(path, media_type=media, filename=name)
