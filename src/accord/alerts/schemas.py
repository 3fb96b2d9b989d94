"""What a subscription request carries, checked field by field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from accord.alerts.models import CADENCES, KINDS
from accord.errors import InvalidInput

# which filters each kind takes
FILTERS: dict[str, tuple[str, ...]] = {
    "board": ("pack", "issue", "holder"),
    "search": ("query", "issue", "holder", "claim_kind"),
    "zone": ("zone",),
    "violation": ("zone",),
    "ruling": (),
    "deadline": ("draft",),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


class SubscriptionIn(BaseModel):
    """A new subscription: what to watch, how often, and where to send it."""

    kind: str
    cadence: str = "immediate"
    pack: str | None = None
    issue: str | None = None
    holder: str | None = None
    query: str | None = None
    claim_kind: str | None = None
    zone: str | None = None
    draft: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = Field(default=None, min_length=16, max_length=200)
    email: str | None = None

    def check(self) -> None:
        """Refuse a subscription that cannot work, naming the field."""
        if self.kind not in KINDS:
            raise InvalidInput(f"kind: unknown kind {self.kind!r} (use {', '.join(KINDS)})")
        if self.cadence not in CADENCES:
            raise InvalidInput(f"cadence: use {' or '.join(CADENCES)}")
        allowed = FILTERS[self.kind]
        for name in ("pack", "issue", "holder", "query", "claim_kind", "zone", "draft"):
            if getattr(self, name) and name not in allowed:
                raise InvalidInput(f"{name}: not a filter of {self.kind} subscriptions")
        if self.kind == "search" and not (self.query or "").strip():
            raise InvalidInput("query: a search subscription needs words to search for")
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise InvalidInput(f"webhook_url: not an http(s) address: {self.webhook_url!r}")
        if self.email and not _EMAIL.match(self.email):
            raise InvalidInput(f"email: not an e-mail address: {self.email!r}")

    def filters(self) -> dict[str, Any]:
        """Return the filters given, by name."""
        return {n: getattr(self, n) for n in FILTERS[self.kind] if getattr(self, n)}


class SubscriptionOut(BaseModel):
    """A stored subscription (the webhook secret is never shown again)."""

    id: int
    user: str
    kind: str
    filters: dict[str, Any]
    cadence: str
    webhook_url: str | None
    email: str | None
    active: bool
    created_at: dt.datetime


class AlertOut(BaseModel):
    """One alert in a user's history, with the state of its deliveries."""

    id: int
    subscription_id: int
    kind: str
    key: str
    title: str
    detail: dict[str, Any]
    created_at: dt.datetime
    deliveries: list[dict[str, Any]] = Field(default_factory=list)
