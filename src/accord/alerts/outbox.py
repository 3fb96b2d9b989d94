"""The outbox's bookkeeping: lease due messages, mark them sent, or schedule a retry.

A lease keeps two senders from sending one message at once; a sender that dies leaves its lease
to lapse, and the message goes out again with the same idempotency key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord.alerts.models import OutboxMessage, Subscription
from accord.audit import service as audit
from accord.db.base import utcnow

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Leased:
    """A message leased for delivery, detached from its session."""

    id: int
    idempotency_key: str
    channel: str
    target: str
    subject: str
    payload: dict[str, object]
    secret: str | None
    attempts: int


def lease_due(
    session: Session,
    *,
    by: str,
    limit: int = 50,
    lease_s: float = 60.0,
    now: dt.datetime | None = None,
) -> list[Leased]:
    """Lease up to ``limit`` messages that are due, oldest first."""
    now = now or utcnow()
    query = (
        select(OutboxMessage, Subscription.webhook_secret)
        .join(Subscription, Subscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.leased_until.is_(None), OutboxMessage.leased_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=OutboxMessage, skip_locked=True)
    rows = list(session.execute(query))
    leased = []
    for message, secret in rows:
        message.leased_until = now + dt.timedelta(seconds=lease_s)
        leased.append(
            Leased(
                id=message.id,
                idempotency_key=message.idempotency_key,
                channel=message.channel,
                target=message.target,
                subject=message.subject,
                payload=message.payload,
                secret=secret,
                attempts=message.attempts,
            )
        )
    if leased:
        session.flush()
        audit.record(
            session,
            by=by,
            action="alert.lease",
            entity="alert_outbox",
            entity_id=leased[0].id,
            payload={"ids": [m.id for m in leased], "until": (now + dt.timedelta(seconds=lease_s))},
        )
    return leased


def mark_sent(session: Session, message_id: int, *, by: str) -> bool:
    """Record that a message was delivered; False when it already was (nothing changes)."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.sent_at is not None:
        return False
    message.sent_at = utcnow()
    message.attempts += 1
    message.leased_until = None
    session.flush()
    audit.record(
        session,
        by=by,
        action="alert.sent",
        entity="alert_outbox",
        entity_id=message.id,
        payload={"key": message.idempotency_key, "channel": message.channel},
    )
    return True


def backoff_s(attempts: int, base_s: float) -> float:
    """Return the wait before the next attempt: doubling from ``base_s``, at most an hour."""
    return float(min(base_s * 2 ** max(attempts - 1, 0), 3600.0))


def mark_failed(
    session: Session, message_id: int, error: str, *, by: str, base_s: float = 30.0
) -> None:
    """Record a failed attempt: retry after a backoff, or give up after MAX_ATTEMPTS."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.sent_at is not None:
        return
    now = utcnow()
    message.attempts += 1
    message.leased_until = None
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
    else:
        message.next_attempt_at = now + dt.timedelta(seconds=backoff_s(message.attempts, base_s))
    session.flush()
    audit.record(
        session,
        by=by,
        action="alert.failed" if message.failed_at else "alert.retry",
        entity="alert_outbox",
        entity_id=message.id,
        payload={
            "key": message.idempotency_key,
            "attempts": message.attempts,
            "error": error[:200],
        },
    )


def pending(session: Session) -> int:
    """Return how many messages are still to be sent (not given up)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        )
        or 0
    )
