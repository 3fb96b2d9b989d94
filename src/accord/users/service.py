"""Users: passwords (argon2), session generations, API tokens (expiry, revocation, last use).

Services flush only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.db.base import utcnow
from accord.errors import Conflict, InvalidInput, NotFound
from accord.users.models import ROLES, ApiToken, User

_HASHER = PasswordHasher()
MIN_PASSWORD = 8
TOKEN_PREFIX = "acc_"  # noqa: S105 — the visible prefix of every token, not a secret
_DURATION = re.compile(r"(\d{1,6})\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def create(session: Session, name: str, role: str, password: str, *, by: str) -> User:
    """Create a user with a role and a password."""
    if role not in ROLES:
        raise InvalidInput(f"--role: unknown role {role!r} (use {', '.join(ROLES)})")
    if not name.strip() or len(name) > 120:
        raise InvalidInput("user name must be 1-120 characters")
    _check_password_rules(password)
    if session.scalar(select(User.id).where(User.name == name)):
        raise Conflict(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=_HASHER.hash(password))
    session.add(user)
    session.flush()
    audit.record(
        session,
        by=by,
        action="user.create",
        entity="user",
        entity_id=user.id,
        payload={"name": name, "role": role},
    )
    return user


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD} characters")


def get(session: Session, name: str) -> User:
    """Return a user by name or raise NotFound."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"user {name!r} does not exist")
    return user


def check_password(session: Session, name: str, password: str) -> User | None:
    """Return the user when the password matches, else None (same work either way)."""
    user = session.scalar(select(User).where(User.name == name))
    try:
        if user is None:
            _HASHER.hash(password)  # spend the same time as a real check
            return None
        _HASHER.verify(user.password_hash, password)
        return user
    except (VerificationError, InvalidHashError):
        return None


def set_password(session: Session, name: str, password: str, *, by: str) -> User:
    """Change a user's password; this also ends all of their sessions."""
    user = get(session, name)
    _check_password_rules(password)
    user.password_hash = _HASHER.hash(password)
    return _end_user_sessions(session, user, by=by, action="user.password")


def end_sessions(session: Session, name: str, *, by: str) -> User:
    """Sign a user out everywhere: every session cookie signed before now stops working."""
    return _end_user_sessions(session, get(session, name), by=by, action="user.sessions.end")


def _end_user_sessions(session: Session, user: User, *, by: str, action: str) -> User:
    """Move the user's session generation on, so older cookies fail, and audit it as `action`."""
    user.session_generation += 1
    session.flush()
    audit.record(
        session,
        by=by,
        action=action,
        entity="user",
        entity_id=user.id,
        payload={"name": user.name, "session_generation": user.session_generation},
    )
    return user


def session_user(session: Session, name: str, generation: object) -> User | None:
    """Return the user of a session cookie while its generation is the user's current one."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not isinstance(generation, int) or generation != user.session_generation:
        return None
    return user


def token_digest(token: str) -> str:
    """Return the SHA-256 an API token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def parse_expiry(text: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """Turn ``30d``, ``12h``, ``90m``, ``2w``, a date or an ISO time into a future UTC time.

    A bare date means 00:00 UTC at the start of that day; a time without a zone is UTC.
    """
    now = now or utcnow()
    value = text.strip()
    match = _DURATION.fullmatch(value.lower())
    if match:
        amount, unit = int(match[1]), match[2]
        if amount == 0:
            raise InvalidInput("--expires: the duration must be more than zero")
        try:
            when = now + dt.timedelta(**{_UNITS[unit]: amount})
        except OverflowError:
            raise InvalidInput(f"--expires: {text!r} is too far away") from None
        return when
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"--expires: {text!r} is neither a duration (30d, 12h, 90m, 2w) nor a date"
        ) from None
    when = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
    if when <= now:
        raise InvalidInput(f"--expires: {text!r} is in the past")
    return when.astimezone(dt.UTC)


def issue_token(
    session: Session, name: str, *, by: str, expires_at: dt.datetime | None = None
) -> str:
    """Create an API token for a user; the token is returned once and stored only as a hash."""
    user = get(session, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_sha256=token_digest(token), expires_at=expires_at)
    session.add(row)
    session.flush()
    audit.record(
        session,
        by=by,
        action="user.token",
        entity="api_token",
        entity_id=row.id,
        payload={"name": name, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return token


def find_token(session: Session, token: str) -> ApiToken:
    """Return a stored token by its id (digits) or by its value, or raise NotFound."""
    if token.isdigit():
        row = session.get(ApiToken, int(token))
    else:
        row = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_digest(token)))
    if row is None:
        raise NotFound("no such API token (give its id from `accord users tokens`, or its value)")
    return row


def revoke_token(session: Session, token: str, *, by: str) -> ApiToken:
    """Revoke one token (by id or value): it is refused from the next request on."""
    row = find_token(session, token)
    if row.revoked_at is not None:
        raise Conflict(f"API token {row.id} was already revoked at {row.revoked_at.isoformat()}")
    row.revoked_at = utcnow()
    session.flush()
    audit.record(
        session,
        by=by,
        action="user.token.revoke",
        entity="api_token",
        entity_id=row.id,
        payload={"user_id": row.user_id},
    )
    return row


def revoke_tokens_of(session: Session, name: str, *, by: str) -> list[int]:
    """Revoke every live token of a user; return their ids."""
    user = get(session, name)
    now = utcnow()
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
    session.flush()
    ids = [row.id for row in rows]
    audit.record(
        session,
        by=by,
        action="user.token.revoke",
        entity="user",
        entity_id=user.id,
        payload={"name": name, "tokens": ids},
    )
    return ids


@dataclass(frozen=True)
class TokenHolder:
    """Who a token belongs to, and until when it holds (kept in the web cache as it is)."""

    name: str
    role: str
    token_id: int
    expires_at: dt.datetime | None

    def expired(self, now: dt.datetime | None = None) -> bool:
        """Tell whether the token has expired."""
        return self.expires_at is not None and self.expires_at <= (now or utcnow())


def holder_of_token(session: Session, token: str) -> TokenHolder | None:
    """Return the holder of an unrevoked API token, else None (expiry is the caller's check)."""
    row = session.execute(
        select(User.name, User.role, ApiToken.id, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_sha256 == token_digest(token), ApiToken.revoked_at.is_(None))
    ).first()
    return TokenHolder(row[0], row[1], row[2], row[3]) if row is not None else None


def record_use(session: Session, token_id: int, when: dt.datetime | None = None) -> None:
    """Note when a token was last accepted.

    Usage, not a change of state: no audit event, so it does not move the web cache's version.
    """
    session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when or utcnow())
    )


def list_tokens(session: Session, name: str | None = None) -> list[dict[str, Any]]:
    """Return tokens (all, or one user's) with their state, expiry and last use, oldest first."""
    query = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id)
    if name is not None:
        query = query.where(User.id == get(session, name).id)
    now = utcnow()
    out = []
    for row, user in session.execute(query.order_by(ApiToken.id)):
        if row.revoked_at is not None:
            state = "revoked"
        elif row.expires_at is not None and row.expires_at <= now:
            state = "expired"
        else:
            state = "active"
        out.append(
            {
                "id": row.id,
                "user": user,
                "state": state,
                "created_at": row.created_at,
                "expires_at": row.expires_at,
                "revoked_at": row.revoked_at,
                "last_used_at": row.last_used_at,
            }
        )
    return out


def list_users(session: Session) -> list[User]:
    """Return users by name."""
    return list(session.scalars(select(User).order_by(User.name)))
