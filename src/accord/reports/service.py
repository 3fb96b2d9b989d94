"""Write the daily report and the weekly brief as HTML (and PDF), store hash and bytes, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import shapely
from jinja2 import Environment, PackageLoader
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import __version__
from accord.audit import service as audit
from accord.errors import InvalidInput
from accord.packs import service as packs
from accord.reports import daily, svg, weekly
from accord.reports.models import ReportArtifact
from accord.sources.blobs import BlobStore
from accord.zones import service as zones
from accord.zones.models import Zone

MAP_KINDS = (
    "admin_area",
    "occupied_area",
    "dmz",
    "line_of_contact",
    "exclusion_zone",
    "security_zone",
    "free_economic_zone",
)
MAP_MARGIN = 0.5
# Every template is escaped, whatever its name: report values come from monitors and imports.
TEMPLATES = Environment(loader=PackageLoader("accord.reports", "templates"), autoescape=True)
# A written report is a standalone document: its own inline styles and data images, no scripts,
# no fetches. The same policy goes in the page's meta tag and in the API's response header.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(session: Session, report: daily.DailyReport) -> str:
    """Render a daily report as a self-contained HTML page (inline CSS and SVG), for its pack."""
    pack = packs.resolve(session, report.pack)
    query = select(Zone).where(Zone.kind.in_(MAP_KINDS))
    if report.pack:
        query = query.where(Zone.pack_id == report.pack)
    in_force = [z for z in session.scalars(query) if zones.in_force(z, report.date)]
    area = _map_bounds(in_force, report, pack.area_of_interest if pack is not None else None)
    map_markup = svg.map_svg(
        [(z.id, z.kind, zones.geometry_of(z)) for z in in_force],
        report.incidents,
        (area[0], area[1], area[2], area[3]),
    )
    return TEMPLATES.get_template("daily.html.j2").render(
        r=report,
        csp=REPORT_CSP,
        version=__version__,
        pack=pack.name if pack else "no pack",
        trend_svg=svg.trend_chart(report.trend),
        map_svg=map_markup,
    )


def pdf_bytes(html: str) -> bytes:
    """Render report HTML to PDF, fetching nothing: no file, no network, only inline data."""
    # imported on demand: WeasyPrint loads system libraries
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    return HTML(string=html, url_fetcher=fetcher).write_pdf() or b""


def _map_bounds(
    in_force: list[Zone], report: daily.DailyReport, area_of_interest: list[float] | None
) -> list[float]:
    """Frame the map on the day's incidents and the zones (not admin areas), with a margin."""
    shapes = [zones.geometry_of(z) for z in in_force if z.kind != "admin_area"]
    shapes += list(shapely.points([(i["lon"], i["lat"]) for i in report.incidents]))
    if not shapes:
        return list(area_of_interest) if area_of_interest else [-180.0, -85.0, 180.0, 85.0]
    min_x, min_y, max_x, max_y = shapely.bounds(shapely.union_all(shapes))
    return [min_x - MAP_MARGIN, min_y - MAP_MARGIN, max_x + MAP_MARGIN, max_y + MAP_MARGIN]


def write_daily(
    session: Session,
    day: dt.date,
    output: Path,
    *,
    by: str,
    blobs: BlobStore,
    pdf: bool = False,
    pack: str | None = None,
) -> list[ReportArtifact]:
    """Write a pack's daily report to ``output`` (and a PDF beside it); return the artifacts.

    ``pack`` names a loaded pack; without it, the default pack.
    """
    if not output.parent.exists():
        raise InvalidInput(f"-o {output}: folder {output.parent} does not exist")
    owner = packs.owner(session, pack)
    report = daily.build(session, day, owner)
    html = render_html(session, report)
    return _store(session, "daily", day, output, html, by, blobs, pdf, owner)


def render_weekly_html(session: Session, brief: weekly.WeeklyBrief) -> str:
    """Render a weekly brief as a self-contained HTML page (inline CSS, no scripts)."""
    pack = packs.current(session)
    return TEMPLATES.get_template("weekly.html.j2").render(
        b=brief, csp=REPORT_CSP, version=__version__, pack=pack.name if pack else "no pack"
    )


def write_weekly(
    session: Session, day: dt.date, output: Path, *, by: str, blobs: BlobStore, pdf: bool = False
) -> list[ReportArtifact]:
    """Write the weekly brief of the week ending on ``day`` (and a PDF); return the artifacts."""
    if not output.parent.exists():
        raise InvalidInput(f"-o {output}: folder {output.parent} does not exist")
    brief = weekly.build(session, day)
    html = render_weekly_html(session, brief)
    return _store(session, "weekly", day, output, html, by, blobs, pdf, packs.owner(session, None))


def _store(
    session: Session,
    kind: str,
    day: dt.date,
    output: Path,
    html: str,
    by: str,
    blobs: BlobStore,
    pdf: bool,
    owner: str | None,
) -> list[ReportArtifact]:
    """Write the HTML (and its PDF), keep their bytes and hashes, and audit each file."""
    files: list[tuple[Path, bytes, str]] = [(output, html.encode("utf-8"), "text/html")]
    if pdf:
        files.append((output.with_suffix(".pdf"), pdf_bytes(html), "application/pdf"))
    artifacts = []
    for path, data, media_type in files:
        digest = hashlib.sha256(data).hexdigest()
        blobs.put(data, digest)
        path.write_bytes(data)
        artifact = ReportArtifact(
            kind=kind,
            report_date=day,
            media_type=media_type,
            path=str(path),
            sha256=digest,
            size_bytes=len(data),
            created_by=by,
            pack_id=owner,
        )
        session.add(artifact)
        session.flush()
        audit.record(
            session,
            by=by,
            action="report.write",
            entity="report",
            entity_id=artifact.id,
            payload={
                "kind": kind,
                "date": day.isoformat(),
                "sha256": digest,
                "media_type": media_type,
                "pack": owner,
            },
        )
        artifacts.append(artifact)
    return artifacts
