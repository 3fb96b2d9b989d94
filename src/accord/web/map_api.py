"""GeoJSON endpoints of the interactive map: the basemap layers and the incidents of a window.

``/api/v1/map/layers`` answers every basemap layer in force on a date in one response (cached per
data version and date: the proposals take a second or two on real outlines).
``/api/v1/map/incidents`` answers the incidents of the ``days`` days ending on ``date`` inside a
bounding box, as points or, when there are many, as grid counts (see ``incidents.mapgrid``).
Viewers get coarsened coordinates, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from accord.incidents import mapgrid
from accord.packs import choice as packs
from accord.territory import layers
from accord.web import privacy
from accord.web.deps import Principal, db, principal
from accord.web.routing import route

router = APIRouter(prefix="/api/v1/map")
GEOJSON = "application/geo+json"


@route(router, "GET", "/layers", "read")
def map_layers(
    request: Request,
    date: dt.date | None = None,
    session: Session = Depends(db),
) -> Response:
    """Return the basemap layers in force on a date (oblasts, occupied area, line, zones, proposals, settlements)."""
    day = date or dt.date.today()
    body = request.app.state.cache.get(
        session,
        ("map-layers", day),
        lambda: json.dumps(layers.build(session, day), separators=(",", ":")).encode(),
    )
    return Response(body, media_type="application/json")


@route(
    router,
    "GET",
    "/incidents",
    "read",
    response_class=Response,
    responses={200: {"description": "A GeoJSON FeatureCollection.", "content": {GEOJSON: {}}}},
)
def map_incidents(
    request: Request,
    date: dt.date | None = None,
    days: int = Query(30, ge=1, le=mapgrid.MAX_DAYS),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    zoom: int = Query(6, ge=0, le=20),
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Response:
    """Return a pack's incidents of the ``days`` days ending on ``date`` as GeoJSON (points or cells)."""
    step = None if privacy.sees_exact(who) else request.app.state.settings.viewer_coarsen_deg
    collection = mapgrid.layer(
        session,
        date or dt.date.today(),
        days,
        bbox=mapgrid.parse_bbox(bbox),
        zoom=zoom,
        coarsen_deg=step,
        pack=packs.owner(session, pack),
    )
    return Response(json.dumps(collection, separators=(",", ":")), media_type=GEOJSON)
