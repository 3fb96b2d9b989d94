"""The feeds page (admins): each watched feed with its health; JSON twin at ``/feeds.json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.feeds import service
from accord.feeds.schemas import FeedView
from accord.web.deps import db
from accord.web.pages import page_for

pages = APIRouter()
page = page_for(pages)


@page("/feeds", "admin", "feeds.html")
def feeds_data(session: Session = Depends(db)) -> dict[str, Any]:
    """Return every watched feed with its health (last success, last error, items seen)."""
    feeds = [FeedView.model_validate(f) for f in service.list_feeds(session)]
    return {
        "feeds": [{**f.model_dump(), "healthy": f.healthy} for f in feeds],
        "failing": sum(1 for f in feeds if not f.healthy),
    }
