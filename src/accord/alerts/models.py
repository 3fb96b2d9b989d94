"""Alert tables: subscriptions, the alerts they produced, the outbox, and Atom feed tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.db.base import Base, CanonicalJSON, UTCDateTime, utcnow

KINDS = ("board", "search", "zone", "violation", "ruling", "deadline")
CADENCES = ("immediate", "digest")
CHANNELS = ("webhook", "email")


class Subscription(Base):
    """What one user wants to hear about, how often, and where to deliver it.

    ``state`` is the snapshot the last evaluation saw (board cells, a high-water mark, or keys
    already announced); the next evaluation compares the database against it.
    """

    __tablename__ = "alert_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filters: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    cadence: Mapped[str] = mapped_column(String(20))
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Alert(Base):
    """One detected change for one subscription: the user's alert history and Atom feed."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("subscription_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), index=True
    )
    user: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # what changed, stable across runs: the idempotency key is built from it
    key: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # for digest subscriptions: when the alert went into a digest message (None: still waiting)
    digested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)


class OutboxMessage(Base):
    """A message to deliver, written in the transaction that detected its change.

    The sender leases it (``leased_until``), delivers it, then marks it sent; a sender killed in
    between leaves it to be sent again with the same ``idempotency_key``, so receivers dedupe.
    """

    __tablename__ = "alert_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("alert_subscriptions.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(2000))
    subject: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    leased_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text)


class FeedToken(Base):
    """The token that opens one user's Atom feed of alerts, kept only as its SHA-256."""

    __tablename__ = "alert_feed_tokens"

    user: Mapped[str] = mapped_column(String(120), primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
