"""``GET /api/v1/exports/{dataset}``: the datasets of ``accord export`` as files, per role.

Viewers get what the API shows them elsewhere: coordinates snapped to the viewer grid and no
reporter. The sources' text comes only with ``with_text=true`` and only for the roles that
work with sources (not viewers).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from accord.exports import datasets
from accord.exports.query import ExportQuery
from accord.packs import choice as packs
from accord.web import privacy
from accord.web.deps import Principal, db, principal
from accord.web.routing import route

router = APIRouter(prefix="/api/v1")

MEDIA_TYPES = {
    "csv": "text/csv",
    "acled": "text/csv",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "geoparquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
SUFFIXES = {"acled": "acled.csv", "geoparquet": "geo.parquet"}


def query_for(who: Principal, request: Request, **filters: Any) -> ExportQuery:
    """Return the export query for a caller: exact for privileged roles, coarse for viewers."""
    exact = privacy.sees_exact(who)
    if filters.get("with_text") and not exact:
        raise HTTPException(status_code=403, detail="the sources' text is not shown to viewers")
    return ExportQuery(
        **filters, exact=exact, step=0.0 if exact else request.app.state.settings.viewer_coarsen_deg
    )


@route(router, "GET", "/exports/{dataset}", "read", response_class=FileResponse)
def export_dataset(
    dataset: str,
    request: Request,
    format: str = "csv",
    start: dt.date | None = Query(None, alias="from"),
    end: dt.date | None = Query(None, alias="to"),
    zone: str | None = None,
    status: str | None = None,
    type: str | None = None,
    pack: str | None = None,
    with_text: bool = False,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Return one dataset as a file (csv, json, parquet; geojson, geoparquet; acled)."""
    datasets.check_format(dataset, format)
    if pack is not None:
        packs.resolve(session, pack)  # a pack that is not loaded is refused, naming the loaded
    query = query_for(
        who,
        request,
        start=start,
        end=end,
        zone=zone,
        status=status,
        type=type,
        pack=pack,
        with_text=with_text,
    )
    fd, name = tempfile.mkstemp(prefix="accord-export-")
    os.close(fd)
    path = Path(name)
    try:
        datasets.export(session, dataset, path, format, query)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    filename = f"{dataset}.{SUFFIXES.get(format, format)}"
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[format],
        filename=filename,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
