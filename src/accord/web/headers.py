"""Security headers on every response, as a plain ASGI middleware.

A plain ASGI wrapper only edits the ``http.response.start`` message, so it costs a few
microseconds per request; Starlette's ``BaseHTTPMiddleware`` runs each request through an extra
task and a streaming body, which showed up as a tenth of the server's time under load.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
# a response whose own policy lets our pages frame it (the daily report) may be framed by them
FRAMEABLE = {"X-Frame-Options": "SAMEORIGIN"}


class SecurityHeaders:
    """Add the security headers a response does not set itself."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap an ASGI application."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and add the headers to the response's start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                own_csp = headers.get("content-security-policy")
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if own_csp and "frame-ancestors 'self'" in own_csp:
                    headers.update(FRAMEABLE)
            await send(message)

        await self.app(scope, receive, send_with_headers)
