"""Request dependencies: the database session (one transaction per request) and the user."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from anyio import CancelScope
from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.db.session import session_ready, session_scope
from accord.users import service as users
from accord.web.cache import cached_token_holder, note_version, token_holder
from accord.web.security import SESSION_COOKIE, allowed
from accord.web.usage import TokenUse


@dataclass(frozen=True)
class Principal:
    """The signed-in user (or None fields for an anonymous visitor)."""

    name: str | None
    role: str | None
    csrf: str | None = None


async def db(request: Request) -> AsyncIterator[Session]:
    """Yield a session whose transaction commits when the request succeeds.

    Reads (GET, HEAD) run read-only, so on SQLite they never wait for the write lock. A session
    does no I/O until it is first used, so it is opened on the event loop (once the database has
    been reached), and closed there when the request never used it (a cached answer); anything
    that touches the database (the first connection, commit, rollback) runs on a worker thread.
    """
    url = request.app.state.db_url
    scope = session_scope(url, read_only=request.method in ("GET", "HEAD"))
    session = scope.__enter__() if session_ready(url) else await run_in_threadpool(scope.__enter__)
    note_version(session, request.app.state.cache.watch)  # before the first read sets a snapshot
    try:
        yield session
    except BaseException as exc:
        with CancelScope(shield=True):  # roll back even when the client has gone
            await _leave(scope, session, exc)
        raise
    with CancelScope(shield=True):  # a commit, once started, is seen through
        await _leave(scope, session, None)


async def _leave(
    scope: AbstractContextManager[Session], session: Session, error: BaseException | None
) -> None:
    details = (type(error), error, error.__traceback__) if error is not None else (None, None, None)
    if session.in_transaction() or session.new or session.dirty or session.deleted:
        await run_in_threadpool(scope.__exit__, *details)
    else:
        scope.__exit__(*details)  # nothing to commit or roll back: no I/O


async def principal(request: Request, session: Session = Depends(db)) -> Principal:
    """Identify the caller: a Bearer token, else the session cookie, else anonymous."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        holder = cached_token_holder(request, token)
        if holder is None:
            holder = await run_in_threadpool(token_holder, request, session, token)
        if holder is None or holder.expired():
            raise HTTPException(
                status_code=401,
                detail="invalid, revoked or expired API token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        usage: TokenUse = request.app.state.token_use
        if usage.due(holder.token_id):
            await run_in_threadpool(usage.record, session, holder.token_id)
        return Principal(holder.name, holder.role)
    data = request.app.state.sessions.load(request.cookies.get(SESSION_COOKIE))
    if data:
        return await run_in_threadpool(_cookie_holder, session, data)
    return Principal(None, None)


def _cookie_holder(session: Session, data: dict[str, Any]) -> Principal:
    """Return the cookie's user while it exists and the cookie is of their current generation.

    A password change or "sign out everywhere" raises the generation, ending older cookies.
    """
    name = data.get("user")
    user = users.session_user(session, name, data.get("gen")) if isinstance(name, str) else None
    if user is None:
        return Principal(None, None)
    return Principal(user.name, user.role, data.get("csrf"))


class LoginRequired(Exception):
    """An anonymous visitor asked for a page: send them to the login form."""


def require(permission: str) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency that lets through callers holding a permission."""

    async def check(request: Request, who: Principal = Depends(principal)) -> Principal:
        if allowed(who.role, permission):
            return who
        if permission == "published" and request.app.state.settings.public_view:
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
