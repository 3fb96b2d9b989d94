"""Search over HTTP: ``GET /api/v1/search`` and the ``/search`` page (with its JSON twin)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from accord.search.service import SearchFilter, search, snippet_parts
from accord.web.deps import db
from accord.web.pages import page_for
from accord.web.routing import route

api = APIRouter(prefix="/api/v1")
pages = APIRouter()
page = page_for(pages)


def _filter(
    q: str,
    scope: str = "all",
    issue: str | None = None,
    holder: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    publisher: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchFilter:
    return SearchFilter(
        query=q,
        scope=scope,
        issue=issue or None,
        holder=holder or None,
        kind=kind or None,
        state=state or None,
        publisher=publisher or None,
        start=start,
        end=end,
        limit=limit,
        offset=offset,
    )


def _hits(session: Session, f: SearchFilter) -> dict[str, Any]:
    result = search(session, f)
    return {
        "query": result.query,
        "total": result.total,
        "limit": f.limit,
        "offset": f.offset,
        "hits": [
            {
                **h.__dict__,
                "snippet": "".join(t for t, _ in snippet_parts(h.snippet)),
                "runs": [{"text": t, "match": m} for t, m in snippet_parts(h.snippet)],
            }
            for h in result.hits
        ],
    }


@route(api, "GET", "/search", "read")
def search_api(
    q: str,
    scope: str = "all",
    issue: str | None = None,
    holder: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    publisher: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 20,
    offset: int = 0,
    session: Session = Depends(db),
) -> Any:
    """Search sources and claims: ranked hits, each snippet split into runs marking the matches."""
    f = _filter(q, scope, issue, holder, kind, state, publisher, start, end, limit, offset)
    return _hits(session, f)


@page("/search", "read", "search.html")
def search_page(
    q: str = "",
    scope: str = "all",
    issue: str | None = None,
    holder: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    publisher: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    offset: int = 0,
    session: Session = Depends(db),
) -> dict[str, Any]:
    """Return the search form and, when there is a query, its results."""
    f = _filter(q, scope, issue, holder, kind, state, publisher, start, end, 20, offset)
    form = {k: v for k, v in f.__dict__.items() if k not in ("limit",)}
    if not q.strip():
        return {"form": form, "result": None, "pages": {}}
    result = _hits(session, f)
    return {"form": form, "result": result, "pages": _pages(form, offset, result["total"])}


def _pages(form: dict[str, Any], offset: int, total: int) -> dict[str, str | None]:
    """Return the links to the previous and next page of results."""
    keep = {"q": form["query"], **{k: v for k, v in form.items() if k not in ("query", "offset")}}
    keep = {k: v for k, v in keep.items() if v not in (None, "")}

    def at(where: int) -> str:
        return "/search?" + urlencode({**keep, "offset": where})

    return {
        "previous": at(max(offset - 20, 0)) if offset > 0 else None,
        "next": at(offset + 20) if offset + 20 < total else None,
    }
