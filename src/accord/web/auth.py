"""Signing in and out: the login form, sign-out, "sign out everywhere", and the caller's tokens."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.users import service as users
from accord.web.deps import Principal, db, principal
from accord.web.pages import templates
from accord.web.routing import route
from accord.web.security import SESSION_COOKIE, SESSION_SECONDS

router = APIRouter()
api = APIRouter(prefix="/api/v1")


def cookie_secure(request: Request) -> bool:
    """Tell whether the session cookie gets the Secure flag.

    ``ACCORD_COOKIE_SECURE`` decides when set; otherwise the cookie is Secure whenever the
    request came over HTTPS: served with TLS, or through a proxy that Uvicorn trusts
    (``accord serve --forwarded-allow-ips``) saying ``X-Forwarded-Proto: https``.
    """
    configured: bool | None = request.app.state.settings.cookie_secure
    return configured if configured is not None else request.url.scheme == "https"


def _form(
    request: Request,
    who: Principal,
    error: str | None,
    status: int,
    name: str = "",
    **headers: str,
) -> Response:
    # after a failure the typed name stays and the error is announced (see login.html)
    response = templates.TemplateResponse(
        request, "login.html", {"who": who, "error": error, "name": name}, status_code=status
    )
    response.headers.update(headers)
    return response


@route(router, "GET", "/login", "public", response_class=HTMLResponse)
def login_form(request: Request, who: Principal = Depends(principal)) -> Response:
    """Show the sign-in form."""
    return _form(request, who, None, 200)


@route(router, "POST", "/login", "public", csrf=False)
def login(
    request: Request,
    name: str = Form(...),
    password: str = Form(...),
    session: Session = Depends(db),
) -> Response:
    """Check the password and start a new session, replacing any current one.

    Repeated failures from one name and address are slowed down (429 with Retry-After); a
    sign-in posted from another site is refused, as the browser reports it.
    """
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(status_code=403, detail="sign-in posted from another site")
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "?"
    anonymous = Principal(None, None)
    wait = limiter.wait(name, address)
    if wait > 0:
        seconds = math.ceil(wait)
        return _form(
            request,
            anonymous,
            f"Too many failed attempts; try again in {seconds} s.",
            429,
            name,
            **{"Retry-After": str(seconds)},
        )
    user = users.check_password(session, name, password)
    if user is None:
        limiter.failed(name, address)
        return _form(request, anonymous, "Wrong name or password.", 401, name)
    limiter.succeeded(name, address)
    response = RedirectResponse("/board", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.sessions.dump(user.name, user.session_generation),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(request),
    )
    return response


@route(router, "POST", "/logout", "public")
def logout() -> Response:
    """End this session."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@route(router, "POST", "/logout/everywhere", "read")
def logout_everywhere(
    who: Principal = Depends(principal), session: Session = Depends(db)
) -> Response:
    """End every session of the signed-in user, on every browser."""
    users.end_sessions(session, str(who.name), by=str(who.name))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@route(api, "POST", "/me/sign-out-everywhere", "read")
def sign_out_everywhere(
    who: Principal = Depends(principal), session: Session = Depends(db)
) -> dict[str, Any]:
    """End every browser session of the caller (API tokens stay; revoke those one by one)."""
    user = users.end_sessions(session, str(who.name), by=str(who.name))
    return {"user": user.name, "session_generation": user.session_generation}


@route(api, "GET", "/me/tokens", "read")
def my_tokens(who: Principal = Depends(principal), session: Session = Depends(db)) -> Response:
    """List the caller's API tokens with their state, expiry and last use."""
    return JSONResponse(jsonable_encoder(users.list_tokens(session, str(who.name))))
