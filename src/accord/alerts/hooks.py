"""Evaluate the subscriptions right after a command changed the database (ingest, a feed poll).

The change is committed first; the evaluation runs in its own transaction, so a failure here
never undoes the change, and the next ``accord alerts run`` or ``watch`` pass finds it anyway.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from accord.alerts import evaluate
from accord.alerts.models import Subscription
from accord.db.session import session_scope


def after_change(url: str, *, by: str) -> evaluate.RunSummary | None:
    """Run one evaluation when any subscription is active; None when there is none."""
    with session_scope(url) as session:
        if not session.scalar(select(exists().where(Subscription.active.is_(True)))):
            return None
        return evaluate.run(session, by=by)
