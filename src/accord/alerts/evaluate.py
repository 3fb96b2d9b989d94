"""One evaluation: compare snapshots with the database, record alerts, fill the outbox.

All of it happens in the caller's transaction, so an alert is stored exactly when its change is
seen and its messages are queued with it.

Immediate subscriptions get one outbox message per alert and channel; digest subscriptions
collect their alerts and get one message per UTC day, sent on the first run after the day ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.alerts.detect import DETECTORS, Change
from accord.alerts.models import Alert, OutboxMessage, Subscription
from accord.alerts.service import alert_digest
from accord.audit import service as audit
from accord.db.base import utcnow


@dataclass
class RunSummary:
    """What one evaluation found and queued."""

    subscriptions: int = 0
    alerts: int = 0
    messages: int = 0
    digests: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _messages(sub: Subscription, key: str, subject: str, payload: dict[str, Any]) -> list[Any]:
    """Return the outbox messages of one alert or digest: one per channel the subscription has."""
    out = []
    if sub.webhook_url:
        out.append(("webhook", sub.webhook_url))
    if sub.email:
        out.append(("email", sub.email))
    return [
        OutboxMessage(
            idempotency_key=f"{key}:{channel}",
            subscription_id=sub.id,
            channel=channel,
            target=target,
            subject=subject[:500],
            payload={**payload, "idempotency_key": f"{key}:{channel}"},
        )
        for channel, target in out
    ]


def _alert_payload(sub: Subscription, alert: Alert) -> dict[str, Any]:
    return {
        "type": "alert",
        "user": sub.user,
        "subscription": {"id": sub.id, "kind": sub.kind, "filters": sub.filters},
        "alerts": [
            {
                "id": alert.id,
                "kind": alert.kind,
                "title": alert.title,
                "detail": alert.detail,
                "created_at": alert.created_at.isoformat(),
            }
        ],
    }


def _record(session: Session, sub: Subscription, change: Change, now: dt.datetime) -> list[Any]:
    alert = Alert(
        subscription_id=sub.id,
        user=sub.user,
        kind=sub.kind,
        key=change.key[:300],
        title=change.title[:500],
        detail=change.detail,
        created_at=now,
    )
    session.add(alert)
    session.flush()
    if sub.cadence != "immediate":
        return []
    key = f"alert:{sub.id}:{alert_digest(alert.key)}"
    return _messages(sub, key, alert.title, _alert_payload(sub, alert))


def _digest(session: Session, sub: Subscription, now: dt.datetime) -> list[Any]:
    """Bundle a digest subscription's alerts of days that have ended into one message."""
    midnight = dt.datetime.combine(now.date(), dt.time(), tzinfo=dt.UTC)
    waiting = list(
        session.scalars(
            select(Alert)
            .where(
                Alert.subscription_id == sub.id,
                Alert.digested_at.is_(None),
                Alert.created_at < midnight,
            )
            .order_by(Alert.id)
        )
    )
    if not waiting:
        return []
    for alert in waiting:
        alert.digested_at = now
    day = (now.date() - dt.timedelta(days=1)).isoformat()
    payload = _alert_payload(sub, waiting[0])
    payload["type"] = "digest"
    payload["day"] = day
    payload["alerts"] = [
        {
            "id": a.id,
            "kind": a.kind,
            "title": a.title,
            "detail": a.detail,
            "created_at": a.created_at.isoformat(),
        }
        for a in waiting
    ]
    subject = f"accord digest {day}: {len(waiting)} alert{'s' if len(waiting) != 1 else ''}"
    return _messages(sub, f"digest:{sub.id}:{day}", subject, payload)


def run(session: Session, *, by: str, now: dt.datetime | None = None) -> RunSummary:
    """Evaluate every active subscription once; write alerts and outbox messages; audit the run."""
    now = now or utcnow()
    today = now.date()
    query = select(Subscription).where(Subscription.active.is_(True)).order_by(Subscription.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # two evaluations at once: the second waits its turn
    summary = RunSummary()
    queued: list[OutboxMessage] = []
    for sub in session.scalars(query):
        summary.subscriptions += 1
        state, changes = DETECTORS[sub.kind](session, sub.filters, sub.state, today)
        for change in changes:
            queued.extend(_record(session, sub, change, now))
        if changes:
            summary.alerts += len(changes)
            summary.by_kind[sub.kind] = summary.by_kind.get(sub.kind, 0) + len(changes)
        if state != sub.state:
            sub.state = state
        if sub.cadence == "digest":
            bundled = _digest(session, sub, now)
            summary.digests += 1 if bundled else 0
            queued.extend(bundled)
    for message in queued:
        message.next_attempt_at = now
        session.add(message)
    summary.messages = len(queued)
    session.flush()
    if summary.alerts or summary.messages:
        audit.record(
            session,
            by=by,
            action="alerts.evaluate",
            entity="alerts",
            entity_id=now.isoformat(),
            payload={
                "alerts": summary.alerts,
                "messages": summary.messages,
                "digests": summary.digests,
                "by_kind": summary.by_kind,
            },
        )
    return summary
