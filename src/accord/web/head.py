"""``HEAD`` wherever ``GET`` works: the request is answered as a GET, without its body.

FastAPI registers a route only for the methods it is declared with, so a ``GET`` route
answered ``HEAD`` with 405. Answering HEAD as the same GET (same permission check, same
headers, the same ``Content-Length``) and dropping the body is what RFC 9110 asks of HEAD.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Serve a HEAD request as the GET of the same URL, sending the headers only."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap an ASGI application."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a HEAD on as a GET and leave out every part of the body."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
