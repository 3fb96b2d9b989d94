"""Declare routes together with the permission they need (recorded for the authorisation test)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from accord.web.deps import Principal, principal, require
from accord.web.security import ROUTE_PERMISSIONS

SAFE_METHODS = ("GET", "HEAD")


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


def route(
    router: APIRouter, method: str, path: str, permission: str, **options: Any
) -> Callable[[Any], Any]:
    """Register an endpoint on a router with its permission and the CSRF check."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        ROUTE_PERMISSIONS[(method, router.prefix + path)] = permission
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            dependencies=[Depends(require(permission)), Depends(csrf_guard)],
            **options,
        )
        return endpoint

    return register
