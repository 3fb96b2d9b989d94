"""Who may do what, signed session cookies, CSRF tokens and a login rate limit."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

# permission -> roles holding it; "public" needs no user at all
GRANTS: dict[str, frozenset[str]] = {
    "public": frozenset({"anonymous", "viewer", "analyst", "monitor", "council", "admin"}),
    "read": frozenset({"viewer", "analyst", "monitor", "council", "admin"}),
    "analyst": frozenset({"analyst", "admin"}),
    "monitor": frozenset({"monitor", "admin"}),
    "council": frozenset({"council", "admin"}),
    "admin": frozenset({"admin"}),
}
# (method, path template) -> permission, filled as routes are declared; the authorisation test
# checks that every route of the app is here.
ROUTE_PERMISSIONS: dict[tuple[str, str], str] = {}

SESSION_COOKIE = "accord_session"
SESSION_SECONDS = 8 * 3600
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300


def allowed(role: str | None, permission: str) -> bool:
    """Tell whether a role (None: anonymous) holds a permission."""
    return (role or "anonymous") in GRANTS[permission]


class Sessions:
    """Sign and read session cookies holding the user name and the CSRF token."""

    def __init__(self, secret: str | None) -> None:
        """Use the configured secret, or a random one (sessions then end with the process)."""
        self.serializer = URLSafeTimedSerializer(
            secret or secrets.token_urlsafe(32), salt="accord-session"
        )

    def dump(self, user: str) -> str:
        """Return a signed cookie value for a new session."""
        return self.serializer.dumps({"user": user, "csrf": secrets.token_urlsafe(24)})

    def load(self, value: str | None) -> dict[str, Any] | None:
        """Return the session data of a valid, unexpired cookie."""
        if not value:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


# past this many tracked names or clients, expired entries are swept on the next failure
SWEEP_ABOVE = 10_000


class LoginLimiter:
    """At most LOGIN_ATTEMPTS failed logins per user name and per client within the window."""

    def __init__(self) -> None:
        """Start with no attempts."""
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        """Tell whether any key has used up its attempts."""
        now = time.monotonic()
        with self.lock:
            for key in keys:
                attempts = self.failures.get(key)
                if attempts is None:
                    continue
                while attempts and now - attempts[0] > LOGIN_WINDOW_SECONDS:
                    attempts.popleft()
                if not attempts:
                    del self.failures[key]  # names tried once long ago take no memory
                elif len(attempts) >= LOGIN_ATTEMPTS:
                    return True
        return False

    def failed(self, *keys: str) -> None:
        """Record a failed attempt (and forget expired ones once many names were tried)."""
        now = time.monotonic()
        with self.lock:
            for key in keys:
                self.failures[key].append(now)
            if len(self.failures) > SWEEP_ABOVE:
                for key in [
                    k for k, a in self.failures.items() if now - a[-1] > LOGIN_WINDOW_SECONDS
                ]:
                    del self.failures[key]

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of a successful login."""
        with self.lock:
            for key in keys:
                self.failures.pop(key, None)
