"""Declare routes together with the permission they need (recorded for the authorisation test)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from accord.web.deps import Principal, principal, require
from accord.web.security import ROUTE_PERMISSIONS

SAFE_METHODS = ("GET", "HEAD")


class Problem(BaseModel):
    """An error as an RFC 9457 problem detail."""

    type: str
    title: str
    status: int
    detail: str


_PROBLEM = {"model": Problem, "content": {"application/problem+json": {}}}
# every error an endpoint can answer with, documented in the OpenAPI schema
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad request", **_PROBLEM},
    401: {"description": "Not signed in", **_PROBLEM},
    403: {"description": "Not allowed for this role, or a missing CSRF token", **_PROBLEM},
    404: {"description": "Not found", **_PROBLEM},
    409: {"description": "Conflicts with the stored state", **_PROBLEM},
    413: {"description": "Upload too large", **_PROBLEM},
    422: {"description": "Invalid input, naming the field", **_PROBLEM},
    429: {"description": "Too many failed logins", **_PROBLEM},
    503: {"description": "Database unavailable", **_PROBLEM},
}


async def csrf_guard(request: Request, who: Principal = Depends(principal)) -> None:
    """Refuse a state-changing request made with the session cookie but no matching CSRF token."""
    if request.method in SAFE_METHODS or who.csrf is None:
        return  # reads, anonymous calls and Bearer-token clients carry no cookie to ride on
    sent: object = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf")
    if sent != who.csrf:
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def problem_responses(html: bool) -> dict[int | str, dict[str, Any]]:
    """Return the error responses to document; pages answer form errors with HTML."""
    if not html:
        return PROBLEM_RESPONSES
    return {
        status: {**entry, "content": {**entry["content"], "text/html": {}}}
        for status, entry in PROBLEM_RESPONSES.items()
    }


def route(
    router: APIRouter, method: str, path: str, permission: str, *, csrf: bool = True, **options: Any
) -> Callable[[Any], Any]:
    """Register an endpoint on a router with its permission and (unless ``csrf=False``) the CSRF check.

    Only the sign-in form goes without: the session it would protect is the one being replaced.
    """

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        ROUTE_PERMISSIONS[(method, router.prefix + path)] = permission
        checks = [Depends(require(permission))] + ([Depends(csrf_guard)] if csrf else [])
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            dependencies=checks,
            responses={**problem_responses(html=not router.prefix), **options.pop("responses", {})},
            **options,
        )
        return endpoint

    return register
