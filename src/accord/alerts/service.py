"""Subscriptions, alert history and feed tokens. Services flush; the caller commits."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.alerts.detect import DETECTORS, State
from accord.alerts.models import Alert, FeedToken, OutboxMessage, Subscription
from accord.alerts.schemas import AlertOut, SubscriptionIn, SubscriptionOut
from accord.audit import service as audit
from accord.claims.models import Claim
from accord.db.base import utcnow
from accord.errors import NotFound
from accord.packs import service as packs

FEED_TOKEN_PREFIX = "acf_"  # noqa: S105 (a prefix, not a secret)


def initial_state(session: Session, kind: str, filters: dict[str, object], today: dt.date) -> State:
    """Return the state a new subscription starts from: what is there now is not news."""
    if kind == "search":  # claims are never renumbered: a high-water mark is enough
        return {"after": int(session.scalar(select(func.max(Claim.id))) or 0)}
    state, _changes = DETECTORS[kind](session, filters, {}, today)
    return state


def subscribe(session: Session, data: SubscriptionIn, *, user: str, by: str) -> Subscription:
    """Store a subscription for a user, starting from the current state of what it watches."""
    data.check()
    filters = data.filters()
    if data.kind == "board":
        pack = packs.resolve(session, data.pack)  # an unknown pack is refused here
        if pack is not None:
            filters["pack"] = pack.id
    row = Subscription(
        user=user,
        kind=data.kind,
        filters=filters,
        cadence=data.cadence,
        webhook_url=data.webhook_url,
        webhook_secret=data.webhook_secret
        or (secrets.token_urlsafe(32) if data.webhook_url else None),
        email=data.email,
        active=True,
        state=initial_state(session, data.kind, filters, utcnow().date()),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        by=by,
        action="alert.subscribe",
        entity="alert_subscription",
        entity_id=row.id,
        payload={
            "user": user,
            "kind": row.kind,
            "filters": filters,
            "cadence": row.cadence,
            "webhook_url": row.webhook_url,
            "email": row.email,
        },
    )
    return row


def describe(row: Subscription) -> SubscriptionOut:
    """Return a subscription as shown to its user."""
    return SubscriptionOut(
        id=row.id,
        user=row.user,
        kind=row.kind,
        filters=row.filters,
        cadence=row.cadence,
        webhook_url=row.webhook_url,
        email=row.email,
        active=row.active,
        created_at=row.created_at,
    )


def subscriptions(session: Session, *, user: str | None) -> list[Subscription]:
    """Return a user's active subscriptions (every user's with None), oldest first."""
    query = select(Subscription).where(Subscription.active.is_(True)).order_by(Subscription.id)
    if user is not None:
        query = query.where(Subscription.user == user)
    return list(session.scalars(query))


def get(session: Session, subscription_id: int, *, user: str | None) -> Subscription:
    """Return one of a user's active subscriptions (any user's with None), or raise NotFound."""
    row = session.get(Subscription, subscription_id)
    if row is None or not row.active or (user is not None and row.user != user):
        raise NotFound(f"no subscription {subscription_id}")
    return row


def remove(session: Session, subscription_id: int, *, user: str | None, by: str) -> Subscription:
    """End a subscription; its history stays, and messages not yet sent are still delivered."""
    row = get(session, subscription_id, user=user)
    row.active = False
    session.flush()
    audit.record(
        session,
        by=by,
        action="alert.unsubscribe",
        entity="alert_subscription",
        entity_id=row.id,
        payload={"user": row.user},
    )
    return row


def history(session: Session, *, user: str, limit: int = 100) -> list[AlertOut]:
    """Return a user's alerts, newest first, with each delivery's state."""
    alerts = list(
        session.scalars(
            select(Alert).where(Alert.user == user).order_by(Alert.id.desc()).limit(limit)
        )
    )
    out = []
    for a in alerts:
        prefix = f"alert:{a.subscription_id}:{alert_digest(a.key)}:"
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix))
        )
        deliveries = [
            {
                "channel": m.channel,
                "sent_at": m.sent_at,
                "attempts": m.attempts,
                "failed_at": m.failed_at,
                "last_error": m.last_error,
            }
            for m in rows
        ]
        out.append(
            AlertOut(
                id=a.id,
                subscription_id=a.subscription_id,
                kind=a.kind,
                key=a.key,
                title=a.title,
                detail=a.detail,
                created_at=a.created_at,
                deliveries=deliveries,
            )
        )
    return out


def alert_digest(key: str) -> str:
    """Return a short stable digest of an alert's key, for idempotency keys."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def issue_feed_token(session: Session, *, user: str, by: str) -> str:
    """Create (or replace) the token of a user's Atom feed; it is returned once, kept as a hash."""
    token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(24)
    row = session.get(FeedToken, user)
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    if row is None:
        session.add(FeedToken(user=user, token_sha256=digest))
    else:
        row.token_sha256 = digest
        row.created_at = utcnow()
    session.flush()
    audit.record(
        session, by=by, action="alert.feed_token", entity="alert_feed", entity_id=user, payload={}
    )
    return token


def feed_user(session: Session, token: str) -> str:
    """Return the user whose feed a token opens, or raise NotFound."""
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    user = session.scalar(select(FeedToken.user).where(FeedToken.token_sha256 == digest))
    if user is None:
        raise NotFound("unknown feed token")
    return user
