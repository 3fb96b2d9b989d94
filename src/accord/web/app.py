"""The FastAPI application factory: API, pages, static files, error handling."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError

from accord import __version__
from accord.config import Settings
from accord.errors import AccordError
from accord.web import api, pages
from accord.web.deps import LoginRequired
from accord.web.security import ROUTE_PERMISSIONS, LoginLimiter, Sessions


def _problem(status: int, title: str, detail: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        status_code=status,
        media_type="application/problem+json",
    )


# no inline scripts or styles, nothing from another origin, no framing by other sites
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# the daily report may be framed by our own report page
FRAMEABLE = {"X-Frame-Options": "SAMEORIGIN"}


def create_app(settings: Settings, db_url: str | None = None) -> FastAPI:
    """Return the web application for a database (default: the settings' one)."""
    app = FastAPI(
        title="accord",
        version=__version__,
        description="Peace-process monitor: claims, board, agreements, ceasefire monitoring.",
        docs_url=None,  # the interactive pages load scripts from a CDN; the schema is served
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db_url = db_url or settings.database_url()
    app.state.sessions = Sessions(settings.secret_key)
    app.state.login_limiter = LoginLimiter()
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"
    )
    ROUTE_PERMISSIONS[("GET", "/openapi.json")] = "public"

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        own_csp = response.headers.get("content-security-policy")
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if own_csp and "frame-ancestors 'self'" in own_csp:
            response.headers.update(FRAMEABLE)
        return response

    @app.exception_handler(AccordError)
    def domain_error(request: Request, exc: AccordError) -> Response:
        return _problem(exc.http_status, type(exc).__name__, str(exc))

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        response = _problem(exc.status_code, "HTTP error", str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    def out_of_range(request: Request, exc: Exception) -> Response:
        return _problem(422, "InvalidInput", "a number in the request is out of range")

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", []))
        return _problem(422, "InvalidInput", f"{where}: {first.get('msg')}")

    return app


def app_from_environment() -> FastAPI:
    """Build the app in a worker process (``accord serve --workers N``)."""
    import os

    from accord.config import get_settings

    settings = get_settings()
    return create_app(settings, os.environ.get("ACCORD_SERVE_DB") or settings.database_url())
