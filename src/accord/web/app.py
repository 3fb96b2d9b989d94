"""The FastAPI application factory: API, pages, static files, error handling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from accord import __version__
from accord.alerts import api as alerts_api
from accord.config import Settings
from accord.errors import AccordError
from accord.feeds import api as feeds_api
from accord.negotiation import api as negotiation_api
from accord.reports import api as reports_api
from accord.search import api as search_api
from accord.web import api, apidocs, auth, evidence, exports_api, map_api, pages, public
from accord.web.blanks import BlankFieldsDropped
from accord.web.cache import VersionedCache
from accord.web.deps import LoginRequired
from accord.web.errors import error_answer, server_error
from accord.web.head import HeadAsGet
from accord.web.headers import SecurityHeaders
from accord.web.security import ROUTE_PERMISSIONS, LoginLimiter, Sessions
from accord.web.uploads import UploadLimit
from accord.web.usage import TokenUse
from accord.web.versions import VersionWatch


def create_app(settings: Settings, db_url: str | None = None) -> FastAPI:
    """Return the web application for a database (default: the settings' one)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # request handlers that touch the database run on this many threads
        to_thread.current_default_thread_limiter().total_tokens = settings.serve_threads
        yield
        watch.close()

    app = FastAPI(
        lifespan=lifespan,
        title="accord",
        version=__version__,
        description="Peace-process monitor: claims, board, agreements, ceasefire monitoring.",
        docs_url=None,  # FastAPI's pages load scripts from a CDN: /api/docs serves vendored ones
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db_url = db_url or settings.database_url()
    app.state.sessions = Sessions(settings.secret_key)
    app.state.login_limiter = LoginLimiter()
    watch = VersionWatch(app.state.db_url)
    app.state.cache = VersionedCache(watch=watch)  # the board, incident totals, API tokens
    # incident list pages (a 50-row page is about 40 kB); 0 MB turns the page cache off
    app.state.pages = VersionedCache(watch=watch, max_bytes=settings.page_cache_mb << 20)
    app.state.token_use = TokenUse(app.state.db_url)  # last use of API tokens, once a minute
    app.include_router(api.router)
    app.include_router(exports_api.router)
    app.include_router(map_api.router)
    app.include_router(auth.api)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(evidence.router)
    app.include_router(apidocs.router)
    app.include_router(search_api.api)
    app.include_router(negotiation_api.api)
    app.include_router(negotiation_api.pages)
    app.include_router(search_api.pages)
    app.include_router(reports_api.api)
    app.include_router(reports_api.pages)
    app.include_router(public.router)
    app.include_router(alerts_api.api)
    app.include_router(alerts_api.pages)
    app.include_router(feeds_api.pages)
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"
    )
    ROUTE_PERMISSIONS[("GET", "/openapi.json")] = "public"

    app.add_middleware(
        UploadLimit,
        limits={
            "/api/v1/sources": (settings.max_file_bytes, api.SOURCE_LIMIT_SETTING),
            "/api/v1/incidents/import": (settings.max_import_bytes, api.IMPORT_LIMIT_SETTING),
        },
    )
    app.add_middleware(BlankFieldsDropped)  # a page's GET form sends its empty fields too
    app.add_middleware(SecurityHeaders)  # wraps every answer, the 413s above too
    app.add_middleware(HeadAsGet)  # added last: HEAD is the GET of the same URL, headers only

    @app.exception_handler(AccordError)
    def domain_error(request: Request, exc: AccordError) -> Response:
        return error_answer(request, exc.http_status, type(exc).__name__, str(exc))

    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(HTTPException)  # Starlette's: unknown paths and methods too
    def http_error(request: Request, exc: HTTPException) -> Response:
        return error_answer(
            request, exc.status_code, "HTTP error", str(exc.detail), dict(exc.headers or {})
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    def out_of_range(request: Request, exc: Exception) -> Response:
        return error_answer(request, 422, "InvalidInput", "a number in the request is out of range")

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", []))
        return error_answer(request, 422, "InvalidInput", f"{where}: {first.get('msg')}")

    app.add_exception_handler(Exception, server_error)  # logged; no internals in the answer
    return app


def app_from_environment() -> FastAPI:
    """Build the app in a worker process (``accord serve --workers N``)."""
    import os

    from accord.config import get_settings

    settings = get_settings()
    return create_app(settings, os.environ.get("ACCORD_SERVE_DB") or settings.database_url())
