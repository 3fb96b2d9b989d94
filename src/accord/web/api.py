"""REST API under /api/v1: thin handlers calling one service each."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from accord import __version__
from accord.agreements import diff as diffing
from accord.agreements import implementation, links
from accord.agreements import service as agreements
from accord.claims import service as claims
from accord.claims import workflow as review
from accord.claims.schemas import ClaimRead
from accord.council import service as council
from accord.errors import InvalidInput
from accord.incidents import importing, workflow
from accord.incidents import service as incidents
from accord.incidents.rows import build_incident, parse_when
from accord.incidents.schemas import IncidentOut, IncidentPage
from accord.negotiation import service as negotiation
from accord.negotiation import timeline
from accord.negotiation.schemas import Board
from accord.packs import service as packs
from accord.reports import daily
from accord.reports import service as reports
from accord.sources import service as sources
from accord.sources.blobs import BlobStore
from accord.sources.schemas import SourceDetail, SourceSummary
from accord.territory import service as territory
from accord.web import privacy, uploads
from accord.web.cache import VersionedCache, cached_body, incident_count
from accord.web.deps import Principal, db, principal
from accord.web.routing import route
from accord.zones import service as zones

router = APIRouter(prefix="/api/v1")
# the settings (environment variables) that bound uploads, named in the 413 answer
SOURCE_LIMIT_SETTING = "ACCORD_MAX_FILE_BYTES"
IMPORT_LIMIT_SETTING = "ACCORD_MAX_IMPORT_BYTES"
# the report's own policy (also in its meta tag), and only we may frame it
REPORT_CSP = reports.REPORT_CSP + "; frame-ancestors 'self'"


@route(router, "GET", "/health", "public")
def health() -> dict[str, str]:
    """Say the service is up."""
    return {"status": "ok", "version": __version__}


def _json(model: BaseModel | bytes) -> Response:
    """Answer with a model serialised by Pydantic's own JSON encoder (or JSON bytes)."""
    body = model if isinstance(model, bytes) else model.model_dump_json().encode()
    return Response(body, media_type="application/json")


@route(router, "GET", "/board", "read", response_model=Board)
async def board(
    request: Request,
    as_of: dt.date | None = None,
    pack: str | None = None,
    session: Session = Depends(db),
) -> Any:
    """Return one pack's negotiation board (kept between requests until anything changes)."""
    day = as_of or dt.date.today()  # one date for the key and the board, even at midnight
    cache: VersionedCache = request.app.state.cache
    key = ("board", day, pack)
    return _json(
        await cached_body(
            cache,
            session,
            key,
            lambda: negotiation.board(session, as_of=day, pack=pack).model_dump_json().encode(),
        )
    )


@route(router, "GET", "/issues/{issue_id}/timeline", "read")
def issue_timeline(issue_id: str, pack: str | None = None, session: Session = Depends(db)) -> Any:
    """Every claim and event of one pack on an issue, in date order."""
    return timeline.issue_timeline(session, issue_id, pack=pack)


@route(router, "GET", "/events", "read")
def events(
    as_of: dt.date | None = None,
    upcoming: bool = False,
    pack: str | None = None,
    session: Session = Depends(db),
) -> Any:
    """One pack's meetings, calls and talks."""
    return timeline.events(session, as_of=as_of, upcoming=upcoming, pack=pack)


@route(router, "GET", "/sources", "read")
def list_sources(
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    session: Session = Depends(db),
) -> Any:
    """Return a page of sources and the total."""
    rows, total = sources.list_sources(session, limit=limit, offset=offset)
    return {"total": total, "items": [SourceSummary.model_validate(r) for r in rows]}


@route(router, "GET", "/sources/{source_id}", "read")
def get_source(source_id: int, session: Session = Depends(db)) -> Any:
    """One source with its text."""
    return SourceDetail.model_validate(sources.get(session, source_id))


@route(router, "POST", "/sources", "analyst", status_code=201)
def upload_source(
    request: Request,
    file: UploadFile = File(...),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Ingest an uploaded document (extracting its claims)."""
    settings = request.app.state.settings
    name = uploads.upload_name(file.filename, "upload.txt")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        uploads.save_upload(file, folder / name, settings.max_file_bytes, SOURCE_LIMIT_SETTING)
        with uploads.naming_the_upload(folder, name):
            source, added, n_claims = sources.ingest_path(
                session,
                folder / name,
                by=who.name or "api",
                blobs=BlobStore(settings.blob_dir),
                max_bytes=settings.max_file_bytes,
            )
    return {"source": SourceSummary.model_validate(source), "added": added, "claims": n_claims}


@route(router, "GET", "/claims", "read")
def list_claims(
    source: int | None = None,
    state: str | None = None,
    limit: int = Query(500, ge=1, le=10_000),
    offset: int = Query(0, ge=0),
    session: Session = Depends(db),
) -> Any:
    """Claims, by source and position."""
    rows, total = claims.list_claims(
        session, source_id=source, state=state, limit=limit, offset=offset
    )
    return {"total": total, "items": [ClaimRead.model_validate(r) for r in rows]}


class Review(BaseModel):
    """A review decision on a claim."""

    action: str
    reason: str | None = None
    stance: str | None = None
    status: str | None = None
    holder: str | None = None
    issue: str | None = None
    date: dt.date | None = None


@route(router, "POST", "/claims/{claim_id}/review", "analyst")
def review_claim(
    claim_id: int, body: Review, session: Session = Depends(db), who: Principal = Depends(principal)
) -> Any:
    """Accept, reject or correct a claim."""
    return ClaimRead.model_validate(apply_review(session, claim_id, body, who.name or "api"))


def apply_review(session: Session, claim_id: int, body: Review, by: str) -> Any:
    """Run one review action (shared by the API and the form)."""
    if body.action == "accept":
        return review.accept(session, claim_id, by=by)[0]
    if body.action == "reject":
        return review.reject(session, claim_id, by=by, reason=body.reason)[0]
    if body.action == "correct":
        change = review.Correction(
            issue=body.issue,
            holder=body.holder,
            stance=body.stance,
            status=body.status,
            date=body.date,
            note=body.reason,
        )
        return review.correct(session, claim_id, change, by=by)
    raise InvalidInput(f"action: unknown review action {body.action!r} (accept, reject, correct)")


@route(router, "GET", "/agreements", "read")
def list_agreements(pack: str | None = None, session: Session = Depends(db)) -> Any:
    """One pack's agreements and their drafts."""
    return agreements.overview(session, pack=pack)


@route(router, "GET", "/drafts/{draft_id}", "read")
def get_draft(draft_id: str, session: Session = Depends(db)) -> Any:
    """Return a draft with its provisions linked to the board."""
    return links.draft_view(session, draft_id)


@route(router, "GET", "/drafts/{old}/diff/{new}", "read")
def diff_drafts(old: str, new: str, session: Session = Depends(db)) -> Any:
    """Return the diff of two drafts."""
    return diffing.diff_drafts(session, old, new)


@route(router, "GET", "/drafts/{draft_id}/status", "read")
def draft_status(
    draft_id: str, as_of: dt.date | None = None, session: Session = Depends(db)
) -> Any:
    """Return the implementation status of a signed draft."""
    return implementation.draft_status(session, draft_id, as_of)


@route(router, "GET", "/incidents", "read", response_model=IncidentPage)
async def list_incidents(
    request: Request,
    start: dt.date | None = Query(None, alias="from"),
    end: dt.date | None = Query(None, alias="to"),
    type: str | None = None,
    zone: str | None = None,
    status: str | None = None,
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Return a page of a pack's incidents with filters, and the total (viewers see coarse places).

    Pages are kept until anything stored changes, so a queue that many monitors watch is
    read from the database once per change.
    """
    filters = incidents.IncidentFilter(
        start=start, end=end, type=type, zone=zone, status=status, pack=packs.owner(session, pack)
    )
    cache: VersionedCache = request.app.state.pages
    key = ("incident-page", filters, limit, offset, privacy.sees_exact(who))
    return _json(
        await cached_body(
            cache,
            session,
            key,
            lambda: _incident_page(request, session, who, filters, limit, offset),
        )
    )


def _incident_page(
    request: Request,
    session: Session,
    who: Principal,
    filters: incidents.IncidentFilter,
    limit: int,
    offset: int,
) -> bytes:
    rows = incidents.rows_of_incidents(session, filters, limit=limit, offset=offset)
    total = incident_count(request, session, filters)
    page = IncidentPage(
        total=total, limit=limit, offset=offset, items=privacy.incidents_for(who, request, rows)
    )
    return page.model_dump_json().encode()


class IncidentBody(BaseModel):
    """An incident filed over the API."""

    type: str
    latitude: float
    longitude: float
    occurred_at: str
    sub_type: str | None = None
    time_precision: str = "day"
    location_precision: str = "exact"
    alleged_perpetrator: str | None = None
    notes: str | None = None


@route(router, "POST", "/incidents", "monitor", status_code=201)
def create_incident(
    body: IncidentBody,
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """File an incident for a pack."""
    data = build_incident(
        {
            **body.model_dump(),
            "occurred_at": parse_when(body.occurred_at, "occurred_at"),
            "reporter": who.name,
        }
    )
    return IncidentOut.model_validate(
        incidents.create(session, data, by=who.name or "api", pack=pack)
    )


@route(router, "GET", "/incidents/{incident_id}", "read")
def get_incident(
    incident_id: int,
    request: Request,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """One incident with zone hits and violation candidates (viewers see coarse places)."""
    return privacy.incident_for(who, request, incidents.detail(session, incident_id))


class Transition(BaseModel):
    """A workflow transition."""

    to: str
    reason: str | None = None
    attribute: str | None = None
    confidence: float | None = None


@route(router, "POST", "/incidents/{incident_id}/transition", "council")
def transition(
    incident_id: int,
    body: Transition,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Move an incident through the verification workflow."""
    done = workflow.transition(
        session,
        incident_id,
        body.to,
        by=who.name or "api",
        reason=body.reason,
        attributed_to=body.attribute,
        confidence=body.confidence,
    )
    return IncidentOut.model_validate(done)


class RulingBody(BaseModel):
    """A council ruling."""

    outcome: str
    votes: dict[str, str]
    published_on: dt.date
    party: str | None = None
    reasoning: str | None = None


@route(router, "POST", "/incidents/{incident_id}/rulings", "council", status_code=201)
def rule(
    incident_id: int,
    body: RulingBody,
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Record the council's ruling on a verified incident."""
    ruling = council.rule(
        session,
        incident_id,
        body.outcome,
        body.votes,
        body.published_on,
        by=who.name or "api",
        party=body.party,
        reasoning=body.reasoning,
    )
    return {"id": ruling.id, "incident": incident_id, "outcome": ruling.outcome}


@route(router, "POST", "/incidents/import", "monitor")
def import_incidents(
    request: Request,
    format: str,
    file: UploadFile = File(...),
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    who: Principal = Depends(principal),
    session: Session = Depends(db),
) -> Any:
    """Import an uploaded ACLED, UCDP, GeoJSON or CSV file into a pack."""
    from accord.db.session import commit_so_far, session_scope

    url = request.app.state.db_url
    chosen = packs.resolve(session, pack)
    area = chosen.area_of_interest if chosen else None
    owner = chosen.id if chosen else None
    # End the request's own transaction first: on SQLite it holds the write lock (BEGIN
    # IMMEDIATE), which the import's per-batch transactions below must take.
    commit_so_far(session)
    name = uploads.upload_name(file.filename, "upload.csv")
    limit = request.app.state.settings.max_import_bytes
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        uploads.save_upload(file, folder / name, limit, IMPORT_LIMIT_SETTING)
        with uploads.naming_the_upload(folder, name):
            summary = importing.run_import(
                folder / name,
                format,
                area=area,
                by=who.name or "api",
                open_session=lambda: session_scope(url),
                pack=owner,
            )
    return {
        k: getattr(summary, k) for k in ("rows", "inserted", "updated", "unchanged", "rejected")
    } | {"problems": [p.__dict__ for p in summary.problems[:100]]}


@route(router, "GET", "/zones", "read")
def list_zones(
    kind: str | None = None,
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    session: Session = Depends(db),
) -> Any:
    """Return a pack's zones as a GeoJSON FeatureCollection."""
    import shapely

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": z.id,
                "properties": {
                    "kind": z.kind,
                    "pack": z.pack_id,
                    "name": z.name,
                    "valid_from": z.valid_from,
                    "valid_to": z.valid_to,
                },
                "geometry": shapely.geometry.mapping(zones.geometry_of(z)),
            }
            for z in zones.list_zones(session, kind, packs.owner(session, pack))
        ],
    }


@route(router, "GET", "/territory/compare", "read")
def compare_territory(
    p: list[str] = Query(...), as_of: dt.date | None = None, session: Session = Depends(db)
) -> Any:
    """Compare territorial proposals."""
    specs, country = territory.pack_proposals(session)
    return territory.compare(session, specs, p, as_of or dt.date.today(), {}, country)


@route(router, "GET", "/reports/daily", "read")
def daily_report(
    date: dt.date,
    request: Request,
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Return a pack's daily report numbers (viewers see coarse places)."""
    report = daily.build(session, date, packs.owner(session, pack))
    return privacy.report_for(who, request, report)


@route(router, "GET", "/reports/daily.html", "read", response_class=HTMLResponse)
def daily_report_html(
    date: dt.date,
    request: Request,
    pack: str | None = Query(None, description="A loaded pack's id (default: the default pack)."),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Any:
    """Return a pack's daily report as a page (viewers see coarse places)."""
    built = daily.build(session, date, packs.owner(session, pack))
    report = privacy.report_for(who, request, built)
    response = HTMLResponse(reports.render_html(session, report))
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response
