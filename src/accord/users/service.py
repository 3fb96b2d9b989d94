"""Create users, check passwords (argon2), issue and check API tokens. Services flush only."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit import service as audit
from accord.errors import Conflict, InvalidInput, NotFound
from accord.users.models import ROLES, ApiToken, User

_HASHER = PasswordHasher()
MIN_PASSWORD = 8
TOKEN_PREFIX = "acc_"


def create(session: Session, name: str, role: str, password: str, *, by: str) -> User:
    """Create a user with a role and a password."""
    if role not in ROLES:
        raise InvalidInput(f"--role: unknown role {role!r} (use {', '.join(ROLES)})")
    if not name.strip() or len(name) > 120:
        raise InvalidInput("user name must be 1-120 characters")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD} characters")
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


def token_digest(token: str) -> str:
    """Return the SHA-256 an API token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, name: str, *, by: str) -> str:
    """Create an API token for a user; the token is returned once and stored only as a hash."""
    user = get(session, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_sha256=token_digest(token)))
    session.flush()
    audit.record(
        session,
        by=by,
        action="user.token",
        entity="user",
        entity_id=user.id,
        payload={"name": name},
    )
    return token


def holder_of_token(session: Session, token: str) -> tuple[str, str] | None:
    """Return (user name, role) for a valid API token, else None."""
    row = session.execute(
        select(User.name, User.role)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_sha256 == token_digest(token))
    ).first()
    return (row[0], row[1]) if row is not None else None


def list_users(session: Session) -> list[User]:
    """Return users by name."""
    return list(session.scalars(select(User).order_by(User.name)))
