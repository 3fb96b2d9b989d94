"""The weekly brief over HTTP: ``/api/v1/reports/weekly`` (JSON, HTML) and its ``/reports/weekly`` page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from accord.reports import daily, weekly
from accord.reports import service as reports
from accord.web.deps import db
from accord.web.pages import page_for
from accord.web.routing import route

api = APIRouter(prefix="/api/v1")
pages = APIRouter()
page = page_for(pages)
# the brief's own policy (also in its meta tag), and only our pages may frame it
BRIEF_CSP = reports.REPORT_CSP + "; frame-ancestors 'self'"


@route(api, "GET", "/reports/weekly", "read", response_model=weekly.WeeklyBrief)
def weekly_brief(date: dt.date, session: Session = Depends(db)) -> Any:
    """Return the weekly brief of the week ending on ``date``: changes, events, deadlines, numbers."""
    return weekly.build(session, date)


@route(api, "GET", "/reports/weekly.html", "read", response_class=HTMLResponse)
def weekly_brief_html(date: dt.date, session: Session = Depends(db)) -> Any:
    """Return the weekly brief as a standalone page (inline styles only, no scripts)."""
    response = HTMLResponse(reports.render_weekly_html(session, weekly.build(session, date)))
    response.headers["Content-Security-Policy"] = BRIEF_CSP
    return response


@page("/reports/weekly", "read", "weekly.html")
def weekly_page(date: dt.date | None = None, session: Session = Depends(db)) -> dict[str, Any]:
    """Return the week shown (default: the week ending on the latest day with incidents)."""
    day = date or daily.latest_day(session) or dt.date.today()
    return {"day": day, "start": day - dt.timedelta(days=weekly.WEEK_DAYS - 1)}
