"""Request dependencies: the database session (one transaction per request) and the user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from accord.db.session import session_scope
from accord.users import service as users
from accord.web.cache import token_holder
from accord.web.security import SESSION_COOKIE, allowed


@dataclass(frozen=True)
class Principal:
    """The signed-in user (or None fields for an anonymous visitor)."""

    name: str | None
    role: str | None
    csrf: str | None = None


def db(request: Request) -> Iterator[Session]:
    """Yield a session whose transaction commits when the request succeeds.

    Reads (GET, HEAD) run read-only, so on SQLite they never wait for the write lock.
    """
    read_only = request.method in ("GET", "HEAD")
    with session_scope(request.app.state.db_url, read_only=read_only) as session:
        yield session


def principal(request: Request, session: Session = Depends(db)) -> Principal:
    """Identify the caller: a Bearer token, else the session cookie, else anonymous."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        holder = token_holder(request, session, header[7:].strip())
        if holder is None:
            raise HTTPException(status_code=401, detail="invalid API token")
        return Principal(*holder)
    data = request.app.state.sessions.load(request.cookies.get(SESSION_COOKIE))
    if data:
        try:
            user = users.get(session, data["user"])
        except Exception:  # the user was removed since the cookie was signed
            return Principal(None, None)
        return Principal(user.name, user.role, data.get("csrf"))
    return Principal(None, None)


class LoginRequired(Exception):
    """An anonymous visitor asked for a page: send them to the login form."""


def require(permission: str) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency that lets through callers holding a permission."""

    async def check(request: Request, who: Principal = Depends(principal)) -> Principal:
        if allowed(who.role, permission):
            return who
        if who.role is None:
            if request.url.path.startswith("/api/"):
                raise HTTPException(
                    status_code=401,
                    detail="sign in or send an API token",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            raise LoginRequired()
        raise HTTPException(status_code=403, detail=f"your role ({who.role}) may not do this")

    return check
