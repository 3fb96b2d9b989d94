"""Drop the empty fields a browser's GET form sends, before the page's parameters are read.

A form submitted with GET sends every field, the empty ones as ``name=``; for a date or a
number that is a validation error, though the visitor only left the field blank. Pages (not
the API, which is called by programs) therefore see an empty field as one not sent.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


def without_blanks(query: bytes) -> bytes:
    """Return a raw query string without its ``name=`` (empty) fields."""
    kept = [pair for pair in query.split(b"&") if pair.partition(b"=")[2]]
    return b"&".join(kept)


class BlankFieldsDropped:
    """Remove empty query fields from GET and HEAD requests for pages (paths outside /api/)."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap an ASGI application."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, its query string cleaned when it is a page read."""
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope.get("query_string")
            and not scope["path"].startswith("/api/")
        ):
            scope = {**scope, "query_string": without_blanks(scope["query_string"])}
        await self.app(scope, receive, send)
