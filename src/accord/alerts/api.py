"""Alerts over HTTP: the caller's subscriptions and history (API and pages), and the Atom feed.

The feed is opened by its token in the query, as feed readers send no cookie or header.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.alerts import atom, service
from accord.alerts.models import CADENCES, KINDS
from accord.alerts.schemas import AlertOut, SubscriptionIn, SubscriptionOut
from accord.db.session import commit_now
from accord.errors import InvalidInput
from accord.web.deps import Principal, db, principal
from accord.web.pages import page_for
from accord.web.routing import route

api = APIRouter(prefix="/api/v1")
pages = APIRouter()
page = page_for(pages)


def _user(who: Principal) -> str:
    return who.name or "web"


@route(api, "GET", "/me/alerts/subscriptions", "read", response_model=list[SubscriptionOut])
def list_api(session: Session = Depends(db), who: Principal = Depends(principal)) -> Any:
    """Return the caller's active subscriptions."""
    return [service.describe(r) for r in service.subscriptions(session, user=_user(who))]


@route(api, "POST", "/me/alerts/subscriptions", "read", status_code=201)
def subscribe_api(
    data: SubscriptionIn, session: Session = Depends(db), who: Principal = Depends(principal)
) -> Any:
    """Subscribe the caller; a generated webhook secret is returned here once."""
    row = service.subscribe(session, data, user=_user(who), by=_user(who))
    generated = row.webhook_secret if row.webhook_url and not data.webhook_secret else None
    return {**service.describe(row).model_dump(mode="json"), "webhook_secret": generated}


@route(
    api,
    "DELETE",
    "/me/alerts/subscriptions/{subscription_id}",
    "read",
    response_model=SubscriptionOut,
)
def remove_api(
    subscription_id: int, session: Session = Depends(db), who: Principal = Depends(principal)
) -> Any:
    """End one of the caller's subscriptions."""
    row = service.remove(session, subscription_id, user=_user(who), by=_user(who))
    return service.describe(row)


@route(api, "GET", "/me/alerts/history", "read", response_model=list[AlertOut])
def history_api(
    limit: int = 100, session: Session = Depends(db), who: Principal = Depends(principal)
) -> Any:
    """Return the caller's alerts, newest first, with their deliveries."""
    if not 1 <= limit <= 1000:
        raise InvalidInput("limit: 1 to 1000")
    return service.history(session, user=_user(who), limit=limit)


@route(api, "POST", "/me/alerts/feed-token", "read", status_code=201)
def feed_token_api(session: Session = Depends(db), who: Principal = Depends(principal)) -> Any:
    """Make a new token for the caller's Atom feed (the old one stops working)."""
    token = service.issue_feed_token(session, user=_user(who), by=_user(who))
    return {"token": token, "path": f"/alerts/feed.atom?token={token}"}


@page("/alerts", "read", "alerts.html")
def alerts_page(
    done: int | None = None, session: Session = Depends(db), who: Principal = Depends(principal)
) -> dict[str, Any]:
    """Return the caller's subscriptions and the choices of the form that adds one."""
    rows = [service.describe(r) for r in service.subscriptions(session, user=_user(who))]
    return {"subscriptions": rows, "kinds": KINDS, "cadences": CADENCES, "done": done}


@route(pages, "POST", "/alerts", "read")
def subscribe_form(
    kind: str = Form(...),
    cadence: str = Form("immediate"),
    issue: str | None = Form(None),
    holder: str | None = Form(None),
    query: str | None = Form(None),
    zone: str | None = Form(None),
    draft: str | None = Form(None),
    webhook_url: str | None = Form(None),
    webhook_secret: str | None = Form(None),
    email: str | None = Form(None),
    session: Session = Depends(db),
    who: Principal = Depends(principal),
) -> Response:
    """Add a subscription from the form, and go back to the list."""
    if webhook_url and not webhook_secret:
        raise InvalidInput("webhook_secret: give a signing secret (16+ characters) with a webhook")
    data = SubscriptionIn(
        kind=kind,
        cadence=cadence,
        issue=issue or None,
        holder=holder or None,
        query=query or None,
        zone=zone or None,
        draft=draft or None,
        webhook_url=webhook_url or None,
        webhook_secret=webhook_secret or None,
        email=email or None,
    )
    row = service.subscribe(session, data, user=_user(who), by=_user(who))
    commit_now(session)
    return RedirectResponse(f"/alerts?done={row.id}", status_code=303)


@route(pages, "POST", "/alerts/{subscription_id}/remove", "read")
def remove_form(
    subscription_id: int, session: Session = Depends(db), who: Principal = Depends(principal)
) -> Response:
    """End a subscription from the list, and go back to it."""
    service.remove(session, subscription_id, user=_user(who), by=_user(who))
    commit_now(session)
    return RedirectResponse("/alerts", status_code=303)


@page("/alerts/history", "read", "alert_history.html")
def history_page(
    session: Session = Depends(db), who: Principal = Depends(principal)
) -> dict[str, Any]:
    """Return the caller's last 100 alerts with their deliveries."""
    return {"alerts": service.history(session, user=_user(who), limit=100)}


@route(pages, "GET", "/alerts/feed.atom", "public")
def feed(request: Request, token: str = "", session: Session = Depends(db)) -> Response:
    """Serve a user's Atom feed of alerts to whoever holds its token (feed readers send no cookie)."""
    user = service.feed_user(session, token)
    alerts = service.history(session, user=user, limit=100)
    base = str(request.base_url).rstrip("/")
    return Response(atom.feed(user, alerts, base_url=base), media_type="application/atom+xml")
