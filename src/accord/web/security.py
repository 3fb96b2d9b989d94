"""Who may do what, signed session cookies, CSRF tokens and a login slow-down."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

# permission -> roles holding it; "public" needs no user at all
GRANTS: dict[str, frozenset[str]] = {
    "public": frozenset({"anonymous", "viewer", "analyst", "monitor", "council", "admin"}),
    "read": frozenset({"viewer", "analyst", "monitor", "council", "admin"}),
    # what the council has published: signed-in readers, and anyone when ACCORD_PUBLIC_VIEW is on
    "published": frozenset({"viewer", "analyst", "monitor", "council", "admin"}),
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
LOGIN_ATTEMPTS = 5  # failures per (name, address) before sign-in attempts are slowed down
ADDRESS_ATTEMPTS = 30  # failures from one address, over all names, before it is slowed down
FIRST_DELAY = 2.0  # seconds; doubled by every further failure
MAX_DELAY = 300.0
FORGET_SECONDS = 900


def allowed(role: str | None, permission: str) -> bool:
    """Tell whether a role (None: anonymous) holds a permission."""
    return (role or "anonymous") in GRANTS[permission]


class Sessions:
    """Sign and read session cookies holding the user name, session generation and CSRF token."""

    def __init__(self, secret: str | None) -> None:
        """Use the configured secret, or a random one (sessions then end with the process)."""
        self.serializer = URLSafeTimedSerializer(
            secret or secrets.token_urlsafe(32), salt="accord-session"
        )

    def dump(self, user: str, generation: int) -> str:
        """Return a signed cookie value for a new session of the user's current generation."""
        return self.serializer.dumps(
            {"user": user, "gen": generation, "csrf": secrets.token_urlsafe(24)}
        )

    def load(self, value: str | None) -> dict[str, Any] | None:
        """Return the session data of a valid, unexpired cookie."""
        if not value:
            return None
        try:
            data = self.serializer.loads(value, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        return data if isinstance(data, dict) else None


# past this many tracked keys, forgotten entries are swept on the next failure
SWEEP_ABOVE = 10_000


class LoginLimiter:
    """Slow down password guessing without letting anyone lock another person out.

    Failures count per (user name, client address) pair: after LOGIN_ATTEMPTS of them the pair
    must wait FIRST_DELAY seconds before its next attempt is checked, and each further failure
    doubles the wait, up to MAX_DELAY. One address failing for many names is slowed the same
    way after ADDRESS_ATTEMPTS failures. Nothing counts per name alone, so failures from one
    address never delay the same name signing in from another. Counts are forgotten
    FORGET_SECONDS after the last failure, or on a successful sign-in from the pair.
    """

    def __init__(self) -> None:
        """Start with no failures."""
        self.failures: dict[tuple[str, ...], tuple[int, float]] = {}
        self.lock = threading.Lock()
        self.clock = time.monotonic

    @staticmethod
    def _keys(name: str, address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ("pair", name, address), ("address", address)

    def wait(self, name: str, address: str) -> float:
        """Return how many seconds this name and address must wait before another attempt."""
        now = self.clock()
        longest = 0.0
        with self.lock:
            for key, free in zip(
                self._keys(name, address), (LOGIN_ATTEMPTS, ADDRESS_ATTEMPTS), strict=True
            ):
                entry = self.failures.get(key)
                if entry is None:
                    continue
                count, last = entry
                if now - last > FORGET_SECONDS:
                    del self.failures[key]
                elif count >= free:
                    delay = min(FIRST_DELAY * 2 ** (count - free), MAX_DELAY)
                    longest = max(longest, last + delay - now)
        return max(longest, 0.0)

    def failed(self, name: str, address: str) -> None:
        """Record a failed attempt (and forget old entries once many keys are tracked)."""
        now = self.clock()
        with self.lock:
            for key in self._keys(name, address):
                count, _last = self.failures.get(key, (0, now))
                self.failures[key] = (count + 1, now)
            if len(self.failures) > SWEEP_ABOVE:
                for key in [k for k, e in self.failures.items() if now - e[1] > FORGET_SECONDS]:
                    del self.failures[key]

    def succeeded(self, name: str, address: str) -> None:
        """Forget the pair's failures (the address's count across names stays)."""
        with self.lock:
            self.failures.pop(self._keys(name, address)[0], None)
