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
from accord.db.session import commit_now
from accord.errors import InvalidInput
from accord.feeds import service as feeds
from accord.incidents import mapgrid, workflow
from accord.incidents import service as incidents
from accord.issues import service as issues
from accord.negotiation import service as negotiation
from accord.negotiation import timeline
from accord.packs import service as packs_service
from accord.reports import daily
from accord.sources import service as sources
from accord.sources.readers import parse_date
from accord.sources.schemas import SourceDetail, SourceSummary
from accord.territory import service as territory
from accord.territory import style as map_style
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


def page_for(
    on: APIRouter,
) -> Callable[[str, str, str], Callable[[Callable[..., dict[str, Any]]], Any]]:
    """Return the ``page`` decorator registering pages on a router."""

    def page(
        path: str, permission: str, template: str
    ) -> Callable[[Callable[..., dict[str, Any]]], Any]:
        return _page(on, path, permission, template)

    return page


def _page(
    on: APIRouter, path: str, permission: str, template: str
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
        route(on, "GET", path + ".json", permission)(twin)
        route(on, "GET", path, permission, response_class=HTMLResponse)(html)
        return build

    return register


page = page_for(router)


@route(router, "GET", "/", "public")
def home() -> Response:
    """Go to the board."""
    return RedirectResponse("/board", status_code=303)


@page("/board", "read", "board.html")
def board_data(
    as_of: dt.date | None = None, pack: str | None = None, session: Session = Depends(db)
) -> dict[str, Any]:
    """Return one pack's negotiation board and the loaded packs to choose from."""
    result = negotiation.board(session, as_of=as_of, pack=pack)
    return {"board": result, "packs": pack_choices(session)}


@page("/issues/{issue_id}", "read", "issue.html")
def issue_data(
    issue_id: str, pack: str | None = None, session: Session = Depends(db)
) -> dict[str, Any]:
    """Return an issue's timeline within one pack."""
    entries = timeline.issue_timeline(session, issue_id, pack=pack)
    return {"issue": issue_id, "pack": pack, "entries": entries}


def pack_choices(session: Session) -> list[dict[str, str]]:
    """Return the loaded packs (id and name) for the pack selector."""
    return [{"id": p.id, "name": p.name} for p in packs_service.loaded(session)]


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
        label = "; ".join(
            f"claim {c.id}: {c.kind} {c.holder_id or ','.join(c.participants or [])} "
            f"{c.stance or c.status or c.event_type or ''}".strip()
            for c in group
        )
        marked = sum(1 for seg in segments if seg["claims"])
        segments.append(
            {"text": text[start:end], "claims": [c.id for c in group], "n": marked, "label": label}
        )
        cursor = end
    segments.append({"text": text[cursor:], "claims": []})
    return segments


@page("/sources/{source_id}", "read", "source.html")
def source_data(source_id: int, session: Session = Depends(db)) -> dict[str, Any]:
    """Return a source's text with its claims highlighted."""
    source = SourceDetail.model_validate(sources.get(session, source_id))
    rows, _total = claims.list_claims(session, source_id=source_id, limit=10_000)
    items = [ClaimRead.model_validate(r) for r in rows]
    story = [
        SourceSummary.model_validate(sources.get(session, other))
        for other in feeds.story_members(session, source_id)
    ]
    return {
        "source": source,
        "claims": items,
        "segments": highlight(source.text, items),
        "story": story,
    }


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
    (``next``), so the page can put the keyboard focus back where the work goes on. No
    ``#fragment``: a browser skips ``autofocus`` on a page whose URL targets an element.
    """
    marks = urlencode([("done", claim_id)] + ([("next", following)] if following else []))
    if back and back.startswith("/review") and not back.startswith("/review/"):
        # a path on this site only: never another host
        return f"{back}{'&' if '?' in back else '?'}{marks}"
    return f"/sources/{source_id}?{marks}"


# The two list forms below commit before they answer: the browser follows the redirect at
# once, and the page it loads must show the change it has just made.
@route(router, "POST", "/claims/{claim_id}/review", "analyst")
def review_form(
    claim_id: int,
    action: str = Form(...),
    source_id: int = Form(...),
    stance: str | None = Form(None),
    status: str | None = Form(None),
    issue: str | None = Form(None),
    holder: str | None = Form(None),
    date: str | None = Form(None),
    reason: str | None = Form(None),
    back: str | None = Form(None),
    following: int | None = Form(None),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Response:
    """Accept, reject or correct a claim from the source page, the queue or the claim page."""
    result = apply_review(
        session,
        claim_id,
        Review(
            action=action,
            stance=stance or None,
            status=status or None,
            issue=issue or None,
            holder=holder or None,
            date=parse_date(date, where="date") if date else None,
            reason=reason or None,
        ),
        who.name or "web",
    )
    commit_now(session)
    if back == "claim":  # the claim's own page: show the claim as it now stands
        return RedirectResponse(f"/claims/{result.id}", status_code=303)
    return RedirectResponse(_back(back, source_id, claim_id, following), status_code=303)


@page("/incidents", "read", "incidents.html")
def incidents_data(
    request: Request,
    status: str | None = None,
    type: str | None = None,
    offset: int = 0,
    pack: str | None = None,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return one pack's incident queue (viewers see coarse places)."""
    shown = packs_service.owner(session, pack)
    filters = incidents.IncidentFilter(status=status, type=type, pack=shown)
    rows = incidents.rows_of_incidents(session, filters, limit=50, offset=max(offset, 0))
    total = incident_count(request, session, filters)
    return {
        "total": total,
        "offset": offset,
        "status": status,
        "type": type,
        "pack": shown,
        "packs": pack_choices(session),
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
    commit_now(session)
    return RedirectResponse(queue_return(back, incident_id, following), status_code=303)


QUEUE_KEEPS = ("status", "type", "offset")
MAP_TABLE_ROWS = 1000  # rows of the map page's table; the API pages through the rest


def queue_return(back: str, incident_id: int, following: int | None) -> str:
    """Return the queue URL to go back to: the same filters and page, marked with the row acted on.

    ``back`` is the query string the queue was shown with; only its filter and page parameters
    are kept, so the answer always stays on this site's queue. ``following`` is the row below,
    where focus goes when the moved incident no longer matches the filter.
    """
    kept = [(k, v) for k, v in parse_qsl(back) if k in QUEUE_KEEPS and v]
    marks = [("done", str(incident_id))] + ([("next", str(following))] if following else [])
    query = urlencode(kept + marks)
    return f"/incidents?{query}"  # no #fragment: it would stop the page's autofocus


@page("/map", "read", "map.html")
def map_data(
    request: Request,
    date: dt.date | None = None,
    pack: str | None = None,
    days: int = Query(30, ge=1, le=mapgrid.MAX_DAYS),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return a pack's interactive map of a date, and its incidents as a table (coarse for viewers)."""
    day = date or dt.date.today()
    shown = packs_service.owner(session, pack)
    start, end = mapgrid.window(day, days)
    rows, total = incidents.list_incidents(
        session,
        incidents.IncidentFilter(start=start, end=end, pack=shown),
        limit=MAP_TABLE_ROWS,
    )
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
    in_force = [z for z in zones.list_zones(session, pack=shown) if zones.in_force(z, day)]
    return {
        "date": day,
        "days": days,
        "start": start,
        "pack": shown,
        "packs": pack_choices(session),
        "zones": [z.id for z in in_force],
        "incidents": points,
        "total": total,
        "types": mapgrid.type_counts(session, start, end, shown),
        "style": map_style.web_style(),
        "statuses": list(map_style.STATUS_STYLES),
    }


@page("/reports/daily", "read", "report.html")
def report_data(
    request: Request,
    date: dt.date | None = None,
    pack: str | None = None,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Return a pack's daily report (viewers see coarse places); the latest day with incidents."""
    shown = packs_service.owner(session, pack)
    day = date or daily.latest_day(session, shown) or dt.date.today()
    chosen = {"day": day, "pack": shown, "packs": pack_choices(session)}
    try:
        report = daily.build(session, day, shown)
    except InvalidInput as exc:  # a day with nothing to report: say so on the page
        return {**chosen, "report": None, "message": str(exc)}
    return {**chosen, "report": privacy.report_for(who, request, report), "message": None}


@page("/events", "read", "events.html")
def events_data(session: Session = Depends(db)) -> dict[str, Any]:
    """Meetings, calls and talks, by date."""
    return {"events": timeline.events(session)}


@page("/agreements", "read", "agreements.html")
def agreements_data(
    old: str | None = None,
    new: str | None = None,
    pack: str | None = None,
    session: Session = Depends(db),
) -> dict[str, Any]:
    """One pack's drafts, and the diff of two of them."""
    overview = agreements.overview(session, pack=pack)
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
