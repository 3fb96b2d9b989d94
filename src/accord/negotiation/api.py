"""What changed on the board over HTTP: ``GET /api/v1/board/diff`` and the ``/board/diff`` page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.negotiation import changes
from accord.web.deps import db
from accord.web.pages import page_for
from accord.web.routing import route

api = APIRouter(prefix="/api/v1")
pages = APIRouter()
page = page_for(pages)


@route(api, "GET", "/board/diff", "read", response_model=changes.BoardDiff)
def board_diff_api(
    start: dt.date, end: dt.date | None = None, session: Session = Depends(db)
) -> Any:
    """Return the stances and statuses that changed between two dates, with their claims."""
    return changes.board_diff(session, start, end or dt.date.today())


@page("/board/diff", "read", "board_diff.html")
def board_diff_page(
    start: dt.date | None = None, end: dt.date | None = None, session: Session = Depends(db)
) -> dict[str, Any]:
    """Return the board's changes between two dates (default: the last 30 days)."""
    last = end or dt.date.today()
    first = start or last - dt.timedelta(days=30)
    return {"diff": changes.board_diff(session, first, last)}
