"""Server-rendered pages; each has a JSON twin at the same path plus ``.json``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.orm import Session

from accord.actors import service as actors
from accord.agreements import diff as diffing
from accord.agreements import service as agreements
from accord.claims import service as claims
from accord.claims.schemas import ClaimRead
from accord.errors import InvalidInput
from accord.incidents import service as incidents
from accord.incidents import workflow
from accord.issues import service as issues
from accord.negotiation import service as negotiation
from accord.negotiation import timeline
from accord.reports import daily, svg
from accord.sources import service as sources
from accord.sources.schemas import SourceDetail
from accord.territory import service as territory
from accord.web import privacy
from accord.web.api import Review, apply_review
from accord.web.cache import incident_count
from accord.web.deps import Principal, db, principal
from accord.web.routing import route
from accord.zones import service as zones

router = APIRouter()
# Escaped whatever a template's name: Starlette's default escapes only by file suffix.
templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=True)
)


def page(
    path: str, permission: str, template: str
) -> Callable[[Callable[..., dict[str, Any]]], Any]:
    """Register a page and its JSON twin; the handler returns the page's data."""

    def register(build: Callable[..., dict[str, Any]]) -> Any:
        def html(
            request: Request,
            who: Principal = Depends(principal),
            data: dict[str, Any] = Depends(build),
        ) -> Response:
            if "application/json" in request.headers.get(
                "accept", ""
            ) and "text/html" not in request.headers.get("accept", ""):
                return JSONResponse(jsonable_encoder(data))
            return templates.TemplateResponse(request, template, {"who": who, **data})

        def twin(data: dict[str, Any] = Depends(build)) -> Response:
            return JSONResponse(jsonable_encoder(data))

        html.__name__ = build.__name__ + "_page"
        twin.__name__ = build.__name__ + "_json"
        # the twin first: "/issues/{issue_id}" would also match "/issues/x.json" (issue "x.json")
        route(router, "GET", path + ".json", permission)(twin)
        route(router, "GET", path, permission, response_class=HTMLResponse)(html)
        return build

    return register


@route(router, "GET", "/", "public")
def home() -> Response:
    """Go to the board."""
    return RedirectResponse("/board", status_code=303)


@page("/board", "read", "board.html")
def board_data(as_of: dt.date | None = None, session: Session = Depends(db)) -> dict[str, Any]:
    """Return the negotiation board."""
    return {"board": negotiation.board(session, as_of=as_of)}


@page("/issues/{issue_id}", "read", "issue.html")
def issue_data(issue_id: str, session: Session = Depends(db)) -> dict[str, Any]:
    """Return an issue's timeline."""
    return {"issue": issue_id, "entries": timeline.issue_timeline(session, issue_id)}


def highlight(text: str, items: list[ClaimRead]) -> list[dict[str, Any]]:
    """Split a text into plain and highlighted segments, one highlight per distinct span."""
    spans: dict[tuple[int, int], list[ClaimRead]] = {}
    segments: list[dict[str, Any]] = []
    for c in items:
        if 0 <= c.span_start < c.span_end <= len(text):
            spans.setdefault((c.span_start, c.span_end), []).append(c)
    cursor = 0
    for (start, end), group in sorted(spans.items()):
        if start < cursor:
            continue  # overlaps the previous highlight; its claims are still listed below
        if start > cursor:
            segments.append({"text": text[cursor:start], "claims": []})
        segments.append({"text": text[start:end], "claims": [c.id for c in group]})
        cursor = end
    segments.append({"text": text[cursor:], "claims": []})
    return segments


@page("/sources/{source_id}", "read", "source.html")
def source_data(source_id: int, session: Session = Depends(db)) -> dict[str, Any]:
    """Return a source's text with its claims highlighted."""
    source = SourceDetail.model_validate(sources.get(session, source_id))
    rows, _total = claims.list_claims(session, source_id=source_id, limit=10_000)
    items = [ClaimRead.model_validate(r) for r in rows]
    return {"source": source, "claims": items, "segments": highlight(source.text, items)}


QUEUE_PAGE = 50
CLAIM_KINDS = ("position", "status", "proposal", "event")


@page("/review", "analyst", "review.html")
def review_data(
    source: int | None = None,
    kind: str | None = None,
    offset: int = Query(0, ge=0),
    session: Session = Depends(db),
) -> dict[str, Any]:
    """Return the review queue: unreviewed claims, lowest confidence first."""
    if kind is not None and kind not in CLAIM_KINDS:
        raise InvalidInput(f"kind: unknown claim kind {kind!r} (use {', '.join(CLAIM_KINDS)})")
    rows, total = claims.review_queue(
        session, source_id=source, kind=kind or None, limit=QUEUE_PAGE, offset=offset
    )
    return {
        "total": total,
        "offset": offset,
        "limit": QUEUE_PAGE,
        "source": source,
        "kind": kind,
        "items": [ClaimRead.model_validate(r) for r in rows],
        "issues": [i.id for i in issues.list_issues(session)],
        "holders": [a.id for a in actors.list_actors(session) if a.kind != "person"],
    }


def _back(back: str | None, source_id: int, claim_id: int, following: int | None) -> str:
    """Return where a review form leads back to: the queue it came from, or the source page.

    Either way the answer names the reviewed claim (``done``) and the row that was below it
    (``next``), so the page can put the keyboard focus back where the work goes on.
    """
    marks = urlencode([("done", claim_id)] + ([("next", following)] if following else []))
    if back and back.startswith("/review") and not back.startswith("/review/"):
        # a path on this site only: never another host
        anchor = f"#claim-{following}" if following else ""
        return f"{back}{'&' if '?' in back else '?'}{marks}{anchor}"
    return f"/sources/{source_id}?{marks}#claim-{claim_id}"


@route(router, "POST", "/claims/{claim_id}/review", "analyst")
def review_form(
    claim_id: int,
    action: str = Form(...),
    source_id: int = Form(...),
    stance: str | None = Form(None),
    status: str | None = Form(None),
    issue: str | None = Form(None),
    holder: str | None = Form(None),
    reason: str | None = Form(None),
    back: str | None = Form(None),
    following: int | None = Form(None),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Response:
    """Accept, reject or correct a claim from the source page or the review queue."""
    apply_review(
        session,
        claim_id,
        Review(
            action=action,
            stance=stance or None,
            status=status or None,
            issue=issue or None,
            holder=holder or None,
            reason=reason or None,
        ),
        who.name or "web",
    )
    return RedirectResponse(_back(back, source_id, claim_id, following), status_code=303)


@page("/incidents", "read", "incidents.html")
def incidents_data(
    request: Request,
    status: str | None = None,
    type: str | None = None,
    offset: int = 0,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return the incident queue (viewers see coarse places)."""
    filters = incidents.IncidentFilter(status=status, type=type)
    rows = incidents.rows_of_incidents(session, filters, limit=50, offset=max(offset, 0))
    total = incident_count(request, session, filters)
    return {
        "total": total,
        "offset": offset,
        "status": status,
        "type": type,
        "items": privacy.incidents_for(who, request, rows),
    }


@route(router, "POST", "/incidents/{incident_id}/transition", "council")
def transition_form(
    incident_id: int,
    to: str = Form(...),
    reason: str | None = Form(None),
    back: str = Form(""),
    following: int | None = Form(None),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Response:
    """Move an incident through the workflow from the queue, and go back to its row."""
    workflow.transition(session, incident_id, to, by=who.name or "web", reason=reason or None)
    return RedirectResponse(queue_return(back, incident_id, following), status_code=303)


QUEUE_KEEPS = ("status", "type", "offset")


def queue_return(back: str, incident_id: int, following: int | None) -> str:
    """Return the queue URL to go back to: the same filters and page, marked with the row acted on.

    ``back`` is the query string the queue was shown with; only its filter and page parameters
    are kept, so the answer always stays on this site's queue. ``following`` is the row below,
    where focus goes when the moved incident no longer matches the filter.
    """
    kept = [(k, v) for k, v in parse_qsl(back) if k in QUEUE_KEEPS and v]
    marks = [("done", str(incident_id))] + ([("next", str(following))] if following else [])
    query = urlencode(kept + marks)
    return f"/incidents?{query}#incident-{incident_id}"


@page("/map", "read", "map.html")
def map_data(
    request: Request,
    date: dt.date | None = None,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Zones and incidents on a map (viewers see coarse places)."""
    day = date or dt.date.today()
    rows, _total = incidents.list_incidents(session, incidents.IncidentFilter(end=day), limit=2000)
    points = [
        privacy.point_for(
            who,
            request,
            {
                "id": r.id,
                "type": r.type,
                "lat": r.latitude,
                "lon": r.longitude,
                "status": r.status,
                "occurred_at": r.occurred_at,
            },
        )
        for r in rows
    ]
    in_force = [z for z in zones.list_zones(session) if zones.in_force(z, day)]
    shapes = [(z.id, z.kind, zones.geometry_of(z)) for z in in_force]
    bounds = (22.0, 44.0, 41.0, 53.0)
    if shapes or points:
        import shapely

        geoms = [g for _i, k, g in shapes if k != "admin_area"] + list(
            shapely.points([(p["lon"], p["lat"]) for p in points])
        )
        if geoms:
            x1, y1, x2, y2 = shapely.bounds(shapely.union_all(geoms))
            bounds = (x1 - 0.5, y1 - 0.5, x2 + 0.5, y2 + 0.5)
    return {
        "date": day,
        "zones": [z.id for z in in_force],
        "incidents": points,
        "svg": svg.map_svg(shapes, points, bounds, width=900, link="incident-"),
    }


@page("/reports/daily", "read", "report.html")
def report_data(
    date: dt.date,
    request: Request,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return the daily report (viewers see coarse places)."""
    return {"report": privacy.report_for(who, request, daily.build(session, date))}


@page("/events", "read", "events.html")
def events_data(session: Session = Depends(db)) -> dict[str, Any]:
    """Meetings, calls and talks, by date."""
    return {"events": timeline.events(session)}


@page("/agreements", "read", "agreements.html")
def agreements_data(
    old: str | None = None, new: str | None = None, session: Session = Depends(db)
) -> dict[str, Any]:
    """Drafts, and the diff of two of them."""
    overview = agreements.overview(session)
    drafts = [d["id"] for a in overview for d in a["drafts"]]
    if old is None and len(drafts) >= 2:
        old, new = drafts[0], drafts[1]
    result = diffing.diff_drafts(session, old, new) if old and new else None
    return {"agreements": overview, "diff": result}


@page("/territory", "read", "territory.html")
def territory_data(
    p: list[str] | None = None, as_of: dt.date | None = None, session: Session = Depends(db)
) -> dict[str, Any]:
    """Territorial proposals side by side."""
    specs, country = territory.pack_proposals(session)
    ids = p or [s.id for s in specs]
    day = as_of or dt.date.today()
    return {"as_of": day, "results": territory.compare(session, specs, ids, day, {}, country)}
