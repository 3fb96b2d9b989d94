"""Error answers: problem JSON for programs, an HTML page for a person's browser.

A request gets the page when it asks for HTML (its ``Accept`` names ``text/html``, as every
browser's navigation does) and is not for the API (``/api/...``, the ``.json`` twins, the
schema). The page says what went wrong in the site's own layout; for server errors (5xx) it
says only that the request failed, never the exception or the database's words.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from accord.db.session import session_scope
from accord.web.deps import Principal, _cookie_holder
from accord.web.headers import SECURITY_HEADERS
from accord.web.security import SESSION_COOKIE

log = logging.getLogger("accord.web")

# status -> (heading, what it means for the visitor)
EXPLAINED = {
    400: ("Bad request", "The request could not be read."),
    403: ("Not allowed", "Your role may not open this page or do this."),
    404: ("Not found", "There is no page here, or what it shows does not exist."),
    405: ("Not possible here", "This address does not accept that kind of request."),
    409: ("Conflict", "This clashes with what is stored; nothing was changed."),
    413: ("Too large", "The upload is larger than this site accepts."),
    422: ("Invalid input", "Something in the address or the form is not valid."),
    429: ("Too many attempts", "Wait a little before trying again."),
    500: ("Server error", "Something went wrong on the server; the request was not completed."),
    503: ("Unavailable", "The database cannot be reached just now; try again shortly."),
}
SERVER_ERROR_DETAIL = "the server failed; the error is logged"


def wants_html(request: Request) -> bool:
    """Tell whether an error should be answered with a page (a browser, not the API)."""
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return False
    return "text/html" in request.headers.get("accept", "")


def problem(status: int, title: str, detail: str) -> JSONResponse:
    """Return an RFC 9457 problem detail."""
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


def error_answer(
    request: Request,
    status: int,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return the error as a page for a browser, else as problem JSON.

    Server errors (5xx) carry no detail on the page: the detail may name internals.
    """
    response: Response
    if wants_html(request):
        response = _page(request, status, None if status >= 500 else detail)
    else:
        response = problem(status, title, detail)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def server_error(request: Request, exc: Exception) -> Response:
    """Answer an unexpected exception: logged in full, shown to nobody."""
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    response = error_answer(request, 500, "InternalError", SERVER_ERROR_DETAIL)
    # this answer is made outside the middleware that adds these to every other one
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def _page(request: Request, status: int, detail: str | None) -> HTMLResponse:
    """Render the error page in the site's layout, with the visitor's header when known."""
    from accord.web.pages import templates  # the page module imports the routers' helpers

    heading, meaning = EXPLAINED.get(status, (HTTPStatus(status).phrase, ""))
    who = _visitor(request) if status < 500 else Principal(None, None)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "who": who,
            "status": status,
            "heading": heading,
            "meaning": meaning,
            "detail": detail,
            "path": request.url.path,
        },
        status_code=status,
    )


def _visitor(request: Request) -> Principal:
    """Return the signed-in visitor for the page header, or an anonymous one."""
    data = request.app.state.sessions.load(request.cookies.get(SESSION_COOKIE))
    if not data:
        return Principal(None, None)
    try:
        with session_scope(request.app.state.db_url, read_only=True) as session:
            return _cookie_holder(session, data)
    except Exception:  # the page must not fail because the header cannot say who is signed in
        return Principal(None, None)
