"""Interactive API documentation: Swagger UI, served from vendored files (no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from accord.web.routing import route

router = APIRouter()
PAGE = Path(__file__).with_name("static") / "apidocs" / "index.html"


@route(router, "GET", "/api/docs", "public", response_class=HTMLResponse, include_in_schema=False)
def api_docs() -> FileResponse:
    """Serve the interactive documentation of the REST API (it reads /openapi.json)."""
    return FileResponse(PAGE, media_type="text/html")
